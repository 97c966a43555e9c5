import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../App';
import { json, mockHttp, requestsTo, type MockHandler } from '../test/mockHttp';
import { makeAccount, makeStats } from '../test/fixtures';

const admin = makeAccount({ id: 1, name: 'First Admin', email: 'root@example.com', role: 'admin' });

function routes(setupRequired: boolean, post: MockHandler) {
  let signedIn = false;
  return mockHttp({
    'GET /api/auth/me/': () => (signedIn ? json(admin) : json({ detail: 'Authentication credentials were not provided.' }, 401)),
    'GET /api/auth/setup/': () => json({ setup_required: setupRequired }),
    'POST /api/auth/setup/': async (r) => {
      const reply = await post(r);
      if (reply !== 'network-error' && reply.status === 201) signedIn = true;
      return reply;
    },
    'GET /api/tickets/': () => json([]),
    'GET /api/tickets/stats/': () => json(makeStats()),
  });
}

async function fill(user: ReturnType<typeof userEvent.setup>, password: string, confirm = password) {
  const form = within(await screen.findByRole('form', { name: 'Set up Helpdesk' }));
  await user.type(form.getByLabelText('Name'), 'First Admin');
  await user.type(form.getByLabelText('E-mail'), 'root@example.com');
  await user.type(form.getByLabelText('Password'), password);
  await user.type(form.getByLabelText('Password again'), confirm);
  await user.click(form.getByRole('button', { name: 'Create administrator' }));
  return form;
}

describe('SetupPage', () => {
  it('checks the password client-side, creates the first admin with the code and signs in', async () => {
    routes(true, () => json(admin, 201));
    window.history.replaceState(null, '', '/setup?code=s3cr3t-c0de');
    const user = userEvent.setup();
    render(<App />);

    const form = await fill(user, 'short', 'shirt');
    expect(form.getByLabelText('Password')).toHaveAccessibleDescription(
      /At least 12 characters\. This password is too short/,
    );
    expect(form.getByLabelText('Password again')).toHaveAccessibleDescription('The two passwords differ.');
    expect(form.getByLabelText('Password')).toHaveFocus();
    expect(requestsTo('POST', '/api/auth/setup/')).toHaveLength(0);

    await user.clear(form.getByLabelText('Password'));
    await user.clear(form.getByLabelText('Password again'));
    await user.type(form.getByLabelText('Password'), 'twelve chars');
    await user.type(form.getByLabelText('Password again'), 'twelve chars');
    await user.click(form.getByRole('button', { name: 'Create administrator' }));

    expect(await screen.findByRole('form', { name: 'New ticket' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/');
    expect(requestsTo('POST', '/api/auth/setup/')[0].body).toEqual({
      code: 's3cr3t-c0de',
      name: 'First Admin',
      email: 'root@example.com',
      password: 'twelve chars',
    });
    expect(screen.getByRole('button', { name: 'First Admin, Admin' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Team & tokens' })).toBeInTheDocument();
  });

  it('shows a wrong code and field errors from the server', async () => {
    let reply = json({ detail: 'The setup code is not valid.' }, 403);
    routes(true, () => reply);
    window.history.replaceState(null, '', '/setup?code=wrong');
    const user = userEvent.setup();
    render(<App />);
    const form = await fill(user, 'long enough password');
    expect(await form.findByRole('alert')).toHaveTextContent('The setup code is not valid.');

    reply = json({ email: ['Enter a valid email address.'] }, 400);
    await user.click(form.getByRole('button', { name: 'Create administrator' }));
    await waitFor(() =>
      expect(form.getByLabelText('E-mail')).toHaveAccessibleDescription('Enter a valid email address.'),
    );
    expect(form.getByLabelText('E-mail')).toHaveFocus();
  });

  it('says setup is complete (and links to sign-in) once an account exists', async () => {
    routes(false, () => json({}, 500));
    window.history.replaceState(null, '', '/setup?code=anything');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Setup is complete' })).toBeInTheDocument();
    const main = within(screen.getByRole('main'));
    expect(main.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/signin');
    // The header's link does not carry the setup code along.
    for (const link of screen.getAllByRole('link', { name: 'Sign in' })) expect(link).toHaveAttribute('href', '/signin');
  });

  it('switches to "complete" when the server answers 409', async () => {
    routes(true, () => json({ detail: 'Setup is complete: sign in instead.' }, 409));
    window.history.replaceState(null, '', '/setup?code=late');
    const user = userEvent.setup();
    render(<App />);
    await fill(user, 'long enough password');
    expect(await screen.findByRole('heading', { name: 'Setup is complete' })).toBeInTheDocument();
  });

  it('explains that the code from the server log is needed', async () => {
    routes(true, () => json(admin, 201));
    window.history.replaceState(null, '', '/setup');
    render(<App />);
    expect(await screen.findByText(/open the setup address that the server printed in its log/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create administrator' })).toBeDisabled();
  });
});
