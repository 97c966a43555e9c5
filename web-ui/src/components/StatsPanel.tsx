import { useEffect, useState } from 'react';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  errorMessage,
  getStats,
  type Stats,
} from '../api';

interface StatsPanelProps {
  /** Change it to refetch the numbers. */
  refreshKey?: number;
}

interface LoadState {
  key: string;
  stats: Stats | null;
  error: string | null;
}

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
              <span className="bar-track" aria-hidden="true">
                {bar.count > 0 && (
                  <span className={`bar-fill bar-${bar.key}`} style={{ width: `${width}%` }} />
                )}
              </span>
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

export default function StatsPanel({ refreshKey = 0 }: StatsPanelProps) {
  const [state, setState] = useState<LoadState>({ key: '', stats: null, error: null });
  const [retries, setRetries] = useState(0);
  const loadKey = `${refreshKey}:${retries}`;

  useEffect(() => {
    const controller = new AbortController();
    getStats({ signal: controller.signal }).then(
      (stats) => setState({ key: loadKey, stats, error: null }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((prev) => ({ key: loadKey, stats: prev.stats, error: errorMessage(error) }));
      },
    );
    return () => controller.abort();
  }, [loadKey]);

  const loading = state.key !== loadKey;
  const { stats, error } = state;

  return (
    <section className="panel stats" aria-labelledby="stats-heading" aria-busy={loading}>
      <h2 id="stats-heading">Overview</h2>
      {error && (
        <div className="inline-error" role="alert">
          <span>Couldn't load statistics: {error}</span>{' '}
          <button type="button" className="button-link" onClick={() => setRetries((n) => n + 1)}>
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
