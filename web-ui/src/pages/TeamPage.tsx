import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ROLES,
  ROLE_LABELS,
  createAccount,
  createToken,
  errorMessage,
  listAccounts,
  listTokens,
  revokeToken,
  updateAccount,
  type Account,
  type AccountChanges,
  type ApiToken,
  type FieldErrors,
  type NewApiToken,
  type Role,
} from '../api';
import ChoiceSelect from '../components/ChoiceSelect';
import TextField from '../components/TextField';
import { useDraft } from '../drafts';
import { formatAbsolute } from '../format';
import { PASSWORD_MIN, passwordError, splitErrors } from '../formErrors';
import { queryKeys } from '../queries';
import { useSession } from '../session';

const accountsKey = queryKeys.accounts;
const tokensKey = queryKeys.tokens;

function When({ iso, never = 'Never' }: { iso: string | null; never?: string }) {
  if (!iso) return <span className="muted">{never}</span>;
  return <time dateTime={iso}>{formatAbsolute(iso)}</time>;
}

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

function ResetPassword({ account, onDone }: { account: Account; onDone: (message: string) => void }) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<string[] | undefined>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const tooShort = passwordError(password);
    if (tooShort) {
      setErrors(tooShort);
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await updateAccount(account.id, { password });
      onDone(`New password set for ${account.name}; their sessions were signed out.`);
    } catch (error) {
      const { fields, form } = splitErrors(error, ['password']);
      setErrors([...(fields.password ?? []), ...(form ? [form] : [])]);
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" aria-label={`New password for ${account.name}`} noValidate onSubmit={(e) => void onSubmit(e)}>
      <TextField
        ref={inputRef}
        id={`${id}-password`}
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        value={password}
        errors={errors}
        onChange={(e) => setPassword(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          Set password
        </button>
        <button type="button" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AccountRow({ account, self }: { account: Account; self: boolean }) {
  const queryClient = useQueryClient();
  const uid = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [resetting, setResetting] = useState(false);
  const resetButton = useRef<HTMLButtonElement>(null);

  async function change(changes: AccountChanges, done: string) {
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      const updated = await updateAccount(account.id, changes);
      queryClient.setQueryData<Account[]>(accountsKey, (list) =>
        list?.map((a) => (a.id === updated.id ? updated : a)),
      );
      setMessage(done);
    } catch (err) {
      const { fields, form } = splitErrors(err, []);
      setError(form ?? Object.values(fields).flat().join(' '));
    } finally {
      setBusy(false);
    }
    void queryClient.invalidateQueries({ queryKey: accountsKey });
  }

  const name = <bdi className="user-text">{account.name}</bdi>;
  return (
    <tr className={account.disabled ? 'disabled-row' : undefined}>
      <th scope="row">
        {name}
        {self && <span className="muted"> (you)</span>}
      </th>
      <td>
        <bdi className="user-text">{account.email}</bdi>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`${uid}-role`}>
          Role of {account.name}
        </label>
        <ChoiceSelect
          id={`${uid}-role`}
          choices={ROLES}
          labels={ROLE_LABELS}
          value={account.role}
          disabled={busy}
          onChange={(role) => void change({ role }, `${account.name} is now ${ROLE_LABELS[role].toLowerCase()}.`)}
        />
      </td>
      <td>{account.disabled ? <span className="badge badge-closed">Disabled</span> : 'Active'}</td>
      <td>
        <div className="row-actions">
          <button
            type="button"
            disabled={busy}
            aria-label={`${account.disabled ? 'Enable' : 'Disable'} ${account.name}`}
            onClick={() =>
              void change(
                { disabled: !account.disabled },
                account.disabled ? `${account.name} is enabled.` : `${account.name} is disabled and signed out.`,
              )
            }
          >
            {account.disabled ? 'Enable' : 'Disable'}
          </button>
          <button
            ref={resetButton}
            type="button"
            aria-expanded={resetting}
            aria-label={`Reset password of ${account.name}`}
            disabled={busy}
            onClick={() => {
              setMessage('');
              setResetting((v) => !v);
            }}
          >
            Reset password
          </button>
        </div>
        {resetting && (
          <ResetPassword
            account={account}
            onDone={(done) => {
              setResetting(false);
              setMessage(done);
              resetButton.current?.focus();
            }}
          />
        )}
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        <p className="announce small" role="status">
          {message}
        </p>
      </td>
    </tr>
  );
}

interface NewAccountDraft {
  name: string;
  email: string;
  role: Role;
}

const EMPTY_ACCOUNT: NewAccountDraft = { name: '', email: '', role: 'agent' };

function CreateAccount() {
  const queryClient = useQueryClient();
  // Name, e-mail and role survive an expired session; the password never is stored.
  const [draft, setDraft] = useDraft<NewAccountDraft>('account', EMPTY_ACCOUNT);
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function focusFirst(errors: FieldErrors) {
    const refs = { name: nameRef, email: emailRef, password: passwordRef };
    const first = (['name', 'email', 'password'] as const).find((n) => errors[n]);
    if (first) refs[first].current?.focus();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setAnnouncement('');
    setFormError(null);
    const errors: FieldErrors = {};
    if (!draft.name.trim()) errors.name = ['Please enter a name.'];
    if (!draft.email.trim()) errors.email = ['Please enter an e-mail address.'];
    const tooShort = passwordError(password);
    if (tooShort) errors.password = tooShort;
    setFieldErrors(errors);
    if (Object.keys(errors).length) {
      focusFirst(errors);
      return;
    }
    setBusy(true);
    try {
      const account = await createAccount({ ...draft, name: draft.name.trim(), email: draft.email.trim(), password });
      queryClient.setQueryData<Account[]>(accountsKey, (list) => (list ? [...list, account] : list));
      void queryClient.invalidateQueries({ queryKey: accountsKey });
      setDraft(EMPTY_ACCOUNT);
      setPassword('');
      setAnnouncement(`${ROLE_LABELS[account.role]} account created for ${account.name}.`);
      nameRef.current?.focus();
    } catch (error) {
      const { fields, form } = splitErrors(error, ['name', 'email', 'password', 'role']);
      setFieldErrors(fields);
      setFormError(form);
      focusFirst(fields);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subpanel" aria-labelledby="new-account-heading" noValidate onSubmit={(e) => void onSubmit(e)}>
      <h4 id="new-account-heading">New account</h4>
      {formError && (
        <div className="error-box" role="alert">
          {formError}
        </div>
      )}
      <div className="field-grid">
        <TextField
          ref={nameRef}
          id="account-name"
          label="Name"
          dir="auto"
          autoComplete="off"
          value={draft.name}
          errors={fieldErrors.name}
          onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
        />
        <TextField
          ref={emailRef}
          id="account-email"
          label="E-mail"
          type="email"
          autoComplete="off"
          value={draft.email}
          errors={fieldErrors.email}
          onChange={(e) => setDraft((d) => ({ ...d, email: e.target.value }))}
        />
        <div className="field">
          <label htmlFor="account-role">Role</label>
          <ChoiceSelect
            id="account-role"
            choices={ROLES}
            labels={ROLE_LABELS}
            value={draft.role}
            aria-invalid={fieldErrors.role ? true : undefined}
            aria-describedby={fieldErrors.role ? 'account-role-error' : undefined}
            onChange={(role) => setDraft((d) => ({ ...d, role }))}
          />
          {fieldErrors.role && (
            <p id="account-role-error" className="field-error">
              {fieldErrors.role.join(' ')}
            </p>
          )}
        </div>
        <TextField
          ref={passwordRef}
          id="account-password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters.`}
          value={password}
          errors={fieldErrors.password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <p className="announce" role="status">
          {announcement}
        </p>
      </div>
    </form>
  );
}

function AccountsSection() {
  const { account: me } = useSession();
  const accounts = useQuery({ queryKey: accountsKey, queryFn: ({ signal }) => listAccounts({ signal }) });
  return (
    <section className="panel" aria-labelledby="accounts-heading">
      <h3 id="accounts-heading">Accounts</h3>
      {accounts.isError && (
        <div className="error-box" role="alert">
          <p>Couldn't load the accounts: {errorMessage(accounts.error)}</p>
          <button type="button" onClick={() => void accounts.refetch()}>
            Retry
          </button>
        </div>
      )}
      {accounts.isPending && <p className="muted">Loading accounts…</p>}
      {accounts.data && (
        <div className="table-wrap">
          <table className="data-table" aria-labelledby="accounts-heading" aria-busy={accounts.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.map((account) => (
                <AccountRow key={account.id} account={account} self={account.id === me?.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateAccount />
    </section>
  );
}

// ---------------------------------------------------------------------------
// API tokens
// ---------------------------------------------------------------------------

function NewTokenSecret({ token, onDone }: { token: NewApiToken; onDone: () => void }) {
  const [copied, setCopied] = useState<string>('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => headingRef.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('Copied to the clipboard.');
    } catch {
      inputRef.current?.select();
      setCopied('Copying was not allowed: the token is selected, press Ctrl+C (⌘C) to copy it.');
    }
  }

  return (
    <div className="secret-box" role="region" aria-labelledby="new-token-heading">
      <h4 id="new-token-heading" tabIndex={-1} ref={headingRef}>
        Token “<bdi className="user-text">{token.name}</bdi>” created
      </h4>
      <p className="warning-text" id="new-token-warning">
        Copy it now: you will not see it again.
      </p>
      <div className="copy-row">
        <label className="visually-hidden" htmlFor="new-token-value">
          New API token
        </label>
        <input
          ref={inputRef}
          id="new-token-value"
          className="mono"
          type="text"
          readOnly
          value={token.token}
          aria-describedby="new-token-warning"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className="announce small" role="status">
        {copied}
      </p>
      <button type="button" className="primary" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const revokeRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (returnFocus.current) revokeRef.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  async function revoke() {
    setBusy(true);
    setError(null);
    try {
      await revokeToken(token.id);
      queryClient.setQueryData<ApiToken[]>(tokensKey, (list) => list?.filter((t) => t.id !== token.id));
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    } catch (err) {
      setError(`Couldn't revoke the token: ${errorMessage(err)}`);
      setBusy(false);
    }
  }

  return (
    <tr>
      <th scope="row">
        <bdi className="user-text">{token.name}</bdi>
      </th>
      <td>{ROLE_LABELS[token.role] ?? token.role}</td>
      <td>{token.created_by ? <bdi className="user-text">{token.created_by.name}</bdi> : <span className="muted">—</span>}</td>
      <td>
        <When iso={token.created_at} />
      </td>
      <td>
        <When iso={token.last_used_at} />
      </td>
      <td>
        <When iso={token.expires_at} />
      </td>
      <td>
        {confirming ? (
          <div className="confirm" role="group" aria-label={`Confirm revoking ${token.name}`}>
            <span>Revoke? Programs using it stop working at once.</span>
            <div className="row-actions">
              <button
                ref={confirmRef}
                type="button"
                className="danger"
                disabled={busy}
                aria-label={`Revoke token ${token.name}`}
                onClick={() => void revoke()}
              >
                Revoke token
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  returnFocus.current = true;
                  setConfirming(false);
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          <button ref={revokeRef} type="button" aria-label={`Revoke ${token.name}`} onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

interface NewTokenDraft {
  name: string;
  role: Role;
  days: string;
}

const EMPTY_TOKEN: NewTokenDraft = { name: '', role: 'agent', days: '' };

function CreateToken({ onCreated }: { onCreated: (token: NewApiToken) => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useDraft<NewTokenDraft>('token', EMPTY_TOKEN);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const daysRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const errors: FieldErrors = {};
    if (!draft.name.trim()) errors.name = ['Please name the token (who or what uses it).'];
    const days = draft.days.trim();
    if (days && !/^[1-9]\d*$/.test(days)) errors.expires_in_days = ['Enter a whole number of days, 1 or more.'];
    setFieldErrors(errors);
    if (errors.name) return nameRef.current?.focus();
    if (errors.expires_in_days) return daysRef.current?.focus();
    setBusy(true);
    try {
      const token = await createToken({
        name: draft.name.trim(),
        role: draft.role,
        ...(days ? { expires_in_days: Number(days) } : {}),
      });
      const { token: _secret, ...listed } = token;
      void _secret;
      queryClient.setQueryData<ApiToken[]>(tokensKey, (list) => (list ? [...list, listed] : list));
      void queryClient.invalidateQueries({ queryKey: tokensKey });
      setDraft(EMPTY_TOKEN);
      onCreated(token);
    } catch (error) {
      const { fields, form } = splitErrors(error, ['name', 'role', 'expires_in_days']);
      setFieldErrors(fields);
      setFormError(form);
      if (fields.name) nameRef.current?.focus();
      else if (fields.expires_in_days) daysRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subpanel" aria-labelledby="new-token-form-heading" noValidate onSubmit={(e) => void onSubmit(e)}>
      <h4 id="new-token-form-heading">New API token</h4>
      {formError && (
        <div className="error-box" role="alert">
          {formError}
        </div>
      )}
      <div className="field-grid">
        <TextField
          ref={nameRef}
          id="token-name"
          label="Name"
          dir="auto"
          autoComplete="off"
          value={draft.name}
          errors={fieldErrors.name}
          onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
        />
        <div className="field">
          <label htmlFor="token-role">Role</label>
          <ChoiceSelect
            id="token-role"
            choices={ROLES}
            labels={ROLE_LABELS}
            value={draft.role}
            aria-invalid={fieldErrors.role ? true : undefined}
            aria-describedby={fieldErrors.role ? 'token-role-error' : undefined}
            onChange={(role) => setDraft((d) => ({ ...d, role }))}
          />
          {fieldErrors.role && (
            <p id="token-role-error" className="field-error">
              {fieldErrors.role.join(' ')}
            </p>
          )}
        </div>
        <TextField
          ref={daysRef}
          id="token-days"
          label="Expires in (days)"
          inputMode="numeric"
          hint="Leave empty for a token that does not expire."
          autoComplete="off"
          value={draft.days}
          errors={fieldErrors.expires_in_days}
          onChange={(e) => setDraft((d) => ({ ...d, days: e.target.value }))}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

function TokensSection() {
  const tokens = useQuery({ queryKey: tokensKey, queryFn: ({ signal }) => listTokens({ signal }) });
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h3 id="tokens-heading" ref={formHeading} tabIndex={-1}>
        API tokens
      </h3>
      <p className="muted intro">
        Programs use a token as <code>Authorization: Bearer …</code>; the <a href="/api/docs">API docs</a> list
        every call.
      </p>
      {tokens.isError && (
        <div className="error-box" role="alert">
          <p>Couldn't load the tokens: {errorMessage(tokens.error)}</p>
          <button type="button" onClick={() => void tokens.refetch()}>
            Retry
          </button>
        </div>
      )}
      {tokens.isPending && <p className="muted">Loading tokens…</p>}
      {tokens.data && tokens.data.length === 0 && <p className="muted">No API tokens.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-labelledby="tokens-heading" aria-busy={tokens.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((token) => (
                <TokenRow key={token.id} token={token} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {created ? (
        <NewTokenSecret
          token={created}
          onDone={() => {
            setCreated(null);
            formHeading.current?.focus();
          }}
        />
      ) : (
        <CreateToken onCreated={setCreated} />
      )}
    </section>
  );
}

export default function TeamPage() {
  return (
    <div className="team">
      <h2 className="page-title">Team &amp; tokens</h2>
      <AccountsSection />
      <TokensSection />
    </div>
  );
}
