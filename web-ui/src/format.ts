const absoluteFormat = new Intl.DateTimeFormat('en', {
  dateStyle: 'medium',
  timeStyle: 'short',
});
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "Nov 20, 2025, 10:30 AM" (in the browser's time zone). */
export function formatAbsolute(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return absoluteFormat.format(date);
}

/** "just now", "5 minutes ago", "yesterday" for the last week, else the absolute date. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((time - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  if (Math.abs(seconds) >= 7 * 86_400) return formatAbsolute(iso);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return relativeFormat.format(Math.round(seconds / 60), 'minute');
}

export const TRUNCATE_AT = 160;

/**
 * Length in Unicode code points, as the server counts characters (an emoji outside the
 * Basic Multilingual Plane is one character, not two UTF-16 units).
 */
export function codePointLength(text: string): number {
  // Each surrogate pair is one code point (a lone surrogate counts as one, like the string iterator).
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/**
 * Cuts text at a word boundary near `limit` code points and adds an ellipsis.
 * Works on code points, so a surrogate pair is never split.
 */
export function truncate(text: string, limit = TRUNCATE_AT): string {
  if (text.length <= limit || codePointLength(text) <= limit) return text;
  const cut = Array.from(text).slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  const base = (lastSpace > limit * 0.6 ? cut.slice(0, lastSpace) : cut).join('');
  return `${base.replace(/[\s.,;:!?-]+$/u, '')}…`;
}
