import { errorMessage } from '../api';
import { flattenHistory, useTicketHistory } from '../queries';
import { groupEvents } from '../history';
import { HistoryEntry } from './HistoryEntry';

/**
 * A ticket's history as a timeline, oldest first as the API gives it; "Load more" follows
 * the Link header to the newer events.
 */
export default function TicketHistory({ ticketId }: { ticketId: number }) {
  const query = useTicketHistory(ticketId);
  const groups = groupEvents(flattenHistory(query.data));
  const loadingMore = query.isFetchingNextPage;
  const moreError = query.isFetchNextPageError ? errorMessage(query.error) : null;
  const error = query.isError && !query.isFetchNextPageError ? errorMessage(query.error) : null;

  if (query.isPending) {
    return (
      <p className="muted" aria-busy="true">
        Loading the history…
      </p>
    );
  }
  if (error) {
    return (
      <div className="error-box" role="alert">
        <p>Couldn't load the history: {error}</p>
        <button type="button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  return (
    <>
      {groups.length === 0 ? (
        <p className="muted">No history yet.</p>
      ) : (
        <ol className="timeline" aria-label="History, oldest first" aria-busy={query.isFetching && !loadingMore}>
          {groups.map((group) => (
            <li key={group.key} className={group.created ? 'timeline-created' : undefined}>
              <HistoryEntry group={group} />
            </li>
          ))}
        </ol>
      )}
      {query.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            onClick={() => void query.fetchNextPage({ cancelRefetch: false })}
            disabled={query.isFetching}
            aria-busy={loadingMore}
          >
            {loadingMore ? 'Loading…' : 'Load more history'}
          </button>
          {moreError && (
            <p className="inline-error" role="alert">
              Couldn't load more of the history: {moreError}
            </p>
          )}
        </div>
      )}
    </>
  );
}
