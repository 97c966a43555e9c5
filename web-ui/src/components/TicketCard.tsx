import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import {
  CATEGORY_LABELS,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  errorMessage,
  getTicket,
  toApiError,
  updateTicket,
  type Status,
  type Ticket,
} from '../api';
import ChoiceSelect from './ChoiceSelect';
import { ChangeLine } from './HistoryEntry';
import Link from './Link';
import { TRUNCATE_AT, codePointLength, formatAbsolute, formatRelative, truncate } from '../format';
import { differingFields, pickFields } from '../ticketFields';

interface TicketCardProps {
  ticket: Ticket;
  /** Called with the server's copy of the ticket after a successful status change. */
  onUpdated?: (ticket: Ticket) => void;
  /** Called with the server's copy when it turned out newer than the card's (nothing was saved). */
  onRefreshed?: (ticket: Ticket) => void;
}

/** The server's copy differs from what the card showed: nothing was saved. */
interface Conflict {
  /** What the card showed when the status was chosen. */
  shown: Ticket;
  current: Ticket;
  etag: string | null;
  /** The status the agent chose. */
  wanted: Status;
}

/**
 * Keys with which a keyboard user moves through a closed <select>'s options: browsers
 * (Windows, Linux) change the value, and fire `change`, on each of them.
 */
function movesSelection(event: KeyboardEvent<HTMLSelectElement>): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey) return false; // Alt+↓ opens the list
  if (['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(event.key)) {
    return true;
  }
  return event.key.length === 1 && event.key !== ' '; // type-ahead (space opens the list)
}

