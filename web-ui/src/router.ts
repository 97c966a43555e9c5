/**
 * A small client-side router over the History API (the server answers index.html for
 * every path that is not the API's).
 */
import { useSyncExternalStore } from 'react';

const NAVIGATE_EVENT = 'helpdesk:navigate';

export interface Location {
  pathname: string;
  search: string;
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(NAVIGATE_EVENT, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(NAVIGATE_EVENT, callback);
  };
}

const href = () => window.location.pathname + window.location.search;

/** The current path and query string; re-renders on navigation. */
export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, href);
  const url = new URL(current, 'http://x');
  return { pathname: url.pathname, search: url.search };
}

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (to === href()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** A path on this site that is safe to go back to after signing in. */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/signin') || value.startsWith('/setup')) return fallback;
  return value;
}

/** `/signin?next=…` for the page at `location`. */
export function signInPath(location: Location): string {
  const here = location.pathname + location.search;
  const next = safeNext(here, '/');
  return next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
}

export type Route =
  | { name: 'home' }
  | { name: 'signin' }
  | { name: 'setup' }
  | { name: 'team' }
  | { name: 'ticket'; id: string }
  | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { name: 'home' };
  if (path === '/signin') return { name: 'signin' };
  if (path === '/setup') return { name: 'setup' };
  if (path === '/team') return { name: 'team' };
  const ticket = /^\/tickets\/(\d+)$/.exec(path);
  if (ticket) return { name: 'ticket', id: ticket[1] };
  return { name: 'not-found' };
}
