import { describe, expect, it, vi } from 'vitest';
import {
  classifyTicket,
  createTicket,
  fetchNextPage,
  isOnline,
  listTickets,
  parseNextLink,
  resolveLink,
  subscribeConnectivity,
  ticketQueryParams,
  etagVersion,
  getTicket,
  historySince,
  listHistory,
  fetchHistoryPage,
  toApiError,
  updateTicket,
  type ApiError,
} from './api';
import { json, mockHttp, requests } from './test/mockHttp';
import { makeTicket } from './test/fixtures';

describe('parseNextLink', () => {
  it('returns null for a missing or empty header', () => {
    expect(parseNextLink(undefined)).toBeNull();
    expect(parseNextLink(null)).toBeNull();
    expect(parseNextLink('')).toBeNull();
  });

  it('reads a quoted rel="next"', () => {
    expect(
      parseNextLink('<http://host/api/tickets/?limit=100&cursor=abc>; rel="next"'),
    ).toBe('http://host/api/tickets/?limit=100&cursor=abc');
  });

  it('reads an unquoted rel and ignores case and whitespace', () => {
    expect(parseNextLink('<https://x.test/a?cursor=1> ;REL=Next')).toBe('https://x.test/a?cursor=1');
  });

  it('picks next among several links, whatever the order', () => {
    const header =
      '<http://h/api/tickets/?cursor=p>; rel="prev", <http://h/api/tickets/?cursor=n>; rel="next", <http://h/api/tickets/>; rel="first"';
    expect(parseNextLink(header)).toBe('http://h/api/tickets/?cursor=n');
  });

  it('supports several relation types and other parameters', () => {
    expect(parseNextLink('<http://h/p2>; title="Page, two"; rel="next last"')).toBe('http://h/p2');
    expect(parseNextLink('<http://h/p2>; rel="nextpage"')).toBeNull();
  });

  it('keeps commas and semicolons inside the URL', () => {
    expect(parseNextLink('<http://h/api/tickets/?search=a,b;c&cursor=z>; rel="next"')).toBe(
      'http://h/api/tickets/?search=a,b;c&cursor=z',
    );
  });

  it('returns null when there is no next link', () => {
    expect(parseNextLink('<http://h/api/tickets/?cursor=p>; rel="prev"')).toBeNull();
    expect(parseNextLink('garbage')).toBeNull();
  });
});

describe('resolveLink', () => {
  const origin = window.location.origin;
  it('keeps absolute links and resolves relative ones against the requested URL on this page', () => {
    expect(resolveLink('http://h/api/tickets/?cursor=a', '/api/tickets/')).toBe('http://h/api/tickets/?cursor=a');
    expect(resolveLink('/api/tickets/?cursor=b', '/api/tickets/')).toBe(`${origin}/api/tickets/?cursor=b`);
    expect(resolveLink('?cursor=c', '/api/tickets/')).toBe(`${origin}/api/tickets/?cursor=c`);
    expect(resolveLink('?cursor=d', `${origin}/api/tickets/?cursor=c`)).toBe(`${origin}/api/tickets/?cursor=d`);
  });
});

