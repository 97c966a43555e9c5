/**
 * Who is signed in. The session cookie is HttpOnly, so the UI asks GET /api/auth/me/.
 * A 401 from any call while signed in means the session expired: the UI says so and goes
 * to the sign-in page, which brings the person back to the same page afterwards (drafts
 * are kept in sessionStorage, see drafts.ts).
 */
import { createContext, useContext } from 'react';
import type { Account } from './api';

export const meKey = ['auth', 'me'] as const;

export const SESSION_EXPIRED = 'Your session has expired — sign in again.';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

interface Session {
  status: SessionStatus;
  account: Account | null;
  /** A message for the sign-in page (the session expired). */
  notice: string | null;
  /** Call with the account from a successful sign-in or setup. */
  signedIn: (account: Account) => void;
  /** Ends the session on the server and forgets everything. */
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <SessionProvider>');
  return session;
}

