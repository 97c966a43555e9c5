import { describe, expect, it } from 'vitest';
import { formatRelative, truncate } from './format';

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('short')).toBe('short');
  });

  it('cuts long text at a word boundary and adds an ellipsis', () => {
    const text = 'lorem ipsum dolor sit amet '.repeat(10);
    const result = truncate(text, 160);
    expect(result.endsWith('…')).toBe(true);
    expect(result.length).toBeLessThanOrEqual(161);
    expect(text.startsWith(result.slice(0, -1))).toBe(true);
  });

  it('cuts inside a very long word when there is no space', () => {
    expect(truncate('x'.repeat(300), 160)).toBe(`${'x'.repeat(160)}…`);
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  it('describes recent times relatively', () => {
    expect(formatRelative('2025-06-10T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2025-06-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2025-06-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelative('2025-06-09T10:00:00Z', now)).toBe('yesterday');
  });

  it('falls back to an absolute date for older times and bad input', () => {
    expect(formatRelative('2025-01-01T12:00:00Z', now)).toMatch(/2025/);
    expect(formatRelative('not a date', now)).toBe('not a date');
  });
});
