import { useId, useState } from 'react';
import type { HistoryEvent, TicketField } from '../api';
import { codePointLength, formatAbsolute, formatRelative, truncate } from '../format';
import type { EventGroup } from '../history';
import { FIELD_LABELS, isTextField, valueLabel } from '../ticketFields';

/**
 * Who did it: a person's name, an API token's name (marked as such), the public form, or
 * nobody known (a ticket made before history was kept; the server names that case).
 */
export function ActorName({ actor }: { actor: HistoryEvent['actor'] }) {
  switch (actor.kind) {
    case 'public':
      return <span className="actor actor-public">Public submission</span>;
    case 'token':
      return (
        <span className="actor actor-token">
          <span className="actor-kind">API token</span> <bdi className="user-text">{actor.name}</bdi>
        </span>
      );
    case 'unrecorded':
      return (
        <span className="actor actor-unrecorded">
          Someone <span className="muted">({actor.name})</span>
        </span>
      );
    case 'account':
      return (
        <span className="actor actor-account">
          <bdi className="user-text">{actor.name}</bdi>
        </span>
      );
  }
}

export function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatAbsolute(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

/** Characters shown of a long text before "Show all". */
const SHORT_AT = 120;

function Value({ field, value }: { field: TicketField; value: string | null }) {
  const text = valueLabel(field, value);
  if (!text) return <span className="value value-empty">(empty)</span>;
  if (!isTextField(field)) return <span className="value">{text}</span>;
  return (
    <q className="value">
      <bdi className="user-text">{text}</bdi>
    </q>
  );
}

/** "Priority: Medium → High"; long texts shortened, with a toggle to see them whole. */
export function ChangeLine({ field, from, to }: { field: TicketField; from: string | null; to: string | null }) {
  const id = useId();
  const [all, setAll] = useState(false);
  const long = isTextField(field) && [from, to].some((v) => v != null && codePointLength(v) > SHORT_AT);
  const shown = (value: string | null) => (long && !all && value != null ? truncate(value, SHORT_AT) : value);
  return (
    <li className={`change change-${field}`}>
      <span className="change-field">{FIELD_LABELS[field] ?? field}</span>
      <span className="change-values" id={id}>
        <span className="visually-hidden">from </span>
        <Value field={field} value={shown(from)} />
        <span className="arrow" aria-hidden="true">
          {' '}
          →{' '}
        </span>
        <span className="visually-hidden"> to </span>
        <Value field={field} value={shown(to)} />
      </span>
      {long && (
        <button
          type="button"
          className="button-link"
          aria-expanded={all}
          aria-controls={id}
          onClick={() => setAll((v) => !v)}
        >
          {all ? 'Show less' : 'Show all'}
        </button>
      )}
    </li>
  );
}

/** One version in the timeline: who, when, and what. */
export function HistoryEntry({ group }: { group: EventGroup }) {
  return (
    <>
      <p className="history-head">
        <ActorName actor={group.actor} />{' '}
        <span className="history-action">
          {group.created ? 'created the ticket' : group.changes.length ? 'changed' : 'saved'}
        </span>{' '}
        <span className="history-when">
          · <When iso={group.at} />
        </span>
      </p>
      {group.changes.length > 0 && (
        <ul className="changes">
          {group.changes.map((event) =>
            event.field ? <ChangeLine key={event.id} field={event.field} from={event.from} to={event.to} /> : null,
          )}
        </ul>
      )}
    </>
  );
}
