import { useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { completeSetup, errorMessage, getSetupStatus, toApiError, type FieldErrors } from '../api';
import TextField from '../components/TextField';
import { PASSWORD_MIN, passwordError, splitErrors } from '../formErrors';
import Link from '../components/Link';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';

const FIELDS = ['name', 'email', 'password'] as const;
const setupKey = ['auth', 'setup'] as const;

interface Fields {
  name: string;
  email: string;
  password: string;
  confirm: string;
}

function validate(fields: Fields): FieldErrors {
  const errors: FieldErrors = {};
  if (!fields.name.trim()) errors.name = ['Please enter your name.'];
  if (!fields.email.trim()) errors.email = ['Please enter your e-mail address.'];
  const tooShort = passwordError(fields.password);
  if (tooShort) errors.password = tooShort;
  if (fields.confirm !== fields.password) errors.confirm = ['The two passwords differ.'];
  return errors;
}

function SetupComplete() {
  return (
    <section className="panel narrow" aria-labelledby="setup-heading">
      <h2 id="setup-heading">Setup is complete</h2>
      <p>
        The first administrator account exists. <Link to="/signin">Sign in</Link> instead.
      </p>
    </section>
  );
}

export default function SetupPage() {
  const location = useLocation();
  const code = new URLSearchParams(location.search).get('code') ?? '';
  const queryClient = useQueryClient();
  const { signedIn } = useSession();
  const setup = useQuery({ queryKey: setupKey, queryFn: ({ signal }) => getSetupStatus({ signal }) });
  const [fields, setFields] = useState<Fields>({ name: '', email: '', password: '', confirm: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  function focusFirst(errors: FieldErrors) {
    const refs = { name: nameRef, email: emailRef, password: passwordRef, confirm: confirmRef };
    const first = (['name', 'email', 'password', 'confirm'] as const).find((name) => errors[name]);
    if (first) refs[first].current?.focus();
    else alertRef.current?.focus();
  }

  function update(name: keyof Fields, value: string) {
    setFields((prev) => ({ ...prev, [name]: value }));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setFormError(null);
    const errors = validate(fields);
    setFieldErrors(errors);
    if (Object.keys(errors).length) {
      focusFirst(errors);
      return;
    }
    setSubmitting(true);
    try {
      const account = await completeSetup({
        code,
        name: fields.name.trim(),
        email: fields.email.trim(),
        password: fields.password,
      });
      queryClient.setQueryData(setupKey, { setup_required: false });
      signedIn(account);
      navigate('/', { replace: true });
    } catch (error) {
      if (toApiError(error).status === 409) {
        queryClient.setQueryData(setupKey, { setup_required: false });
        return;
      }
      const { fields: known, form } = splitErrors(error, FIELDS);
      setFieldErrors(known);
      setFormError(form);
      focusFirst(known);
    } finally {
      setSubmitting(false);
    }
  }

  if (setup.isPending) {
    return (
      <section className="panel narrow" aria-labelledby="setup-heading" aria-busy="true">
        <h2 id="setup-heading">Set up Helpdesk</h2>
        <p className="muted">Checking…</p>
      </section>
    );
  }
  if (setup.isError) {
    return (
      <section className="panel narrow" aria-labelledby="setup-heading">
        <h2 id="setup-heading">Set up Helpdesk</h2>
        <div className="error-box" role="alert">
          <p>Couldn't check the setup: {errorMessage(setup.error)}</p>
          <button type="button" onClick={() => void setup.refetch()}>
            Retry
          </button>
        </div>
      </section>
    );
  }
  if (!setup.data.setup_required) return <SetupComplete />;

  return (
    <section className="panel narrow" aria-labelledby="setup-heading">
      <h2 id="setup-heading">Set up Helpdesk</h2>
      <p className="muted intro">Create the first administrator account. You will be signed in with it.</p>
      {!code && (
        <div className="notice-box" role="status">
          This page needs the setup code: open the setup address that the server printed in its log.
        </div>
      )}
      <form aria-labelledby="setup-heading" noValidate onSubmit={(e) => void onSubmit(e)}>
        {formError && (
          <div className="error-box" role="alert" tabIndex={-1} ref={alertRef}>
            {formError}
          </div>
        )}
        <TextField
          ref={nameRef}
          id="setup-name"
          label="Name"
          autoComplete="name"
          dir="auto"
          value={fields.name}
          required
          errors={fieldErrors.name}
          onChange={(e) => update('name', e.target.value)}
        />
        <TextField
          ref={emailRef}
          id="setup-email"
          label="E-mail"
          type="email"
          autoComplete="username"
          value={fields.email}
          required
          errors={fieldErrors.email}
          onChange={(e) => update('email', e.target.value)}
        />
        <TextField
          ref={passwordRef}
          id="setup-password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters.`}
          value={fields.password}
          required
          errors={fieldErrors.password}
          onChange={(e) => update('password', e.target.value)}
        />
        <TextField
          ref={confirmRef}
          id="setup-confirm"
          label="Password again"
          type="password"
          autoComplete="new-password"
          value={fields.confirm}
          required
          errors={fieldErrors.confirm}
          onChange={(e) => update('confirm', e.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={submitting || !code} aria-busy={submitting}>
            {submitting ? 'Creating…' : 'Create administrator'}
          </button>
        </div>
      </form>
    </section>
  );
}
