import type { Stats, Ticket } from '../api';

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
