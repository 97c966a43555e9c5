/**
 * One ticket as the server keeps it (per the contract): a version number sent as a strong
 * ETag, PATCH with If-Match answering 412 when stale, and the history, paged oldest first.
 */
import type { HistoryEvent, Ticket, TicketChanges, TicketField } from '../api';
import { actors, changed, created } from './fixtures';
import { json, type MockHandler } from './mockHttp';

export interface FakeTicket {
  ticket: Ticket;
  version: number;
  events: HistoryEvent[];
  /** Someone else's change, as a PATCH from them would make it. */
  change: (changes: TicketChanges, actor?: HistoryEvent['actor']) => void;
  routes: Record<string, MockHandler>;
  etag: () => string;
}

export function fakeTicket(initial: Ticket, options: { historyPageSize?: number } = {}): FakeTicket {
  const fake: FakeTicket = {
    ticket: { ...initial },
    version: 1,
    events: [created(1)],
    etag: () => `"${fake.version}"`,
    change(changes, actor = actors.bob) {
      const before = fake.ticket;
      const fields = (Object.keys(changes) as TicketField[]).filter((f) => changes[f] !== before[f]);
      if (!fields.length) return;
      fake.version += 1;
      for (const field of fields) {
        fake.events.push(changed(fake.version, field, before[field], changes[field]!, actor, new Date().toISOString()));
      }
      fake.ticket = { ...before, ...changes };
    },
    routes: {},
  };
  const id = initial.id;
  const pageSize = options.historyPageSize ?? 100;
  fake.routes = {
    [`GET /api/tickets/${id}/`]: () => json(fake.ticket, 200, { ETag: fake.etag() }),
    [`PATCH /api/tickets/${id}/`]: (request) => {
      const ifMatch = request.headers['if-match'];
      if (ifMatch && ifMatch !== fake.etag()) {
        return json({ detail: 'The ticket was changed by someone else since you read it.' }, 412);
      }
      fake.change(request.body as TicketChanges, actors.ann);
      return json(fake.ticket, 200, { ETag: fake.etag() });
    },
    [`GET /api/tickets/${id}/history/`]: (request) => {
      const limit = Math.min(Number(request.params.limit ?? pageSize), pageSize);
      const start = Number(request.params.cursor ?? 0);
      const page = fake.events.slice(start, start + limit);
      const more = start + limit < fake.events.length;
      return json(
        page,
        200,
        more ? { Link: `</api/tickets/${id}/history/?limit=${limit}&cursor=${start + limit}>; rel="next"` } : {},
      );
    },
  };
  return fake;
}
