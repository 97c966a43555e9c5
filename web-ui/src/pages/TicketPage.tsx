import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  TICKET_FIELDS,
  errorMessage,
  etagVersion,
  getTicket,
  historySince,
  toApiError,
  updateTicket,
  type FieldErrors,
  type HistoryEvent,
  type Ticket,
  type TicketField,
  type TicketFields,
  type VersionedTicket,
} from '../api';
import ChoiceSelect from '../components/ChoiceSelect';
import { ChangeLine, HistoryEntry, When } from '../components/HistoryEntry';
import Link from '../components/Link';
import TicketHistory from '../components/TicketHistory';
import { readDraft, writeDraft } from '../drafts';
import { codePointLength, truncate } from '../format';
import { splitErrors } from '../formErrors';
import { groupEvents } from '../history';
import { ticketVersionSeen, useTicket } from '../queries';
import {
  DESCRIPTION_MAX,
  FIELD_LABELS,
  TITLE_MAX,
  changesOf,
  changesToSend,
  differingFields,
  editedFields,
  isTextField,
  pickFields,
  validateTicketFields,
  valueLabel,
} from '../ticketFields';

/** The ticket view at /tickets/:id: every field editable, saved with If-Match, and the history. */
export default function TicketPage({ id }: { id: number }) {
  const query = useTicket(id);

  if (!query.data) {
    if (query.isError) {
      const notFound = toApiError(query.error).status === 404;
      return (
        <section className="panel narrow" aria-labelledby="ticket-heading">
          <h2 id="ticket-heading">{notFound ? 'Ticket not found' : `Ticket #${id}`}</h2>
          {notFound ? (
            <p>There is no ticket #{id}.</p>
          ) : (
            <div className="error-box" role="alert">
              <p>Couldn't load the ticket: {errorMessage(query.error)}</p>
              <button type="button" onClick={() => void query.refetch()}>
                Retry
              </button>
            </div>
          )}
          <p>
            <Link to="/">Back to the tickets</Link>
          </p>
        </section>
      );
    }
    return (
      <p className="muted page-loading" aria-busy="true">
        Loading ticket #{id}…
      </p>
    );
  }
  return <TicketEditor key={id} server={query.data} />;
}

/** What someone else changed while the agent was editing (after a 412). */
interface Conflict {
  /** The ticket as the agent had loaded it. */
  previous: Ticket;
  /** The ticket as it is now (also the new base of the edit). */
  current: Ticket;
  /** The history events after the agent's version (who, when); null when unknown. */
  events: HistoryEvent[] | null;
}

/** Kept in sessionStorage while there is something unsaved, so nothing typed is ever lost. */
interface EditState {
  /** The version the edit is based on: its ETag goes in If-Match. */
  base: VersionedTicket;
  /** What the form shows. */
  fields: TicketFields;
  conflict: Conflict | null;
}

const draftKey = (id: number) => `ticket-edit-${id}`;

function fresh(server: VersionedTicket): EditState {
  return { base: server, fields: pickFields(server.ticket), conflict: null };
}

function sameVersion(a: VersionedTicket, b: VersionedTicket): boolean {
  return a.etag === b.etag && differingFields(pickFields(a.ticket), pickFields(b.ticket)).length === 0;
}

