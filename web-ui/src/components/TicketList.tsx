import { useEffect, useRef, useState } from 'react';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  errorMessage,
  fetchNextPage,
  listTickets,
  type Category,
  type Priority,
  type Status,
  type Ticket,
} from '../api';
import ChoiceSelect from './ChoiceSelect';
import TicketCard from './TicketCard';

interface TicketListProps {
  /** Change it to refetch from the first page (e.g. after a create). */
  refreshKey?: number;
  /** Sent as `limit`; the server's default page size (100) applies when omitted. */
  pageSize?: number;
  /** Search box debounce in ms. */
  searchDebounceMs?: number;
  /** Called after a ticket's status was changed from its card. */
  onUpdated?: (ticket: Ticket) => void;
}

interface Filters {
  category: Category | '';
  priority: Priority | '';
  status: Status | '';
}

interface ListState {
  /** The query these results belong to. */
  key: string;
  tickets: Ticket[];
  next: string | null;
  error: string | null;
}

function mergeTickets(existing: Ticket[], incoming: Ticket[]): Ticket[] {
  const seen = new Set(existing.map((t) => t.id));
  return [...existing, ...incoming.filter((t) => !seen.has(t.id))];
}

export default function TicketList({
  refreshKey = 0,
  pageSize,
  searchDebounceMs = 300,
  onUpdated,
}: TicketListProps) {
  const [filters, setFilters] = useState<Filters>({ category: '', priority: '', status: '' });
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [retries, setRetries] = useState(0);
  const [state, setState] = useState<ListState>({ key: '', tickets: [], next: null, error: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  const searchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const moreController = useRef<AbortController | null>(null);

  const queryKey = JSON.stringify([filters, search.trim(), pageSize ?? null, refreshKey, retries]);

  useEffect(() => {
    const controller = new AbortController();
    // A new first page replaces whatever "Load more" was fetching.
    moreController.current?.abort();
    listTickets({ ...filters, search, limit: pageSize }, { signal: controller.signal }).then(
      (page) => {
        setState({ key: queryKey, tickets: page.tickets, next: page.next, error: null });
        setMoreError(null);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((prev) => ({ ...prev, key: queryKey, error: errorMessage(error) }));
      },
    );
    return () => controller.abort();
    // queryKey captures filters, search, pageSize, refreshKey and retries.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queryKey]);

  useEffect(() => {
    const timer = searchTimer;
    const more = moreController;
    return () => {
      clearTimeout(timer.current);
      more.current?.abort();
    };
  }, []);

  const loading = state.key !== queryKey;
  const filtersActive = Boolean(filters.category || filters.priority || filters.status || search.trim());

  function updateFilter<K extends keyof Filters>(name: K, value: Filters[K]) {
    setFilters((prev) => ({ ...prev, [name]: value }));
  }

  function onSearchChange(value: string) {
    setSearchText(value);
    clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(() => setSearch(value), searchDebounceMs);
  }

  async function loadMore() {
    if (!state.next || loadingMore) return;
    const key = state.key;
    const controller = new AbortController();
    moreController.current?.abort();
    moreController.current = controller;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchNextPage(state.next, { signal: controller.signal });
      setState((prev) =>
        prev.key === key
          ? { ...prev, tickets: mergeTickets(prev.tickets, page.tickets), next: page.next }
          : prev,
      );
    } catch (error) {
      if (!controller.signal.aborted) setMoreError(errorMessage(error));
    } finally {
      if (moreController.current === controller) {
        moreController.current = null;
        setLoadingMore(false);
      }
    }
  }

  function handleUpdated(updated: Ticket) {
    setState((prev) => ({
      ...prev,
      tickets: prev.tickets.map((t) => (t.id === updated.id ? updated : t)),
    }));
    onUpdated?.(updated);
  }

  const { tickets, next, error } = state;
  const showEmpty = !loading && !error && tickets.length === 0;

  return (
    <section className="panel tickets" aria-labelledby="tickets-heading">
      <div className="tickets-header">
        <h2 id="tickets-heading" tabIndex={-1}>
          Tickets
        </h2>
        <p className="muted count" aria-live="polite">
          {loading && tickets.length === 0
            ? 'Loading…'
            : `${tickets.length} shown${next ? ', more available' : ''}`}
        </p>
      </div>

      <form
        className="filters"
        role="search"
        aria-label="Filter tickets"
        onSubmit={(e) => {
          e.preventDefault();
          clearTimeout(searchTimer.current);
          setSearch(searchText);
        }}
      >
        <div className="field filter-search">
          <label htmlFor="filter-search">Search</label>
          <input
            id="filter-search"
            type="search"
            value={searchText}
            placeholder="Title or description"
            autoComplete="off"
            onChange={(e) => onSearchChange(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-category">Category</label>
          <ChoiceSelect
            id="filter-category"
            choices={CATEGORIES}
            labels={CATEGORY_LABELS}
            emptyLabel="All"
            value={filters.category}
            onChange={(value) => updateFilter('category', value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-priority">Priority</label>
          <ChoiceSelect
            id="filter-priority"
            choices={PRIORITIES}
            labels={PRIORITY_LABELS}
            emptyLabel="All"
            value={filters.priority}
            onChange={(value) => updateFilter('priority', value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <ChoiceSelect
            id="filter-status"
            choices={STATUSES}
            labels={STATUS_LABELS}
            emptyLabel="All"
            value={filters.status}
            onChange={(value) => updateFilter('status', value)}
          />
        </div>
      </form>

      {error && (
        <div className="error-box" role="alert">
          <p>Couldn't load tickets: {error}</p>
          <button type="button" onClick={() => setRetries((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}

      {showEmpty && (
        <p className="empty-state">
          {filtersActive
            ? 'No tickets match these filters.'
            : 'No tickets yet. New tickets will appear here.'}
        </p>
      )}

      {tickets.length > 0 && (
        <ol className="ticket-list" aria-label="Tickets, newest first" aria-busy={loading}>
          {tickets.map((ticket) => (
            <li key={ticket.id}>
              <TicketCard ticket={ticket} onUpdated={handleUpdated} />
            </li>
          ))}
        </ol>
      )}

      {next && !error && (
        <div className="load-more">
          <button
            type="button"
            onClick={() => void loadMore()}
            disabled={loadingMore || loading}
            aria-busy={loadingMore}
          >
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
          {moreError && (
            <p className="inline-error" role="alert">
              Couldn't load more tickets: {moreError}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
