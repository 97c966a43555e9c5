// The server sends a strict Content-Security-Policy (script-src 'self'; style-src 'self'; …):
// the pages may hold no inline script, no <style> element and no style="" attribute.
import { describe, expect, it } from 'vitest';
import appHtml from '../index.html?raw';
import docsHtml from '../api-docs.html?raw';

describe.each([
  ['index.html', appHtml],
  ['api-docs.html', docsHtml],
])('%s under a strict CSP', (_name, html) => {
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

  it('loads nothing from another origin', () => {
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
  });
});
