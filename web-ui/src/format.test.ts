import { describe, expect, it } from 'vitest';
import { codePointLength, formatRelative, truncate } from './format';

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

describe('code points', () => {
  const emoji = '😀'; // one code point, two UTF-16 units

  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength(emoji.repeat(200))).toBe(200);
    expect(emoji.repeat(200).length).toBe(400);
    expect(codePointLength('é👍🏽')).toBe(3);
  });

  it('never splits a surrogate pair when truncating', () => {
    const text = emoji.repeat(300);
    const result = truncate(text, 160);
    expect(result).toBe(`${emoji.repeat(160)}…`);
    expect(result).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    // Odd offsets in UTF-16 units: a leading ASCII character shifts every pair by one.
    const shifted = truncate(`a${text}`, 161);
    expect(shifted).toBe(`a${emoji.repeat(160)}…`);
    expect(() => encodeURIComponent(shifted)).not.toThrow();
  });

  it('leaves text of exactly `limit` code points alone even when longer in UTF-16 units', () => {
    const text = emoji.repeat(160);
    expect(truncate(text, 160)).toBe(text);
  });

  it('cuts at a word boundary counted in code points', () => {
    const text = `${'🎉 '.repeat(100)}end`;
    const result = truncate(text, 160);
    expect(codePointLength(result)).toBeLessThanOrEqual(161);
    expect(result.endsWith('🎉…')).toBe(true);
  });
});
