import { toApiError, type FieldErrors } from './api';
import { codePointLength } from './format';

/** The server's minimum password length (characters, counted as code points). */
export const PASSWORD_MIN = 12;

/** The server's message for a short password, or null. */
export function passwordError(password: string): string[] | null {
  return codePointLength(password) < PASSWORD_MIN
    ? [`This password is too short. It must contain at least ${PASSWORD_MIN} characters.`]
    : null;
}

export interface SplitErrors {
  /** Messages for the fields the form shows, by field name. */
  fields: FieldErrors;
  /** Everything else, for an alert above the form (null when all went to fields). */
  form: string | null;
}

/** Seconds to wait after a 429, from Retry-After or the DRF detail ("… available in N seconds."). */
export function waitSeconds(error: unknown): number | null {
  const apiError = toApiError(error);
  if (apiError.status !== 429) return null;
  if (apiError.retryAfter != null) return apiError.retryAfter;
  const match = /(\d+)\s*seconds?/.exec(apiError.detail ?? '');
  return match ? Number(match[1]) : null;
}

/** Splits an API error into per-field messages and one form-level message (DRF shapes). */
export function splitErrors(error: unknown, fieldNames: readonly string[]): SplitErrors {
  const apiError = toApiError(error);
  if (apiError.isNetwork) return { fields: {}, form: "Can't reach the server. Nothing was saved — please try again." };
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const [name, messages] of Object.entries(apiError.fieldErrors)) {
    if (fieldNames.includes(name)) fields[name] = messages;
    else other.push(...messages.map((m) => (name === 'non_field_errors' ? m : `${name}: ${m}`)));
  }
  const wait = waitSeconds(apiError);
  if (wait != null) {
    return { fields, form: `Too many attempts. Try again in ${wait} second${wait === 1 ? '' : 's'}.` };
  }
  const parts = [apiError.detail, ...other].filter(Boolean);
  if (parts.length) return { fields, form: parts.join(' ') };
  return { fields, form: Object.keys(fields).length ? null : apiError.message };
}
