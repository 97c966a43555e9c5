import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, getMe, logout, subscribeUnauthorized, type Account } from '../api';
import { clearDrafts } from '../drafts';
import { navigate, signInPath } from '../router';
import { SESSION_EXPIRED, SessionContext, meKey, type SessionStatus } from '../session';

/** Provides useSession(): asks /api/auth/me/, and turns a 401 while signed in into "session expired". */
export default function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: meKey,
    queryFn: ({ signal }) => getMe({ signal }),
    staleTime: Infinity,
  });
  const [notice, setNotice] = useState<string | null>(null);

  // Unless the server said who we are, we are not signed in. Before the first answer (or
  // when the server can't be reached) the status is "loading"; a failed /me after a
  // successful one keeps the account (the offline banner tells what is going on).
  const account = me.data ?? null;
  const status: SessionStatus = me.data === undefined ? (me.isError ? 'signed-out' : 'loading') : account ? 'signed-in' : 'signed-out';

  const accountRef = useRef(account);
  useEffect(() => {
    accountRef.current = account;
  }, [account]);

  /** Drops everything cached for the account (ticket lists, team…), keeping /me. */
  const forgetServerState = useCallback(() => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
  }, [queryClient]);

  useEffect(
    () =>
      subscribeUnauthorized(() => {
        if (!accountRef.current) return; // not signed in: the caller shows its own error
        accountRef.current = null;
        setNotice(SESSION_EXPIRED);
        queryClient.setQueryData(meKey, null);
        forgetServerState();
        const { pathname, search } = window.location;
        navigate(signInPath({ pathname, search }));
      }),
    [queryClient, forgetServerState],
  );

  const signedIn = useCallback(
    (next: Account) => {
      setNotice(null);
      forgetServerState();
      queryClient.setQueryData(meKey, next);
    },
    [queryClient, forgetServerState],
  );

  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch (error) {
      // Already signed out on the server (401) is fine; anything else is reported.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    accountRef.current = null;
    clearDrafts();
    setNotice(null);
    queryClient.setQueryData(meKey, null);
    forgetServerState();
    navigate('/');
  }, [queryClient, forgetServerState]);

  const value = useMemo(
    () => ({ status, account, notice, signedIn, signOut }),
    [status, account, notice, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
