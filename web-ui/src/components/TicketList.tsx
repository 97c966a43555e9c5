import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  errorMessage,
  type Category,
  type Priority,
  type Status,
  type Ticket,
} from '../api';
import { useDraft } from '../drafts';
import { flattenPages, ticketChangedElsewhere, useTicketList } from '../queries';
import ChoiceSelect from './ChoiceSelect';
import TicketCard from './TicketCard';

interface TicketListProps {
  /** Sent as `limit`; the server's default page size (100) applies when omitted. */
  pageSize?: number;
  /** Search box debounce in ms. */
  searchDebounceMs?: number;
  /** Called after a ticket's status was changed from its card (the cache is already updated). */
  onUpdated?: (ticket: Ticket) => void;
}

interface Filters {
  category: Category | '';
  priority: Priority | '';
  status: Status | '';
  /** The search term in effect (the box may hold newer text, debounced). */
  search: string;
}

const NO_FILTERS: Filters = { category: '', priority: '', status: '', search: '' };

export default function TicketList({ pageSize, searchDebounceMs = 300, onUpdated }: TicketListProps) {
  const queryClient = useQueryClient();
  // Kept for this tab, so coming back from a ticket finds the same list (and its loaded pages).
  const [filters, setFilters] = useDraft<Filters>('ticket-list-filters', NO_FILTERS);
  const [searchText, setSearchText] = useState(filters.search);
  const searchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const search = filters.search;

  const query = useTicketList({ ...filters, limit: pageSize });

  useEffect(() => {
    const timer = searchTimer;
    return () => clearTimeout(timer.current);
  }, []);

  const filtersActive = Boolean(filters.category || filters.priority || filters.status || search.trim());

  function updateFilter<K extends keyof Filters>(name: K, value: Filters[K]) {
    setFilters((prev) => ({ ...prev, [name]: value }));
  }

  function onSearchChange(value: string) {
    setSearchText(value);
    clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(() => updateFilter('search', value), searchDebounceMs);
  }

  function loadMore() {
    if (!query.hasNextPage || query.isFetching) return;
    void query.fetchNextPage({ cancelRefetch: false });
  }

  function handleUpdated(updated: Ticket) {
    void ticketChangedElsewhere(queryClient, updated);
    onUpdated?.(updated);
  }

  function handleRefreshed(current: Ticket) {
    void ticketChangedElsewhere(queryClient, current);
  }

  const tickets = flattenPages(query.data);
  const next = query.hasNextPage;
  const loadingMore = query.isFetchingNextPage;
  /** The first page (or a refetch of the loaded pages) is on its way. */
  const loading = query.isPending || query.isPlaceholderData || (query.isFetching && !loadingMore);
  const moreError = query.isFetchNextPageError ? errorMessage(query.error) : null;
  const error = query.isError && !query.isFetchNextPageError ? errorMessage(query.error) : null;
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
          updateFilter('search', searchText);
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
          <button type="button" onClick={() => void query.refetch()}>
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
              <TicketCard ticket={ticket} onUpdated={handleUpdated} onRefreshed={handleRefreshed} />
            </li>
          ))}
        </ol>
      )}

      {next && !error && (
        <div className="load-more">
          <button
            type="button"
            onClick={loadMore}
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
