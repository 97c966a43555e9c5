import { useId, useState } from 'react';
import {
  CATEGORY_LABELS,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  errorMessage,
  updateTicketStatus,
  type Status,
  type Ticket,
} from '../api';
import ChoiceSelect from './ChoiceSelect';
import Link from './Link';
import { TRUNCATE_AT, codePointLength, formatAbsolute, formatRelative, truncate } from '../format';

interface TicketCardProps {
  ticket: Ticket;
  /** Called with the server's copy of the ticket after a successful status change. */
  onUpdated?: (ticket: Ticket) => void;
}

export default function TicketCard({ ticket, onUpdated }: TicketCardProps) {
  const uid = useId();
  const titleId = `${uid}-title`;
  const descriptionId = `${uid}-description`;
  const statusId = `${uid}-status`;
  const errorId = `${uid}-error`;

  const [expanded, setExpanded] = useState(false);
  /** The optimistic value while a PATCH is in flight. */
  const [pendingStatus, setPendingStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);

  const status = pendingStatus ?? ticket.status;
  const long = codePointLength(ticket.description) > TRUNCATE_AT;
  const description = long && !expanded ? truncate(ticket.description) : ticket.description;

  async function changeStatus(next: Status) {
    if (next === status) return;
    setError(null);
    setPendingStatus(next);
    try {
      const updated = await updateTicketStatus(ticket.id, next);
      onUpdated?.(updated);
    } catch (err) {
      setError(`Couldn't change the status: ${errorMessage(err)}`);
    } finally {
      setPendingStatus(null);
    }
  }

  return (
    <article className={`ticket-card priority-${ticket.priority}`} aria-labelledby={titleId}>
      <header className="ticket-head">
        <h3 id={titleId} className="ticket-title">
          <Link to={`/tickets/${ticket.id}`}>
            <bdi className="user-text">{ticket.title}</bdi>
          </Link>
        </h3>
        <span className="ticket-id">#{ticket.id}</span>
      </header>
      <div className="ticket-meta">
        <time dateTime={ticket.created_at} title={formatAbsolute(ticket.created_at)}>
          {formatRelative(ticket.created_at)}
        </time>
        <ul className="badges" aria-label="Ticket attributes">
          <li className={`badge badge-category badge-${ticket.category}`}>
            <span className="visually-hidden">Category: </span>
            {CATEGORY_LABELS[ticket.category] ?? ticket.category}
          </li>
          <li className={`badge badge-priority badge-${ticket.priority}`}>
            <span className="visually-hidden">Priority: </span>
            {PRIORITY_LABELS[ticket.priority] ?? ticket.priority}
          </li>
          <li className={`badge badge-status badge-${status}`}>
            <span className="visually-hidden">Status: </span>
            {STATUS_LABELS[status] ?? status}
          </li>
        </ul>
      </div>
      <p id={descriptionId} className="ticket-description">
        <bdi className="user-text">{description}</bdi>
      </p>
      <div className="ticket-actions">
        {long ? (
          <button
            type="button"
            className="button-link"
            aria-expanded={expanded}
            aria-controls={descriptionId}
            onClick={() => setExpanded((v) => !v)}
          >
            {expanded ? 'Show less' : 'Show more'}
          </button>
        ) : (
          <span />
        )}
        <div className="status-control">
          <label htmlFor={statusId}>Status</label>
          <ChoiceSelect
            id={statusId}
            choices={STATUSES}
            labels={STATUS_LABELS}
            value={status}
            aria-busy={pendingStatus !== null}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(next) => void changeStatus(next)}
          />
        </div>
      </div>
      {error && (
        <p id={errorId} className="inline-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
