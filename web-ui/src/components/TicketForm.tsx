import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  classifyTicket,
  createTicket,
  toApiError,
  type Category,
  type Classification,
  type FieldErrors,
  type NewTicket,
  type Priority,
  type Ticket,
} from '../api';
import ChoiceSelect from './ChoiceSelect';
import { codePointLength } from '../format';
import { waitSeconds } from '../formErrors';
import { useDraft } from '../drafts';
import { newIdempotencyKey } from '../idempotency';
import { DESCRIPTION_MAX, TITLE_MAX, validateTicketFields } from '../ticketFields';

export { TITLE_MAX };

/** A suggestion at least this sure (0..1) is chosen for the person; a less sure one is only shown. At 0.8 the
 * offline classifier preselects 75% of categories, 96% of them right, and 56% of priorities, 91% right. */
export const CONFIDENT = 0.8;

interface TicketFormProps {
  onCreated?: (ticket: Ticket) => void;
  /**
   * `public`: the signed-out "Submit a ticket" form (other heading and wording);
   * `agent`: the workspace's "New ticket" form.
   */
  variant?: 'agent' | 'public';
  /** Delay between the last keystroke in the description and the classify call. */
  classifyDebounceMs?: number;
}

/** Who set a select's value: nobody yet, the person, or the classifier. */
type Origin = 'none' | 'user' | 'suggestion';

/**
 * The submission being sent: its Idempotency-Key and the body it was made for. A retry of
 * the same body reuses the key, so the server files the ticket once however often the
 * person tries again; another body (the content changed) gets a new key.
 */
interface Attempt {
  key: string;
  body: string;
}

interface Fields {
  title: string;
  description: string;
  category: Category | '';
  priority: Priority | '';
  categoryOrigin: Origin;
  priorityOrigin: Origin;
  /** Kept with the draft, so a retry after a reload or an expired session keeps the key. */
  attempt: Attempt | null;
}

const EMPTY: Fields = {
  title: '',
  description: '',
  category: '',
  priority: '',
  categoryOrigin: 'none',
  priorityOrigin: 'none',
  attempt: null,
};

type SuggestState =
  | { phase: 'idle' }
  | { phase: 'loading' }
  | { phase: 'done'; result: Classification }
  | { phase: 'failed'; message: string };

const FIELD_NAMES = ['title', 'description', 'category', 'priority'] as const;
type FieldName = (typeof FIELD_NAMES)[number];

function validate(fields: Fields): FieldErrors {
  return validateTicketFields(fields, FIELD_NAMES);
}

function sourceLabel(result: Classification): string {
  return result.source === 'llm' ? 'Suggested by AI' : 'Suggested by offline rules';
}

/** Sure enough to choose it: at least CONFIDENT, or no confidence given (the LLM). */
function isSure(confidence: number | null | undefined): boolean {
  return confidence == null || !Number.isFinite(confidence) || confidence >= CONFIDENT;
}

const WORDING = {
  agent: { heading: 'New ticket', submit: 'Create ticket', busy: 'Creating…', done: (id: number) => `Ticket #${id} created` },
  public: {
    heading: 'Submit a ticket',
    submit: 'Submit ticket',
    busy: 'Submitting…',
    done: (id: number) => `Thank you — your ticket #${id} was submitted.`,
  },
};

