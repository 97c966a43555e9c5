import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { checkHealth, isOnline, subscribeConnectivity } from './api';
import StatsPanel from './components/StatsPanel';
import TicketForm from './components/TicketForm';
import TicketList from './components/TicketList';

interface AppProps {
  /** How often /healthz is polled while the server is unreachable. */
  healthPollMs?: number;
  /** Page size for the ticket list (`limit`); the server default applies when omitted. */
  pageSize?: number;
}

export default function App({ healthPollMs = 3000, pageSize }: AppProps) {
  const [refreshKey, setRefreshKey] = useState(0);
  const online = useSyncExternalStore(subscribeConnectivity, isOnline);

  useEffect(
    () =>
      subscribeConnectivity((up) => {
        // Back online: fetch everything again.
        if (up) setRefreshKey((k) => k + 1);
      }),
    [],
  );

  useEffect(() => {
    if (online) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      // A successful answer flips the connectivity state back to online.
      checkHealth({ signal: controller.signal }).catch(() => undefined);
    }, healthPollMs);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [online, healthPollMs]);

  const refresh = useCallback(() => setRefreshKey((k) => k + 1), []);

  return (
    <div className="app">
      <a className="skip-link" href="#tickets-heading">
        Skip to tickets
      </a>
      <header className="app-header">
        <div className="brand">
          <svg className="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="8" />
            <path d="M9 11h14M9 16h14M9 21h9" />
          </svg>
          <div>
            <h1>Helpdesk</h1>
            <p className="tagline">Support tickets, triaged.</p>
          </div>
        </div>
      </header>
      {!online && (
        <div className="offline-banner" role="status">
          <span className="dot" aria-hidden="true" />
          Offline — can't reach the server, retrying…
        </div>
      )}
      <main className="layout">
        <div className="side">
          <TicketForm onCreated={refresh} />
          <StatsPanel refreshKey={refreshKey} />
        </div>
        <div className="content">
          <TicketList refreshKey={refreshKey} pageSize={pageSize} onUpdated={refresh} />
        </div>
      </main>
    </div>
  );
}
