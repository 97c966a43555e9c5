import { useEffect, useState, useSyncExternalStore } from 'react';
import { QueryClientProvider, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { checkHealth, isOnline, subscribeConnectivity } from './api';
import { createQueryClient, ticketCreated } from './queries';
import StatsPanel from './components/StatsPanel';
import TicketForm from './components/TicketForm';
import TicketList from './components/TicketList';

interface AppProps {
  /** How often /healthz is polled while the server is unreachable. */
  healthPollMs?: number;
  /** Page size for the ticket list (`limit`); the server default applies when omitted. */
  pageSize?: number;
  /** Server-state cache; one is made per App when omitted. */
  queryClient?: QueryClient;
}

export default function App({ queryClient, ...props }: AppProps) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <Shell {...props} />
    </QueryClientProvider>
  );
}

function Shell({ healthPollMs = 3000, pageSize }: Omit<AppProps, 'queryClient'>) {
  const queryClient = useQueryClient();
  const online = useSyncExternalStore(subscribeConnectivity, isOnline);

  useEffect(
    () =>
      subscribeConnectivity((up) => {
        // Back online: fetch everything on screen again.
        if (up) void queryClient.invalidateQueries();
      }),
    [queryClient],
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
          <TicketForm onCreated={() => void ticketCreated(queryClient)} />
          <StatsPanel />
        </div>
        <div className="content">
          <TicketList pageSize={pageSize} />
        </div>
      </main>
    </div>
  );
}
