import type { HistoryEvent } from './api';

/** The events of one version: one `created`, or the fields one PATCH changed. */
export interface EventGroup {
  version: number;
  at: string;
  actor: HistoryEvent['actor'];
  created: boolean;
  changes: HistoryEvent[];
  /** For React keys: the first event's id. */
  key: number;
}

/** Groups consecutive events of the same version (a PATCH of three fields gives three events). */
export function groupEvents(events: readonly HistoryEvent[]): EventGroup[] {
  const groups: EventGroup[] = [];
  for (const event of events) {
    const last = groups.at(-1);
    if (last && last.version === event.version) {
      if (event.action === 'created') last.created = true;
      else last.changes.push(event);
      continue;
    }
    groups.push({
      version: event.version,
      at: event.at,
      actor: event.actor,
      created: event.action === 'created',
      changes: event.action === 'changed' ? [event] : [],
      key: event.id,
    });
  }
  return groups;
}