/** A short, quoted form of a value for notes next to fields. */
function shortValue(field: TicketField, value: string): string {
  const label = valueLabel(field, value);
  if (!label) return '(empty)';
  return isTextField(field) ? `“${truncate(label, 80)}”` : label;
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function TicketEditor({ server }: { server: VersionedTicket }) {
  const id = server.ticket.id;
  const queryClient = useQueryClient();
  const [state, setState] = useState<EditState>(() => readDraft<EditState>(draftKey(id)) ?? fresh(server));
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  /** A 412 whose current version could not be loaded. */
  const [conflictError, setConflictError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const titleRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const categoryRef = useRef<HTMLSelectElement>(null);
  const priorityRef = useRef<HTMLSelectElement>(null);
  const statusRef = useRef<HTMLSelectElement>(null);
  const conflictHeading = useRef<HTMLHeadingElement>(null);

  const edited = editedFields(state.base.ticket, state.fields);
  const dirty = edited.length > 0;
  const { conflict } = state;

  // Nothing being edited: follow the server's newest copy (a refetch, or a save elsewhere).
  if (!dirty && !conflict && !busy && state.base !== server && !sameVersion(state.base, server)) {
    setState(fresh(server));
  }

  useEffect(() => {
    writeDraft(draftKey(id), dirty || conflict ? state : null);
  }, [id, state, dirty, conflict]);

  useEffect(() => {
    if (conflict) conflictHeading.current?.focus();
  }, [conflict]);

  function setField<K extends TicketField>(name: K, value: TicketFields[K]) {
    setState((prev) => ({ ...prev, fields: { ...prev.fields, [name]: value } }));
    setAnnouncement('');
    setFieldErrors((prev) => {
      if (!(name in prev)) return prev;
      const rest = { ...prev };
      delete rest[name];
      return rest;
    });
  }

  function focusFirstInvalid(errors: FieldErrors) {
    const refs = {
      title: titleRef,
      description: descriptionRef,
      category: categoryRef,
      priority: priorityRef,
      status: statusRef,
    };
    const first = TICKET_FIELDS.find((name) => errors[name]);
    if (first) refs[first].current?.focus();
  }

  /**
   * After a 412: read the ticket as it is now and what happened since the agent's version,
   * then rebase the edit on it. The agent's changed fields keep their typed values; the
   * other fields show the current ones.
   */
  async function loadConflict(previous: VersionedTicket) {
    setConflictError(null);
    try {
      const current = await getTicket(id);
      const since = etagVersion(previous.etag);
      let events: HistoryEvent[] | null = null;
      if (since != null) {
        events = await historySince(id, since).catch(() => null);
      }
      // The cache first: the edit is still dirty against its old base, so it is not replaced.
      void ticketVersionSeen(queryClient, current);
      setState((prev) => {
        const mine = editedFields(prev.base.ticket, prev.fields);
        return {
          base: current,
          fields: { ...pickFields(current.ticket), ...changesOf(prev.fields, mine) },
          conflict: { previous: prev.base.ticket, current: current.ticket, events },
        };
      });
    } catch (err) {
      setConflictError(
        `Not saved: someone else changed this ticket since you opened it, and its current version couldn't be loaded (${errorMessage(err)}). Your changes are kept.`,
      );
    }
  }

  async function save() {
    if (busy) return;
    setFormError(null);
    setAnnouncement('');
    const applying = conflict !== null;
    if (!dirty) {
      if (applying) setState((prev) => ({ ...prev, conflict: null }));
      setAnnouncement(applying ? 'Nothing of yours left to apply: the ticket is up to date.' : 'No changes to save.');
      return;
    }
    const errors = validateTicketFields(state.fields, edited);
    if (Object.keys(errors).length) {
      setFieldErrors(errors);
      focusFirstInvalid(errors);
      return;
    }
    const base = state.base;
    const sent = state.fields;
    setFieldErrors({});
    setBusy(true);
    try {
      const saved = await updateTicket(id, changesToSend(sent, edited), { ifMatch: base.etag });
      void ticketVersionSeen(queryClient, saved);
      // What was typed while the request was on its way stays; the rest is the server's.
      setState((prev) => {
        const fields = pickFields(saved.ticket);
        for (const name of TICKET_FIELDS) {
          if (prev.fields[name] !== sent[name]) (fields as Record<TicketField, string>)[name] = prev.fields[name];
        }
        return { base: saved, fields, conflict: null };
      });
      setConflictError(null);
      setAnnouncement(applying ? 'Your changes were applied on top.' : 'Changes saved.');
    } catch (err) {
      const error = toApiError(err);
      if (error.status === 412) {
        await loadConflict(base);
      } else if (error.status === 404) {
        setFormError('This ticket no longer exists. Your changes were not saved.');
      } else {
        const split = splitErrors(error, TICKET_FIELDS);
        setFieldErrors(split.fields);
        setFormError(split.form && `Not saved: ${split.form} Your changes are kept.`);
        focusFirstInvalid(split.fields);
      }
    } finally {
      setBusy(false);
    }
  }

  async function retryConflict() {
    setBusy(true);
    try {
      await loadConflict(state.base);
    } finally {
      setBusy(false);
    }
  }

  function discard() {
    setState((prev) => ({ base: prev.base, fields: pickFields(prev.base.ticket), conflict: null }));
    setFieldErrors({});
    setFormError(null);
    setConflictError(null);
    setAnnouncement('Your changes were discarded.');
    titleRef.current?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save();
  }

  const ticket = state.base.ticket;
  const errorId = (name: TicketField) => `edit-${name}-error`;
  const noteId = (name: TicketField) => `edit-${name}-conflict`;
  const changedMeanwhile = (name: TicketField) =>
    conflict !== null && conflict.previous[name] !== conflict.current[name];
  const describedBy = (name: TicketField, ...extra: string[]) =>
    [...extra, changedMeanwhile(name) ? noteId(name) : null, fieldErrors[name] ? errorId(name) : null]
      .filter(Boolean)
      .join(' ') || undefined;
  const invalid = (name: TicketField) => (fieldErrors[name] ? true : undefined);

  /** Under a field: its errors, and what someone else did to it meanwhile. */
  function below(name: TicketField): ReactNode {
    return (
      <>
        {conflict && changedMeanwhile(name) && (
          <p id={noteId(name)} className="conflict-note">
            {edited.includes(name) ? (
              <>
                Changed meanwhile to {shortValue(name, conflict.current[name])}. Applying your changes replaces it
                with yours.
              </>
            ) : (
              <>Changed meanwhile (it was {shortValue(name, conflict.previous[name])}); the current value is shown.</>
            )}
          </p>
        )}
        {fieldErrors[name] && (
          <p id={errorId(name)} className="field-error">
            {fieldErrors[name].join(' ')}
          </p>
        )}
      </>
    );
  }

  const titleLength = codePointLength(state.fields.title);
  const descriptionLength = codePointLength(state.fields.description);
  const showDescriptionCount = descriptionLength > DESCRIPTION_MAX * 0.9;
  // Rebased on the current version: what differs from it now is the agent's own change.
  const overlap = conflict ? edited.filter(changedMeanwhile) : [];

  return (
    <div className="ticket-page">
      <p className="back-link">
        <Link to="/">← All tickets</Link>
      </p>
      <div className="ticket-view">
        <section className="panel" aria-labelledby="ticket-heading">
          <h2 id="ticket-heading" className="ticket-view-title">
            <span className="ticket-id">#{ticket.id}</span> <bdi className="user-text">{ticket.title}</bdi>
          </h2>
          <p className="ticket-meta">
            Created <When iso={ticket.created_at} />
          </p>

          <form aria-label="Edit ticket" noValidate onSubmit={onSubmit}>
            {formError && (
              <div className="error-box" role="alert">
                {formError}
              </div>
            )}

            <div className="field">
              <div className="label-row">
                <label htmlFor="edit-title">Title</label>
                <span id="edit-title-count" className={`counter${titleLength > TITLE_MAX ? ' over' : ''}`}>
                  {titleLength}/{TITLE_MAX}
                </span>
              </div>
              <input
                ref={titleRef}
                id="edit-title"
                name="title"
                type="text"
                autoComplete="off"
                dir="auto"
                value={state.fields.title}
                required
                aria-invalid={invalid('title')}
                aria-describedby={describedBy('title', 'edit-title-count')}
                onChange={(e) => setField('title', e.target.value)}
              />
              {below('title')}
            </div>

            <div className="field">
              <div className="label-row">
                <label htmlFor="edit-description">Description</label>
                {showDescriptionCount && (
                  <span
                    id="edit-description-count"
                    className={`counter${descriptionLength > DESCRIPTION_MAX ? ' over' : ''}`}
                  >
                    {descriptionLength}/{DESCRIPTION_MAX}
                  </span>
                )}
              </div>
              <textarea
                ref={descriptionRef}
                id="edit-description"
                name="description"
                rows={8}
                dir="auto"
                value={state.fields.description}
                required
                aria-invalid={invalid('description')}
                aria-describedby={describedBy('description', ...(showDescriptionCount ? ['edit-description-count'] : []))}
                onChange={(e) => setField('description', e.target.value)}
              />
              {below('description')}
            </div>

            <div className="field-row three">
              <div className="field">
                <label htmlFor="edit-category">Category</label>
                <ChoiceSelect
                  ref={categoryRef}
                  id="edit-category"
                  name="category"
                  choices={CATEGORIES}
                  labels={CATEGORY_LABELS}
                  value={state.fields.category}
                  aria-invalid={invalid('category')}
                  aria-describedby={describedBy('category')}
                  onChange={(value) => setField('category', value)}
                />
                {below('category')}
              </div>
              <div className="field">
                <label htmlFor="edit-priority">Priority</label>
                <ChoiceSelect
                  ref={priorityRef}
                  id="edit-priority"
                  name="priority"
                  choices={PRIORITIES}
                  labels={PRIORITY_LABELS}
                  value={state.fields.priority}
                  aria-invalid={invalid('priority')}
                  aria-describedby={describedBy('priority')}
                  onChange={(value) => setField('priority', value)}
                />
                {below('priority')}
              </div>
              <div className="field">
                <label htmlFor="edit-status">Status</label>
                <ChoiceSelect
                  ref={statusRef}
                  id="edit-status"
                  name="status"
                  choices={STATUSES}
                  labels={STATUS_LABELS}
                  value={state.fields.status}
                  aria-invalid={invalid('status')}
                  aria-describedby={describedBy('status')}
                  onChange={(value) => setField('status', value)}
                />
                {below('status')}
              </div>
            </div>

            {conflictError && (
              <div className="error-box" role="alert">
                <p>{conflictError}</p>
                <button type="button" onClick={() => void retryConflict()} disabled={busy}>
                  Load the current version
                </button>
              </div>
            )}

            {conflict && (
              <section className="conflict" aria-labelledby="conflict-heading">
                <h3 id="conflict-heading" ref={conflictHeading} tabIndex={-1}>
                  Not saved: someone else changed this ticket
                </h3>
                <p>
                  {conflict.events && conflict.events.length > 0
                    ? 'Since you opened it:'
                    : 'What is different now from the version you opened:'}
                </p>
                {conflict.events && conflict.events.length > 0 ? (
                  <ol className="timeline compact" aria-label="Changes since you opened the ticket">
                    {groupEvents(conflict.events).map((group) => (
                      <li key={group.key}>
                        <HistoryEntry group={group} />
                      </li>
                    ))}
                  </ol>
                ) : (
                  <ul className="changes">
                    {differingFields(pickFields(conflict.previous), pickFields(conflict.current)).map((name) => (
                      <ChangeLine key={name} field={name} from={conflict.previous[name]} to={conflict.current[name]} />
                    ))}
                  </ul>
                )}
                <p>
                  {dirty
                    ? `Your changes (${joinNames(edited.map((name) => FIELD_LABELS[name]))}) are kept in the form.`
                    : 'Nothing you typed differs from the current version.'}
                  {overlap.length > 0 &&
                    ` You both changed ${joinNames(overlap.map((name) => FIELD_LABELS[name]))}: applying yours replaces theirs.`}
                </p>
              </section>
            )}

            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
                {busy ? 'Saving…' : conflict ? 'Apply my changes on top' : 'Save changes'}
              </button>
              {(dirty || conflict) && (
                <button type="button" onClick={discard} disabled={busy}>
                  Discard my changes
                </button>
              )}
              {dirty && !conflict && (
                <span className="muted unsaved">
                  Unsaved: {joinNames(edited.map((name) => FIELD_LABELS[name]))}
                </span>
              )}
              <p className="announce" role="status">
                {announcement}
              </p>
            </div>
          </form>
        </section>

        <section className="panel history" aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <TicketHistory ticketId={id} />
        </section>
      </div>
    </div>
  );
}
