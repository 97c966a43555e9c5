import { CATEGORIES, CATEGORY_LABELS, PRIORITIES, PRIORITY_LABELS, errorMessage } from '../api';
import { useStats } from '../queries';

const numberFormat = new Intl.NumberFormat('en');
const averageFormat = new Intl.NumberFormat('en', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

interface Bar {
  key: string;
  label: string;
  count: number;
}

function BarChart({ title, id, bars }: { title: string; id: string; bars: Bar[] }) {
  const max = Math.max(0, ...bars.map((b) => b.count));
  const total = bars.reduce((sum, b) => sum + b.count, 0);
  return (
    <figure className="chart" aria-labelledby={id}>
      <figcaption id={id} className="chart-title">
        {title}
      </figcaption>
      <ul className="bars" aria-labelledby={id}>
        {bars.map((bar) => {
          const width = max > 0 ? (bar.count / max) * 100 : 0;
          const share = total > 0 ? Math.round((bar.count / total) * 100) : 0;
          return (
            <li
              key={bar.key}
              className="bar-row"
              aria-label={`${bar.label}: ${numberFormat.format(bar.count)} (${share}%)`}
            >
              <span className="bar-label" aria-hidden="true">
                {bar.label}
              </span>
              {/* An SVG attribute, not an inline style: the CSP allows no style attributes. */}
              <svg
                className="bar-track"
                viewBox="0 0 100 1"
                preserveAspectRatio="none"
                aria-hidden="true"
                focusable="false"
              >
                {bar.count > 0 && (
                  <rect className={`bar-fill bar-${bar.key}`} width={Math.max(width, 1)} height="1" />
                )}
              </svg>
              <span className="bar-value" aria-hidden="true">
                {numberFormat.format(bar.count)}
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

export default function StatsPanel() {
  const query = useStats();
  const stats = query.data ?? null;
  const error = query.isError ? errorMessage(query.error) : null;
  const loading = query.isFetching;

  return (
    <section className="panel stats" aria-labelledby="stats-heading" aria-busy={loading}>
      <h2 id="stats-heading">Overview</h2>
      {error && (
        <div className="inline-error" role="alert">
          <span>Couldn't load statistics: {error}</span>{' '}
          <button type="button" className="button-link" onClick={() => void query.refetch()}>
            Retry
          </button>
        </div>
      )}
      {!stats && !error && <p className="muted">Loading statistics…</p>}
      {stats && (
        <>
          <dl className="kpis">
            <div className="kpi">
              <dt id="stat-total">Total tickets</dt>
              <dd aria-labelledby="stat-total">{numberFormat.format(stats.total_tickets)}</dd>
            </div>
            <div className="kpi">
              <dt id="stat-open">Open</dt>
              <dd aria-labelledby="stat-open">{numberFormat.format(stats.open_tickets)}</dd>
            </div>
            <div className="kpi">
              <dt id="stat-avg">Avg per day</dt>
              <dd aria-labelledby="stat-avg">{averageFormat.format(stats.avg_tickets_per_day)}</dd>
            </div>
          </dl>
          <div className="charts">
            <BarChart
              id="chart-priority"
              title="By priority"
              bars={PRIORITIES.map((p) => ({
                key: p,
                label: PRIORITY_LABELS[p],
                count: stats.priority_breakdown?.[p] ?? 0,
              }))}
            />
            <BarChart
              id="chart-category"
              title="By category"
              bars={CATEGORIES.map((c) => ({
                key: c,
                label: CATEGORY_LABELS[c],
                count: stats.category_breakdown?.[c] ?? 0,
              }))}
            />
          </div>
        </>
      )}
    </section>
  );
}