export default function TicketForm({ onCreated, variant = 'agent', classifyDebounceMs = 500 }: TicketFormProps) {
  const wording = WORDING[variant];
  // Kept in sessionStorage until submitted, so an expired session or a reload loses nothing.
  const [fields, setFields] = useDraft<Fields>('ticket', EMPTY);
  const [suggest, setSuggest] = useState<SuggestState>({ phase: 'idle' });
  const [submitting, setSubmitting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const titleRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const categoryRef = useRef<HTMLSelectElement>(null);
  const priorityRef = useRef<HTMLSelectElement>(null);
  /** Debounce timer, in-flight classify request and its sequence number. */
  const classify = useRef<{
    timer?: ReturnType<typeof setTimeout>;
    controller: AbortController | null;
    seq: number;
  }>({ controller: null, seq: 0 });

  useEffect(() => {
    const pending = classify.current;
    return () => {
      clearTimeout(pending.timer);
      pending.controller?.abort();
    };
  }, []);

  function cancelClassify() {
    const pending = classify.current;
    clearTimeout(pending.timer);
    pending.controller?.abort();
    pending.controller = null;
    pending.seq += 1; // anything still in flight is now stale
  }

  async function runClassify(description: string) {
    const pending = classify.current;
    pending.controller?.abort();
    const controller = new AbortController();
    pending.controller = controller;
    const seq = ++pending.seq;
    setSuggest({ phase: 'loading' });
    try {
      const result = await classifyTicket(description, { signal: controller.signal });
      if (seq !== pending.seq) return; // a newer request started: drop this answer
      setSuggest({ phase: 'done', result });
      const sureCategory = isSure(result.confidence?.category);
      const surePriority = isSure(result.confidence?.priority);
      setFields((prev) => {
        const next = { ...prev };
        // A choice the person made is never replaced. A sure suggestion is chosen; an unsure
        // one is only shown (and takes back an earlier suggestion, now outdated).
        if (prev.categoryOrigin !== 'user') {
          if (sureCategory) Object.assign(next, { category: result.suggested_category, categoryOrigin: 'suggestion' });
          else if (prev.categoryOrigin === 'suggestion') Object.assign(next, { category: '', categoryOrigin: 'none' });
        }
        if (prev.priorityOrigin !== 'user') {
          if (surePriority) Object.assign(next, { priority: result.suggested_priority, priorityOrigin: 'suggestion' });
          else if (prev.priorityOrigin === 'suggestion') Object.assign(next, { priority: '', priorityOrigin: 'none' });
        }
        return next;
      });
    } catch (err) {
      if (seq !== pending.seq) return;
      const error = toApiError(err);
      if (error.isAborted) return;
      let message = 'No suggestion available right now — please choose a category and priority.';
      if (error.status === 429) {
        message = error.retryAfter
          ? `Suggestions are paused for ${error.retryAfter} s (rate limited) — please choose by hand.`
          : 'Suggestions are rate limited right now — please choose by hand.';
      }
      setSuggest({ phase: 'failed', message });
    } finally {
      if (pending.controller === controller) pending.controller = null;
    }
  }

  function clearFieldError(name: FieldName) {
    setFieldErrors((prev) => {
      if (!(name in prev)) return prev;
      const rest = { ...prev };
      delete rest[name];
      return rest;
    });
  }

  function onDescriptionChange(value: string) {
    setFields((prev) => ({ ...prev, description: value }));
    clearFieldError('description');
    const pending = classify.current;
    clearTimeout(pending.timer);
    if (!value.trim()) {
      cancelClassify();
      setSuggest({ phase: 'idle' });
      return;
    }
    pending.timer = setTimeout(() => void runClassify(value), classifyDebounceMs);
  }

  function onSelectCategory(value: Category | '') {
    setFields((prev) => ({ ...prev, category: value, categoryOrigin: value ? 'user' : 'none' }));
    clearFieldError('category');
  }

  function onSelectPriority(value: Priority | '') {
    setFields((prev) => ({ ...prev, priority: value, priorityOrigin: value ? 'user' : 'none' }));
    clearFieldError('priority');
  }

  function focusFirstInvalid(errors: FieldErrors) {
    const refs = { title: titleRef, description: descriptionRef, category: categoryRef, priority: priorityRef };
    const first = FIELD_NAMES.find((name) => errors[name]);
    if (first) refs[first].current?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setAnnouncement('');
    setFormError(null);
    const clientErrors = validate(fields);
    if (Object.keys(clientErrors).length) {
      setFieldErrors(clientErrors);
      focusFirstInvalid(clientErrors);
      return;
    }
    const body: NewTicket = {
      title: fields.title.trim(),
      description: fields.description.trim(),
      category: fields.category as Category,
      priority: fields.priority as Priority,
    };
    // The same body as the last attempt is a retry: same key. Anything else is a new ticket.
    const bodyJson = JSON.stringify(body);
    const attempt: Attempt =
      fields.attempt && fields.attempt.body === bodyJson ? fields.attempt : { key: newIdempotencyKey(), body: bodyJson };
    setFields((prev) => ({ ...prev, attempt }));
    setSubmitting(true);
    setFieldErrors({});
    try {
      const { ticket } = await createTicket(body, { idempotencyKey: attempt.key });
      // A replay (Idempotent-Replayed: true) is the answer to an earlier try of this same
      // ticket: it was created once, and that is what the person is told either way.
      cancelClassify();
      setFields(EMPTY);
      setSuggest({ phase: 'idle' });
      setAnnouncement(wording.done(ticket.id));
      titleRef.current?.focus();
      onCreated?.(ticket);
    } catch (err) {
      const error = toApiError(err);
      const known: FieldErrors = {};
      const other: string[] = [];
      for (const [name, messages] of Object.entries(error.fieldErrors)) {
        if ((FIELD_NAMES as readonly string[]).includes(name)) known[name] = messages;
        else other.push(...messages.map((m) => (name === 'non_field_errors' ? m : `${name}: ${m}`)));
      }
      setFieldErrors(known);
      const wait = error.status === 503 || error.status === 429 ? waitSeconds(error) ?? error.retryAfter : null;
      const again = wait ? `please try again in ${wait} second${wait === 1 ? '' : 's'}` : 'please try again';
      if (error.isNetwork) {
        setFormError(`Couldn't reach the server — ${again}. Trying again will not file the ticket twice.`);
      } else if (error.status === 422) {
        // This key went with another body: start a new submission.
        setFields((prev) => ({ ...prev, attempt: null }));
        setFormError('This form was sent before with different content. Please check it and submit again.');
      } else if (error.status === 401 && variant === 'public') {
        // PUBLIC_SUBMISSIONS=false on the server: only signed-in people may submit.
        setFormError('This helpdesk takes tickets from signed-in people only: please sign in first.');
      } else if (error.status !== null && (error.status >= 500 || error.status === 429)) {
        const reason = (error.detail ?? error.message).replace(/\.?$/, '.');
        setFormError(`${reason} ${again[0].toUpperCase()}${again.slice(1)} — trying again will not file the ticket twice.`);
      } else if (error.detail || other.length || !Object.keys(known).length) {
        setFormError([error.detail ?? (other.length ? '' : error.message), ...other].filter(Boolean).join(' '));
      }
      focusFirstInvalid(known);
    } finally {
      setSubmitting(false);
    }
  }

  // Characters as the server counts them: code points (an emoji is one, not two).
  const titleLength = codePointLength(fields.title);
  const errorId = (name: FieldName) => `ticket-${name}-error`;
  const describedBy = (name: FieldName, ...extra: string[]) =>
    [...extra, fieldErrors[name] ? errorId(name) : null].filter(Boolean).join(' ') || undefined;
  const errorText = (name: FieldName) =>
    fieldErrors[name] ? (
      <p id={errorId(name)} className="field-error">
        {fieldErrors[name].join(' ')}
      </p>
    ) : null;

  const suggestion = suggest.phase === 'done' ? suggest.result : null;
  /** Unsure suggestions that are not the field's value: shown next to it, with "Use it". */
  const unsure = {
    category:
      suggestion && !isSure(suggestion.confidence?.category) && fields.category !== suggestion.suggested_category
        ? suggestion.suggested_category
        : null,
    priority:
      suggestion && !isSure(suggestion.confidence?.priority) && fields.priority !== suggestion.suggested_priority
        ? suggestion.suggested_priority
        : null,
  };
  const descriptionLength = codePointLength(fields.description);
  const showDescriptionCount = descriptionLength > DESCRIPTION_MAX * 0.9;

  return (
    <section className="panel new-ticket">
      <h2 id="new-ticket-heading">{wording.heading}</h2>
      <form aria-labelledby="new-ticket-heading" noValidate onSubmit={(e) => void onSubmit(e)}>
        {formError && (
          <div className="error-box" role="alert">
            {formError}
          </div>
        )}

        <div className="field">
          <div className="label-row">
            <label htmlFor="ticket-title">Title</label>
            <span
              id="ticket-title-count"
              className={`counter${titleLength > TITLE_MAX ? ' over' : ''}`}
            >
              {titleLength}/{TITLE_MAX}
            </span>
          </div>
          <input
            ref={titleRef}
            id="ticket-title"
            name="title"
            type="text"
            autoComplete="off"
            dir="auto"
            value={fields.title}
            required
            aria-invalid={fieldErrors.title ? true : undefined}
            aria-describedby={describedBy('title', 'ticket-title-count')}
            onChange={(e) => {
              setFields((prev) => ({ ...prev, title: e.target.value }));
              clearFieldError('title');
            }}
          />
          {errorText('title')}
        </div>

        <div className="field">
          <div className="label-row">
            <label htmlFor="ticket-description">Description</label>
            {showDescriptionCount && (
              <span
                id="ticket-description-count"
                className={`counter${descriptionLength > DESCRIPTION_MAX ? ' over' : ''}`}
              >
                {descriptionLength}/{DESCRIPTION_MAX}
              </span>
            )}
          </div>
          <textarea
            ref={descriptionRef}
            id="ticket-description"
            name="description"
            rows={5}
            dir="auto"
            value={fields.description}
            required
            aria-invalid={fieldErrors.description ? true : undefined}
            aria-describedby={describedBy(
              'description',
              ...(showDescriptionCount ? ['ticket-description-count'] : []),
              'ticket-suggestion',
            )}
            onChange={(e) => onDescriptionChange(e.target.value)}
          />
          {errorText('description')}
        </div>

        <div
          id="ticket-suggestion"
          className={`suggestion suggestion-${suggest.phase}`}
          aria-live="polite"
          aria-busy={suggest.phase === 'loading'}
        >
          {suggest.phase === 'idle' && (
            <span className="muted">Category and priority are suggested as you describe the problem.</span>
          )}
          {suggest.phase === 'loading' && (
            <span className="suggesting">
              <span className="spinner" aria-hidden="true" />
              Suggesting…
            </span>
          )}
          {suggestion && (
            <>
              <span className={`source-tag source-${suggestion.source}`}>{sourceLabel(suggestion)}</span>{' '}
              <span>
                {CATEGORY_LABELS[suggestion.suggested_category] ?? suggestion.suggested_category}
                {!isSure(suggestion.confidence?.category) && ' (not sure)'} ·{' '}
                {PRIORITY_LABELS[suggestion.suggested_priority] ?? suggestion.suggested_priority}
                {!isSure(suggestion.confidence?.priority) && ' (not sure)'}
              </span>
              {suggestion.note && <span className="note">{suggestion.note}</span>}
            </>
          )}
          {suggest.phase === 'failed' && <span className="note">{suggest.message}</span>}
        </div>

        <div className="field-row">
          <div className="field">
            <div className="label-row">
              <label htmlFor="ticket-category">Category</label>
              {fields.categoryOrigin === 'suggestion' && (
                <span className="hint-tag" id="ticket-category-hint">
                  suggested
                </span>
              )}
            </div>
            <ChoiceSelect
              ref={categoryRef}
              id="ticket-category"
              name="category"
              choices={CATEGORIES}
              labels={CATEGORY_LABELS}
              emptyLabel="Choose…"
              value={fields.category}
              required
              aria-invalid={fieldErrors.category ? true : undefined}
              aria-describedby={describedBy(
                'category',
                ...(fields.categoryOrigin === 'suggestion' ? ['ticket-category-hint'] : []),
                ...(unsure.category ? ['ticket-category-unsure'] : []),
              )}
              onChange={onSelectCategory}
            />
            {unsure.category && (
              <p id="ticket-category-unsure" className="unsure">
                Suggested: {CATEGORY_LABELS[unsure.category]} — not sure{' '}
                <button
                  type="button"
                  className="button-link"
                  aria-label={`Use it: ${CATEGORY_LABELS[unsure.category]}`}
                  onClick={() => {
                    onSelectCategory(unsure.category!);
                    categoryRef.current?.focus();
                  }}
                >
                  Use it
                </button>
              </p>
            )}
            {errorText('category')}
          </div>

          <div className="field">
            <div className="label-row">
              <label htmlFor="ticket-priority">Priority</label>
              {fields.priorityOrigin === 'suggestion' && (
                <span className="hint-tag" id="ticket-priority-hint">
                  suggested
                </span>
              )}
            </div>
            <ChoiceSelect
              ref={priorityRef}
              id="ticket-priority"
              name="priority"
              choices={PRIORITIES}
              labels={PRIORITY_LABELS}
              emptyLabel="Choose…"
              value={fields.priority}
              required
              aria-invalid={fieldErrors.priority ? true : undefined}
              aria-describedby={describedBy(
                'priority',
                ...(fields.priorityOrigin === 'suggestion' ? ['ticket-priority-hint'] : []),
                ...(unsure.priority ? ['ticket-priority-unsure'] : []),
              )}
              onChange={onSelectPriority}
            />
            {unsure.priority && (
              <p id="ticket-priority-unsure" className="unsure">
                Suggested: {PRIORITY_LABELS[unsure.priority]} — not sure{' '}
                <button
                  type="button"
                  className="button-link"
                  aria-label={`Use it: ${PRIORITY_LABELS[unsure.priority]}`}
                  onClick={() => {
                    onSelectPriority(unsure.priority!);
                    priorityRef.current?.focus();
                  }}
                >
                  Use it
                </button>
              </p>
            )}
            {errorText('priority')}
          </div>
        </div>

        <div className="form-actions">
          <button type="submit" className="primary" disabled={submitting} aria-busy={submitting}>
            {submitting ? wording.busy : wording.submit}
          </button>
          <p className="announce" role="status">
            {announcement}
          </p>
        </div>
      </form>
    </section>
  );
}