export default function TicketCard({ ticket, onUpdated, onRefreshed }: TicketCardProps) {
  const uid = useId();
  const titleId = `${uid}-title`;
  const descriptionId = `${uid}-description`;
  const statusId = `${uid}-status`;
  const hintId = `${uid}-status-hint`;
  const errorId = `${uid}-error`;
  const conflictId = `${uid}-conflict`;

  const [expanded, setExpanded] = useState(false);
  /** A status chosen with the keyboard and not committed yet (Enter or "Save" commits). */
  const [choice, setChoice] = useState<Status | null>(null);
  /** The optimistic value while the status is being saved. */
  const [saving, setSaving] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  /** Set while a key that moves the selection is down: the `change` it causes is not a commit. */
  const keyboardMove = useRef<{ active: boolean; timer?: ReturnType<typeof setTimeout> }>({ active: false });

  useEffect(() => {
    const move = keyboardMove.current;
    return () => clearTimeout(move.timer);
  }, []);

  const status = saving ?? choice ?? ticket.status;
  const long = codePointLength(ticket.description) > TRUNCATE_AT;
  const description = long && !expanded ? truncate(ticket.description) : ticket.description;

  function endKeyboardMove() {
    clearTimeout(keyboardMove.current.timer);
    keyboardMove.current.active = false;
  }

  function onStatusKeyDown(event: KeyboardEvent<HTMLSelectElement>) {
    if (event.key === 'Enter') {
      if (choice) {
        event.preventDefault();
        void commit(choice);
      }
      return;
    }
    if (event.key === 'Escape') {
      if (choice) {
        event.preventDefault();
        setChoice(null);
      }
      return;
    }
    if (!movesSelection(event)) return;
    const move = keyboardMove.current;
    move.active = true;
    // Cleared on keyup; and soon after, where a key opens the list instead (macOS), so the
    // option then picked from the list commits like a click.
    clearTimeout(move.timer);
    move.timer = setTimeout(endKeyboardMove, 150);
  }

  function onStatusChange(next: Status) {
    if (keyboardMove.current.active) {
      // Moving through the options: show the choice, send nothing yet.
      setChoice(next === ticket.status ? null : next);
      return;
    }
    void commit(next);
  }

  /** Re-reads the ticket after it turned out changed, and shows how. */
  async function showConflict(shown: Ticket, wanted: Status) {
    const fresh = await getTicket(ticket.id);
    onRefreshed?.(fresh.ticket);
    setConflict({ shown, current: fresh.ticket, etag: fresh.etag, wanted });
  }

  async function patch(wanted: Status, etag: string | null, shown: Ticket) {
    try {
      const saved = await updateTicket(ticket.id, { status: wanted }, { ifMatch: etag });
      onUpdated?.(saved.ticket);
    } catch (err) {
      if (toApiError(err).status !== 412) throw err;
      await showConflict(shown, wanted);
    }
  }

  /**
   * Saves a status: first reads the ticket (for its ETag), and if anything the card shows
   * changed meanwhile, shows that instead of saving; else PATCHes with If-Match.
   */
  async function commit(next: Status) {
    setChoice(null);
    setError(null);
    setConflict(null);
    if (next === ticket.status) return;
    const shown = ticket;
    setSaving(next);
    try {
      const fresh = await getTicket(shown.id);
      if (differingFields(pickFields(shown), pickFields(fresh.ticket)).length) {
        onRefreshed?.(fresh.ticket);
        setConflict({ shown, current: fresh.ticket, etag: fresh.etag, wanted: next });
        return;
      }
      await patch(next, fresh.etag, shown);
    } catch (err) {
      setError(`Couldn't change the status: ${errorMessage(err)}`);
    } finally {
      setSaving(null);
    }
  }

  /** "Set … anyway": the chosen status on top of the current version. */
  async function applyAnyway() {
    if (!conflict) return;
    const { current, etag, wanted } = conflict;
    setConflict(null);
    setError(null);
    setSaving(wanted);
    try {
      await patch(wanted, etag, current);
    } catch (err) {
      setError(`Couldn't change the status: ${errorMessage(err)}`);
    } finally {
      setSaving(null);
    }
    selectRef.current?.focus();
  }

  const describedBy =
    [choice ? hintId : null, error ? errorId : null, conflict ? conflictId : null].filter(Boolean).join(' ') ||
    undefined;
  const conflictChanges = conflict ? differingFields(pickFields(conflict.shown), pickFields(conflict.current)) : [];

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
            ref={selectRef}
            id={statusId}
            choices={STATUSES}
            labels={STATUS_LABELS}
            value={status}
            className={choice ? 'pending' : undefined}
            aria-busy={saving !== null}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            onKeyDown={onStatusKeyDown}
            onKeyUp={endKeyboardMove}
            onBlur={endKeyboardMove}
            onChange={onStatusChange}
          />
          {choice && (
            <>
              <button type="button" className="small primary" onClick={() => void commit(choice)}>
                Save
              </button>
              <button
                type="button"
                className="small"
                onClick={() => {
                  setChoice(null);
                  selectRef.current?.focus();
                }}
              >
                Cancel
              </button>
            </>
          )}
        </div>
      </div>
      {choice && (
        <p id={hintId} className="hint status-hint">
          Not saved yet: press Enter or choose Save to set {STATUS_LABELS[choice]}, Escape to cancel.
        </p>
      )}
      {error && (
        <p id={errorId} className="inline-error" role="alert">
          {error}
        </p>
      )}
      {conflict && (
        <div id={conflictId} className="conflict card-conflict" role="alert">
          <p>
            Not saved: this ticket was changed since the list was loaded. It now shows the current version.
          </p>
          {conflictChanges.length > 0 && (
            <ul className="changes">
              {conflictChanges.map((name) => (
                <ChangeLine key={name} field={name} from={conflict.shown[name]} to={conflict.current[name]} />
              ))}
            </ul>
          )}
          <div className="conflict-actions">
            {conflict.current.status !== conflict.wanted && (
              <button type="button" className="small primary" onClick={() => void applyAnyway()}>
                Set {STATUS_LABELS[conflict.wanted]} anyway
              </button>
            )}
            <button
              type="button"
              className="small"
              onClick={() => {
                setConflict(null);
                selectRef.current?.focus();
              }}
            >
              Keep it as it is
            </button>
            <Link to={`/tickets/${ticket.id}`}>See who changed it</Link>
          </div>
        </div>
      )}
    </article>
  );
}
