import { useEffect, useRef, useState, type FormEvent } from 'react';
import { login, type FieldErrors } from '../api';
import TextField from '../components/TextField';
import { splitErrors } from '../formErrors';
import { navigate, safeNext, useLocation } from '../router';
import { useSession } from '../session';

const FIELDS = ['email', 'password'] as const;

export default function SignInPage() {
  const { signedIn, notice, status } = useSession();
  const location = useLocation();
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  // Already signed in (e.g. a second tab signed in): go where the person wanted to go.
  useEffect(() => {
    if (status === 'signed-in') navigate(next, { replace: true });
  }, [status, next]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const clientErrors: FieldErrors = {};
    if (!email.trim()) clientErrors.email = ['Please enter your e-mail address.'];
    if (!password) clientErrors.password = ['Please enter your password.'];
    setFormError(null);
    setFieldErrors(clientErrors);
    if (Object.keys(clientErrors).length) {
      (clientErrors.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    setSubmitting(true);
    try {
      const account = await login(email.trim(), password);
      signedIn(account);
      navigate(next, { replace: true });
    } catch (error) {
      const { fields, form } = splitErrors(error, FIELDS);
      setFieldErrors(fields);
      setFormError(form);
      setPassword('');
      if (fields.email) emailRef.current?.focus();
      else if (fields.password) passwordRef.current?.focus();
      else alertRef.current?.focus();
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <section className="panel narrow" aria-labelledby="signin-heading">
      <h2 id="signin-heading">Sign in</h2>
      {notice && !formError && (
        <div className="notice-box" role="alert">
          {notice}
        </div>
      )}
      <form aria-labelledby="signin-heading" noValidate onSubmit={(e) => void onSubmit(e)}>
        {formError && (
          <div className="error-box" role="alert" tabIndex={-1} ref={alertRef}>
            {formError}
          </div>
        )}
        <TextField
          ref={emailRef}
          id="signin-email"
          label="E-mail"
          type="email"
          autoComplete="username"
          value={email}
          required
          errors={fieldErrors.email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          ref={passwordRef}
          id="signin-password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          required
          errors={fieldErrors.password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={submitting} aria-busy={submitting}>
            {submitting ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  );
}