describe('api functions', () => {
  it('sends only the filters that are set and parses the Link header', async () => {
    mockHttp({
      'GET /api/tickets/': () =>
        json([makeTicket({ id: 3 })], 200, {
          Link: '<http://localhost:3000/api/tickets/?status=open&cursor=c1>; rel="next"',
        }),
    });
    const page = await listTickets({ category: '', priority: 'high', status: 'open', search: '  vpn ' });
    expect(requests[0].params).toEqual({ priority: 'high', status: 'open', search: 'vpn' });
    expect(page.tickets.map((t) => t.id)).toEqual([3]);
    expect(page.next).toBe('http://localhost:3000/api/tickets/?status=open&cursor=c1');
  });

  it('builds query params including limit', () => {
    expect(ticketQueryParams({ limit: 20, search: '' })).toEqual({ limit: '20' });
  });

  it('follows a same-origin next link exactly and a foreign one on our own origin', async () => {
    mockHttp({ 'GET /api/tickets/': () => json([]) });
    await fetchNextPage('http://localhost:3000/api/tickets/?cursor=abc');
    await fetchNextPage('http://127.0.0.1:8000/api/tickets/?cursor=def');
    expect(requests.map((r) => r.url)).toEqual([
      'http://localhost:3000/api/tickets/?cursor=abc',
      '/api/tickets/?cursor=def',
    ]);
  });

  it('posts tickets with an Idempotency-Key, patches with If-Match and classifies', async () => {
    const ticket = makeTicket({ id: 9 });
    mockHttp({
      'POST /api/tickets/': (r) => json({ ...ticket, ...(r.body as object) }, 201),
      'PATCH /api/tickets/9/': (r) => json({ ...ticket, ...(r.body as object) }, 200, { ETag: '"4"' }),
      'POST /api/tickets/classify/': () =>
        json({
          suggested_category: 'billing',
          suggested_priority: 'low',
          source: 'offline',
          confidence: { category: 0.9, priority: 0.4 },
        }),
    });
    const created = await createTicket(
      { title: 'T', description: 'D', category: 'account', priority: 'low' },
      { idempotencyKey: 'key-1' },
    );
    const updated = await updateTicket(9, { status: 'closed' }, { ifMatch: '"3"' });
    const suggestion = await classifyTicket('refund please');
    expect(requests[0].body).toEqual({ title: 'T', description: 'D', category: 'account', priority: 'low' });
    expect(requests[0].headers['idempotency-key']).toBe('key-1');
    expect(created.replayed).toBe(false);
    expect(requests[1].headers['if-match']).toBe('"3"');
    expect(requests[1].body).toEqual({ status: 'closed' });
    expect(updated).toEqual({ ticket: { ...ticket, status: 'closed' }, etag: '"4"' });
    expect(requests[2].body).toEqual({ description: 'refund please' });
    expect(suggestion.source).toBe('offline');
    expect(suggestion.confidence).toEqual({ category: 0.9, priority: 0.4 });
  });

  it('reads a replayed create', async () => {
    mockHttp({
      'POST /api/tickets/': () => json(makeTicket({ id: 5 }), 201, { 'Idempotent-Replayed': 'true' }),
    });
    const created = await createTicket(
      { title: 'T', description: 'D', category: 'account', priority: 'low' },
      { idempotencyKey: 'k' },
    );
    expect(created).toMatchObject({ ticket: { id: 5 }, replayed: true });
  });

  it('gets a ticket with its ETag, and sends no If-Match when the server gave none', async () => {
    const ticket = makeTicket({ id: 4 });
    mockHttp({
      'GET /api/tickets/4/': () => json(ticket, 200, { ETag: '"7"' }),
      'PATCH /api/tickets/4/': () => json(ticket),
    });
    expect(await getTicket(4)).toEqual({ ticket, etag: '"7"' });
    expect(await updateTicket(4, { title: 'x' }, { ifMatch: null })).toEqual({ ticket, etag: null });
    expect(requests[1].headers).not.toHaveProperty('if-match');
  });

  it('pages through the history and picks the events after a version', async () => {
    const event = (id: number, version: number) => ({
      id,
      version,
      at: '2026-11-29T10:05:00Z',
      actor: { kind: 'account', id: 3, name: 'Ann Agent' },
      action: version === 1 ? 'created' : 'changed',
      field: version === 1 ? null : 'status',
      from: null,
      to: null,
    });
    mockHttp({
      'GET /api/tickets/4/history/': (r) =>
        r.params.cursor === '2'
          ? json([event(4, 3), event(5, 4)])
          : json([event(1, 1), event(2, 2), event(3, 2)], 200, {
              Link: '</api/tickets/4/history/?limit=100&cursor=2>; rel="next"',
            }),
    });
    const first = await listHistory(4);
    expect(first.events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(first.next).toBe(`${window.location.origin}/api/tickets/4/history/?limit=100&cursor=2`);
    expect((await fetchHistoryPage(first.next!)).events.map((e) => e.id)).toEqual([4, 5]);

    requests.length = 0;
    const since = await historySince(4, 2);
    expect(since.map((e) => e.id)).toEqual([4, 5]);
    expect(requests.map((r) => r.params)).toEqual([{ limit: '100' }, { limit: '100', cursor: '2' }]);
  });

  it('reads the version from an ETag', () => {
    expect(etagVersion('"3"')).toBe(3);
    expect(etagVersion('W/"12"')).toBe(12);
    expect(etagVersion('"abc"')).toBeNull();
    expect(etagVersion(null)).toBeNull();
  });

  it('turns 400 bodies into field errors', async () => {
    mockHttp({
      'POST /api/tickets/': () =>
        json({ title: ['Too long.'], category: ['This field is required.'] }, 400),
    });
    const error = (await createTicket(
      { title: 'x', description: 'y', category: 'billing', priority: 'low' },
      { idempotencyKey: 'k' },
    ).catch((e: unknown) => e)) as ApiError;
    expect(error.kind).toBe('http');
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({ title: ['Too long.'], category: ['This field is required.'] });
  });

  it('reads detail and Retry-After', async () => {
    mockHttp({
      'POST /api/tickets/classify/': () =>
        json({ detail: 'Slow down.' }, 429, { 'Retry-After': '12' }),
    });
    const error = (await classifyTicket('x').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(error.detail).toBe('Slow down.');
    expect(error.retryAfter).toBe(12);
    expect(isOnline()).toBe(true);
  });

  it('marks the app offline on a network error and online on the next answer', async () => {
    const listener = vi.fn();
    const unsubscribe = subscribeConnectivity(listener);
    let down = true;
    mockHttp({ 'GET /api/tickets/stats/': () => (down ? 'network-error' : json({})) });
    const { getStats } = await import('./api');
    const error = (await getStats().catch((e: unknown) => e)) as ApiError;
    expect(error.isNetwork).toBe(true);
    expect(isOnline()).toBe(false);
    down = false;
    await getStats();
    expect(isOnline()).toBe(true);
    expect(listener.mock.calls).toEqual([[false], [true]]);
    unsubscribe();
  });

  it('reports cancelled requests as aborted', async () => {
    mockHttp({ 'GET /api/tickets/': () => json([]) });
    const controller = new AbortController();
    controller.abort();
    const error = (await listTickets({}, { signal: controller.signal }).catch((e: unknown) => e)) as ApiError;
    expect(error.isAborted).toBe(true);
    expect(toApiError(error)).toBe(error);
  });
});
