/**
 * Server state: every query key and cache update lives here (TanStack Query).
 * Components read through these hooks; api.ts stays the only place that speaks HTTP.
 */
import {
  QueryClient,
  keepPreviousData,
  useInfiniteQuery,
  useQuery,
  type InfiniteData,
} from '@tanstack/react-query';
import {
  fetchHistoryPage,
  fetchNextPage,
  getStats,
  getTicket,
  listHistory,
  listTickets,
  type HistoryEvent,
  type HistoryPage,
  type Ticket,
  type TicketFilters,
  type TicketPage,
  type VersionedTicket,
} from './api';

export const queryKeys = {
  tickets: ['tickets'] as const,
  ticketLists: ['tickets', 'list'] as const,
  ticketList: (filters: TicketFilters) =>
    [
      'tickets',
      'list',
      {
        category: filters.category || '',
        priority: filters.priority || '',
        status: filters.status || '',
        search: filters.search?.trim() ?? '',
        limit: filters.limit ?? null,
      },
    ] as const,
  stats: ['tickets', 'stats'] as const,
  /** One ticket with its ETag. */
  ticket: (id: number) => ['tickets', 'detail', id] as const,
  /** One ticket's history, page by page (oldest first). */
  history: (id: number) => ['tickets', 'history', id] as const,
  accounts: ['accounts'] as const,
  tokens: ['tokens'] as const,
};

/**
 * One client per app. No automatic retries: a failed load shows its error with a Retry
 * button, and when the server is reachable again after an outage everything is refetched
 * (see App). `networkMode: 'always'` because connectivity is judged by api.ts from real
 * answers, not by navigator.onLine.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: false,
        networkMode: 'always',
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

type TicketPages = InfiniteData<TicketPage, string | null>;

/** The ticket list, page by page: the first page by filters, the next ones by the Link URL. */
export function useTicketList(filters: TicketFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.ticketList(filters),
    queryFn: ({ pageParam, signal }) =>
      pageParam ? fetchNextPage(pageParam, { signal }) : listTickets(filters, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next,
    placeholderData: keepPreviousData,
  });
}

/** One ticket and its ETag (GET /api/tickets/{id}/). */
export function useTicket(id: number) {
  return useQuery({
    queryKey: queryKeys.ticket(id),
    queryFn: ({ signal }) => getTicket(id, { signal }),
  });
}

/** A ticket's history, oldest first; "Load more" follows the Link header to newer events. */
export function useTicketHistory(id: number) {
  return useInfiniteQuery({
    queryKey: queryKeys.history(id),
    queryFn: ({ pageParam, signal }) =>
      pageParam ? fetchHistoryPage(pageParam, { signal }) : listHistory(id, {}, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage: HistoryPage) => lastPage.next,
  });
}

/** History events of every loaded page, each once, oldest first. */
export function flattenHistory(data: InfiniteData<HistoryPage, unknown> | undefined): HistoryEvent[] {
  if (!data) return [];
  const seen = new Set<number>();
  const events: HistoryEvent[] = [];
  for (const page of data.pages) {
    for (const event of page.events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      events.push(event);
    }
  }
  return events;
}

export function useStats() {
  return useQuery({
    queryKey: queryKeys.stats,
    queryFn: ({ signal }) => getStats({ signal }),
  });
}

/** Tickets of every loaded page, each once (a ticket can move between pages as others arrive). */
export function flattenPages(data: InfiniteData<TicketPage, unknown> | undefined): Ticket[] {
  if (!data) return [];
  const seen = new Set<number>();
  const tickets: Ticket[] = [];
  for (const page of data.pages) {
    for (const ticket of page.tickets) {
      if (seen.has(ticket.id)) continue;
      seen.add(ticket.id);
      tickets.push(ticket);
    }
  }
  return tickets;
}

/**
 * After a ticket was changed: put the server's copy in every cached list at once (the
 * loaded pages stay loaded), mark the lists stale so other filters refetch when next
 * shown, and refetch the stats.
 */
export async function ticketUpdated(client: QueryClient, updated: Ticket): Promise<void> {
  client.setQueriesData<TicketPages>({ queryKey: queryKeys.ticketLists }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) =>
            page.tickets.some((t) => t.id === updated.id)
              ? { ...page, tickets: page.tickets.map((t) => (t.id === updated.id ? updated : t)) }
              : page,
          ),
        }
      : data,
  );
  await Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.ticketLists, refetchType: 'none' }),
    client.invalidateQueries({ queryKey: queryKeys.stats }),
  ]);
}

/**
 * After a change from a card (no ETag at hand): update the lists as ticketUpdated does,
 * and mark the ticket's own view and history stale, so they are read again when opened.
 */
export async function ticketChangedElsewhere(client: QueryClient, updated: Ticket): Promise<void> {
  await Promise.all([
    ticketUpdated(client, updated),
    client.invalidateQueries({ queryKey: queryKeys.ticket(updated.id), refetchType: 'none' }),
    client.invalidateQueries({ queryKey: queryKeys.history(updated.id), refetchType: 'none' }),
  ]);
}

/**
 * After a ticket was created: refetch the lists on screen (every loaded page, so "Load
 * more" results stay) and the stats.
 */
export async function ticketCreated(client: QueryClient): Promise<void> {
  await client.invalidateQueries({ queryKey: queryKeys.tickets });
}

/**
 * After the ticket view saved a ticket, or learnt a newer version of it: keep the copy
 * and its ETag, update it in every cached list (loaded pages stay loaded), and refetch
 * its history (every loaded page) and the stats.
 */
export async function ticketVersionSeen(client: QueryClient, current: VersionedTicket): Promise<void> {
  client.setQueryData(queryKeys.ticket(current.ticket.id), current);
  await Promise.all([
    ticketUpdated(client, current.ticket),
    client.invalidateQueries({ queryKey: queryKeys.history(current.ticket.id) }),
  ]);
}
