/**
 * What the create form and the ticket view share about a ticket's fields: limits,
 * client-side checks (the server's rules and messages) and how values are shown.
 */
import {
  CATEGORY_LABELS,
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_FIELDS,
  type FieldErrors,
  type Ticket,
  type TicketChanges,
  type TicketField,
  type TicketFields,
} from './api';
import { codePointLength } from './format';

/** Title length limit, in code points (as the server counts). */
export const TITLE_MAX = 200;
/** Description length limit, in code points (the server's default). */
export const DESCRIPTION_MAX = 65_536;

export const FIELD_LABELS: Record<TicketField, string> = {
  title: 'Title',
  description: 'Description',
  category: 'Category',
  priority: 'Priority',
  status: 'Status',
};

const tooLong = (max: number) => [`Ensure this field has no more than ${max} characters.`];

/**
 * Checks the given fields (all by default) as the server would, with the form's wording
 * for empty ones. Only the fields named in `only` are checked.
 */
export function validateTicketFields(
  fields: Partial<Record<TicketField, string>>,
  only: readonly TicketField[] = TICKET_FIELDS,
): FieldErrors {
  const errors: FieldErrors = {};
  const check = (name: TicketField) => only.includes(name) && name in fields;
  if (check('title')) {
    const title = fields.title ?? '';
    if (!title.trim()) errors.title = ['Please enter a title.'];
    else if (codePointLength(title.trim()) > TITLE_MAX) errors.title = tooLong(TITLE_MAX);
  }
  if (check('description')) {
    const description = fields.description ?? '';
    if (!description.trim()) errors.description = ['Please describe the problem.'];
    else if (codePointLength(description.trim()) > DESCRIPTION_MAX) errors.description = tooLong(DESCRIPTION_MAX);
  }
  if (check('category') && !fields.category) errors.category = ['Please choose a category.'];
  if (check('priority') && !fields.priority) errors.priority = ['Please choose a priority.'];
  if (check('status') && !fields.status) errors.status = ['Please choose a status.'];
  return errors;
}

export function pickFields(ticket: Ticket): TicketFields {
  return {
    title: ticket.title,
    description: ticket.description,
    category: ticket.category,
    priority: ticket.priority,
    status: ticket.status,
  };
}

/** The fields whose values differ, in display order. */
export function differingFields(a: TicketFields, b: TicketFields): TicketField[] {
  return TICKET_FIELDS.filter((name) => a[name] !== b[name]);
}

/**
 * The fields someone edited in `fields` relative to `base`. Text is compared without the
 * spaces around it (it is sent trimmed), so a stray space is not a change.
 */
export function editedFields(base: TicketFields, fields: TicketFields): TicketField[] {
  return TICKET_FIELDS.filter((name) =>
    isTextField(name) ? fields[name].trim() !== base[name].trim() : fields[name] !== base[name],
  );
}

/** The values of `fields` for the given names, as typed. */
export function changesOf(fields: TicketFields, names: readonly TicketField[]): TicketChanges {
  const changes: Record<string, string> = {};
  for (const name of names) changes[name] = fields[name];
  return changes as TicketChanges;
}

/** The body of a PATCH: the given fields, text trimmed as the create form sends it. */
export function changesToSend(fields: TicketFields, names: readonly TicketField[]): TicketChanges {
  const changes: Record<string, string> = {};
  for (const name of names) changes[name] = isTextField(name) ? fields[name].trim() : fields[name];
  return changes as TicketChanges;
}

/** A field's value as people read it: the label for a choice, the text itself otherwise. */
export function valueLabel(field: TicketField, value: string | null | undefined): string {
  if (value == null || value === '') return '';
  if (field === 'category') return CATEGORY_LABELS[value as keyof typeof CATEGORY_LABELS] ?? value;
  if (field === 'priority') return PRIORITY_LABELS[value as keyof typeof PRIORITY_LABELS] ?? value;
  if (field === 'status') return STATUS_LABELS[value as keyof typeof STATUS_LABELS] ?? value;
  return value;
}

/** Free text (shown shortened, in quotes, isolated) as opposed to a choice from a list. */
export function isTextField(field: TicketField): boolean {
  return field === 'title' || field === 'description';
}
