// The server sends a strict Content-Security-Policy (script-src 'self'; style-src 'self'; …):
// the page may hold no inline script, no <style> element and no style="" attribute.
import { describe, expect, it } from 'vitest';
import html from '../index.html?raw';

describe('index.html under a strict CSP', () => {
  it('loads scripts only from files', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
  });

  it('has no style elements, style attributes or inline event handlers', () => {
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});
