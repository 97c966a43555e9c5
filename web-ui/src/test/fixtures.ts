import type { Account, HistoryEvent, Stats, Ticket } from '../api';

let nextId = 1;

export function makeTicket(overrides: Partial<Ticket> = {}): Ticket {
  const id = overrides.id ?? nextId++;
  return {
    id,
    title: `Ticket number ${id}`,
    description: `Description of ticket ${id}.`,
    category: 'technical',
    priority: 'medium',
    status: 'open',
    created_at: '2025-11-20T10:30:00Z',
    ...overrides,
  };
}

export function makeStats(overrides: Partial<Stats> = {}): Stats {
  return {
    total_tickets: 124,
    open_tickets: 67,
    avg_tickets_per_day: 8.3,
    priority_breakdown: { low: 30, medium: 52, high: 31, critical: 11 },
    category_breakdown: { billing: 28, technical: 55, account: 22, general: 19 },
    ...overrides,
  };
}

export function makeAccount(overrides: Partial<Account> = {}): Account {
  const id = overrides.id ?? nextId++;
  return {
    id,
    email: `person${id}@example.com`,
    name: `Person ${id}`,
    role: 'agent',
    disabled: false,
    created_at: '2025-11-20T10:30:00Z',
    ...overrides,
  };
}

export const ann = () => makeAccount({ id: 1, name: 'Ann Agent', email: 'ann@example.com', role: 'agent' });
export const ada = () => makeAccount({ id: 2, name: 'Ada Admin', email: 'ada@example.com', role: 'admin' });

let nextEventId = 1;

export const actors = {
  ann: { kind: 'account', id: 1, name: 'Ann Agent' } as HistoryEvent['actor'],
  bob: { kind: 'account', id: 3, name: 'Bob Agent' } as HistoryEvent['actor'],
  zapier: { kind: 'token', id: 4, name: 'zapier' } as HistoryEvent['actor'],
  public: { kind: 'public', id: null, name: 'public submission' } as HistoryEvent['actor'],
  /** A ticket made before history was kept (the server's wording). */
  unrecorded: { kind: 'unrecorded', id: null, name: 'before history was kept' } as HistoryEvent['actor'],
};

export function created(version = 1, actor = actors.public, at = '2026-11-29T10:00:00Z'): HistoryEvent {
  return { id: nextEventId++, version, at, actor, action: 'created', field: null, from: null, to: null };
}

export function changed(
  version: number,
  field: NonNullable<HistoryEvent['field']>,
  from: string,
  to: string,
  actor = actors.ann,
  at = '2026-11-29T10:05:00Z',
): HistoryEvent {
  return { id: nextEventId++, version, at, actor, action: 'changed', field, from, to };
}
