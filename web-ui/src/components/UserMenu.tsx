import { useEffect, useRef, useState } from 'react';
import { ROLE_LABELS, errorMessage, type Account } from '../api';
import { useSession } from '../session';

/** The signed-in person: a disclosure button that opens their name, role and "Sign out". */
export default function UserMenu({ account }: { account: Account }) {
  const { signOut } = useSession();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    function onPointerDown(event: PointerEvent) {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    }
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  async function onSignOut() {
    setBusy(true);
    setError(null);
    try {
      await signOut();
    } catch (err) {
      setError(`Couldn't sign out: ${errorMessage(err)}`);
      setBusy(false);
    }
  }

  const role = ROLE_LABELS[account.role] ?? account.role;
  return (
    <div
      className="user-menu"
      ref={rootRef}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="user-button"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        onClick={() => setOpen((v) => !v)}
      >
        <span className="avatar" aria-hidden="true">
          {Array.from(account.name.trim())[0]?.toUpperCase() ?? '?'}
        </span>
        <bdi className="user-text">{account.name}</bdi>
        <span className="visually-hidden">, {role}</span>
      </button>
      {open && (
        <div id="user-menu-panel" className="user-panel">
          <p className="user-name">
            <bdi className="user-text">{account.name}</bdi>
          </p>
          <p className="muted user-email">
            <bdi className="user-text">{account.email}</bdi>
          </p>
          <p className="user-role">
            Role: <strong>{role}</strong>
          </p>
          <button type="button" disabled={busy} aria-busy={busy} onClick={() => void onSignOut()}>
            {busy ? 'Signing out…' : 'Sign out'}
          </button>
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
