import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { QueryClientProvider, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { checkHealth, isOnline, subscribeConnectivity } from './api';
import TicketForm from './components/TicketForm';
import UserMenu from './components/UserMenu';
import SetupPage from './pages/SetupPage';
import SignInPage from './pages/SignInPage';
import { NotAllowed, NotFound } from './pages/SimplePages';
import TeamPage from './pages/TeamPage';
import TicketPage from './pages/TicketPage';
import Workspace from './pages/Workspace';
import { createQueryClient } from './queries';
import Link from './components/Link';
import SessionProvider from './components/SessionProvider';
import { matchRoute, navigate, signInPath, useLocation, type Route } from './router';
import { useSession } from './session';

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
      <SessionProvider>
        <Shell {...props} />
      </SessionProvider>
    </QueryClientProvider>
  );
}

/** Routes only a signed-in person may see. */
const PROTECTED: Route['name'][] = ['team', 'ticket'];

function Shell({ healthPollMs = 3000, pageSize }: Omit<AppProps, 'queryClient'>) {
  const queryClient = useQueryClient();
  const online = useSyncExternalStore(subscribeConnectivity, isOnline);
  const { status, account } = useSession();
  const location = useLocation();
  const route = matchRoute(location.pathname);
  const mainRef = useRef<HTMLElement>(null);
  const lastPath = useRef(location.pathname);

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

  // A signed-out visit to a page that needs an account goes to sign-in, and back after.
  useEffect(() => {
    if (status === 'signed-out' && PROTECTED.includes(route.name)) {
      navigate(signInPath(location), { replace: true });
    }
  }, [status, route.name, location]);

  // After a client-side navigation, move focus to the new page (as a page load would).
  useEffect(() => {
    if (lastPath.current === location.pathname) return;
    lastPath.current = location.pathname;
    mainRef.current?.focus();
  }, [location.pathname]);

  let page;
  if (route.name === 'signin') page = <SignInPage />;
  else if (route.name === 'setup') page = <SetupPage />;
  else if (route.name === 'not-found') page = <NotFound />;
  else if (status === 'loading' || (status === 'signed-out' && route.name !== 'home')) {
    page = (
      <p className="muted page-loading" aria-busy="true">
        Loading…
      </p>
    );
  } else if (status === 'signed-out') {
    page = (
      <div className="public">
        <TicketForm variant="public" />
      </div>
    );
  } else if (route.name === 'home') page = <Workspace pageSize={pageSize} />;
  else if (route.name === 'team') page = account?.role === 'admin' ? <TeamPage /> : <NotAllowed />;
  else page = <TicketPage id={Number(route.id)} />;

  const showSignInLink = status === 'signed-out' && route.name !== 'signin';
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <div className="header-inner">
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
          {status === 'signed-in' && account && (
            <nav className="main-nav" aria-label="Main">
              <Link to="/" aria-current={route.name === 'home' ? 'page' : undefined}>
                Tickets
              </Link>
              {account.role === 'admin' && (
                <Link to="/team" aria-current={route.name === 'team' ? 'page' : undefined}>
                  Team &amp; tokens
                </Link>
              )}
            </nav>
          )}
          <div className="header-end">
            {status === 'signed-in' && account && <UserMenu account={account} />}
            {showSignInLink && (
              <Link className="signin-link" to={signInPath(location)}>
                Sign in
              </Link>
            )}
          </div>
        </div>
      </header>
      {!online && (
        <div className="offline-banner" role="status">
          <span className="dot" aria-hidden="true" />
          Offline — can't reach the server, retrying…
        </div>
      )}
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        {page}
      </main>
    </div>
  );
}
