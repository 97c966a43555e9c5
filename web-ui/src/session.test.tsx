import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App';
import { json, mockHttp, requestsTo, setRoute, type MockHandler } from './test/mockHttp';
import { ada, ann, makeStats, makeTicket } from './test/fixtures';
import type { Account } from './api';

const unauthenticated = () => json({ detail: 'Authentication credentials were not provided.' }, 401);

function workspaceRoutes(account: Account | null, extra: Record<string, MockHandler> = {}) {
  let current = account;
  return mockHttp({
    'GET /api/auth/me/': () => (current ? json(current) : unauthenticated()),
    'POST /api/auth/login/': (r) => {
      const { email, password } = r.body as { email: string; password: string };
      if (email === ann().email && password === 'correct horse battery') {
        current = ann();
        return json(current);
      }
      if (email === ada().email && password === 'correct horse battery') {
        current = ada();
        return json(current);
      }
      return json({ non_field_errors: ['Unable to log in with provided credentials.'] }, 400);
    },
    'POST /api/auth/logout/': () => {
      current = null;
      return { status: 204 };
    },
    'GET /api/tickets/': () => (current ? json([makeTicket({ id: 1, title: 'Printer jam' })]) : unauthenticated()),
    'GET /api/tickets/stats/': () => (current ? json(makeStats()) : unauthenticated()),
    'GET /api/accounts/': () => json([ada(), ann()]),
    'GET /api/tokens/': () => json([]),
    'POST /api/tickets/classify/': () =>
      json({ suggested_category: 'billing', suggested_priority: 'high', source: 'offline' }),
    ...extra,
  });
}

function at(path: string) {
  window.history.replaceState(null, '', path);
}

async function signIn(user: ReturnType<typeof userEvent.setup>, email: string, password = 'correct horse battery') {
  const form = within(await screen.findByRole('form', { name: 'Sign in' }));
  await user.clear(form.getByLabelText('E-mail'));
  await user.type(form.getByLabelText('E-mail'), email);
  await user.type(form.getByLabelText('Password'), password);
  await user.click(form.getByRole('button', { name: 'Sign in' }));
}

describe('signed out', () => {
  it('shows only the public "Submit a ticket" form and a Sign in link', async () => {
    workspaceRoutes(null, {
      'POST /api/tickets/': (r) => json(makeTicket({ id: 321, ...(r.body as object) }), 201),
    });
    const user = userEvent.setup();
    render(<App />);
    const form = within(await screen.findByRole('form', { name: 'Submit a ticket' }));
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/signin');
    expect(screen.queryByRole('heading', { name: 'Tickets' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Overview' })).not.toBeInTheDocument();
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();

    await user.type(form.getByLabelText('Title'), 'Refund please');
    await user.type(form.getByLabelText('Description'), 'I was charged twice.');
    expect(await screen.findByText('Suggested by offline rules', {}, { timeout: 3000 })).toBeInTheDocument();
    await user.click(form.getByRole('button', { name: 'Submit ticket' }));
    expect(await form.findByText('Thank you — your ticket #321 was submitted.')).toBeInTheDocument();
    expect(form.getByLabelText('Title')).toHaveValue('');
    expect(form.getByLabelText('Description')).toHaveValue('');
    expect(requestsTo('GET', '/api/tickets/')).toHaveLength(0);
    expect(requestsTo('GET', '/api/tickets/stats/')).toHaveLength(0);
  });

  it('sends a signed-out visit to a protected page to sign in, and back after', async () => {
    workspaceRoutes(null);
    at('/team');
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('form', { name: 'Sign in' });
    expect(window.location.pathname).toBe('/signin');
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/team');
    await signIn(user, ada().email);
    expect(await screen.findByRole('heading', { name: 'Team & tokens' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/team');
  });
});

describe('sign in', () => {
  it('checks the fields, shows DRF errors inline and signs in', async () => {
    workspaceRoutes(null);
    at('/signin');
    const user = userEvent.setup();
    render(<App />);
    const form = within(await screen.findByRole('form', { name: 'Sign in' }));
    await user.click(form.getByRole('button', { name: 'Sign in' }));
    expect(form.getByLabelText('E-mail')).toHaveAccessibleDescription('Please enter your e-mail address.');
    expect(form.getByLabelText('E-mail')).toHaveFocus();
    expect(requestsTo('POST', '/api/auth/login/')).toHaveLength(0);

    await signIn(user, ann().email, 'wrong password!');
    expect(await form.findByRole('alert')).toHaveTextContent('Unable to log in with provided credentials.');
    expect(form.getByLabelText('Password')).toHaveValue('');
    expect(form.getByLabelText('E-mail')).toHaveValue(ann().email);

    await signIn(user, ann().email);
    expect(await screen.findByRole('form', { name: 'New ticket' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/');
    expect(requestsTo('POST', '/api/auth/login/').at(-1)!.body).toEqual({
      email: ann().email,
      password: 'correct horse battery',
    });
  });

  it('shows field errors from the server next to their fields', async () => {
    workspaceRoutes(null, {
      'POST /api/auth/login/': () => json({ email: ['Enter a valid email address.'] }, 400),
    });
    at('/signin');
    const user = userEvent.setup();
    render(<App />);
    await signIn(user, 'not-an-address');
    const email = await screen.findByLabelText('E-mail');
    await waitFor(() => expect(email).toHaveAccessibleDescription('Enter a valid email address.'));
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveFocus();
  });

  it('says how long to wait after too many attempts (429)', async () => {
    workspaceRoutes(null, {
      'POST /api/auth/login/': () =>
        json({ detail: 'Request was throttled. Expected available in 42 seconds.' }, 429, { 'Retry-After': '42' }),
    });
    at('/signin');
    const user = userEvent.setup();
    render(<App />);
    await signIn(user, ann().email, 'sixth try wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 42 seconds.');
  });

  it('ignores a "next" that leaves the site', async () => {
    workspaceRoutes(null);
    at('/signin?next=//evil.example/x');
    const user = userEvent.setup();
    render(<App />);
    await signIn(user, ann().email);
    await screen.findByRole('form', { name: 'New ticket' });
    expect(window.location.pathname).toBe('/');
  });
});

describe('signed in', () => {
  it('shows the workspace and a user menu with name, role and Sign out', async () => {
    workspaceRoutes(ann());
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('form', { name: 'New ticket' });
    expect(await screen.findByRole('article', { name: 'Printer jam' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Team & tokens' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Sign in' })).not.toBeInTheDocument();

    const menuButton = screen.getByRole('button', { name: 'Ann Agent, Agent' });
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    await user.click(menuButton);
    expect(menuButton).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('ann@example.com')).toBeInTheDocument();
    expect(screen.getByText('Role:')).toHaveTextContent('Role: Agent');
    await user.keyboard('{Escape}');
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    expect(menuButton).toHaveFocus();

    await user.click(menuButton);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('form', { name: 'Submit a ticket' })).toBeInTheDocument();
    expect(requestsTo('POST', '/api/auth/logout/')).toHaveLength(1);
    expect(screen.queryByRole('article')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('gives admins a Team & tokens link, and agents no way in', async () => {
    workspaceRoutes(ada());
    const user = userEvent.setup();
    const { unmount } = render(<App />);
    await user.click(await screen.findByRole('link', { name: 'Team & tokens' }));
    expect(await screen.findByRole('heading', { name: 'Team & tokens' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/team');
    expect(screen.getByRole('link', { name: 'Team & tokens' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('main')).toHaveFocus();
    unmount();

    workspaceRoutes(ann());
    const before = requestsTo('GET', '/api/accounts/').length;
    at('/team');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeInTheDocument();
    expect(requestsTo('GET', '/api/accounts/')).toHaveLength(before);
  });

  it('routes /tickets/:id to the ticket view and says when a page does not exist', async () => {
    workspaceRoutes(ann());
    at('/tickets/42');
    const { unmount } = render(<App />);
    // No mock for ticket 42: the server's 404.
    expect(await screen.findByRole('heading', { name: 'Ticket not found' })).toBeInTheDocument();
    unmount();
    at('/nowhere');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});

describe('session expiry', () => {
  it('says so on any 401, goes to sign-in, and brings back the page and the draft', async () => {
    workspaceRoutes(ann());
    const user = userEvent.setup();
    render(<App />);
    const form = within(await screen.findByRole('form', { name: 'New ticket' }));
    await screen.findByRole('article', { name: 'Printer jam' });
    await user.type(form.getByLabelText('Title'), 'Half-written title');
    await user.type(form.getByLabelText('Description'), 'Still typing this one');
    await user.selectOptions(form.getByLabelText(/^Priority/), 'critical');

    // The server forgets the session; the next call (a filter change) answers 401.
    setRoute('GET /api/auth/me/', unauthenticated);
    setRoute('GET /api/tickets/', unauthenticated);
    const filters = within(screen.getByRole('search', { name: 'Filter tickets' }));
    await user.selectOptions(filters.getByLabelText('Status'), 'open');

    expect(await screen.findByRole('alert')).toHaveTextContent('Your session has expired — sign in again.');
    expect(window.location.pathname).toBe('/signin');
    expect(screen.queryByRole('form', { name: 'New ticket' })).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Submit a ticket' })).not.toBeInTheDocument();

    setRoute('GET /api/tickets/', () => json([makeTicket({ id: 1, title: 'Printer jam' })]));
    await signIn(user, ann().email);
    const again = within(await screen.findByRole('form', { name: 'New ticket' }));
    expect(window.location.pathname).toBe('/');
    expect(again.getByLabelText('Title')).toHaveValue('Half-written title');
    expect(again.getByLabelText('Description')).toHaveValue('Still typing this one');
    expect(again.getByLabelText(/^Priority/)).toHaveValue('critical');
    expect(screen.queryByText(/session has expired/)).not.toBeInTheDocument();
  });

  it('returns to the page where the session expired', async () => {
    workspaceRoutes(ada(), { 'GET /api/tokens/': unauthenticated });
    at('/team');
    const user = userEvent.setup();
    render(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Your session has expired — sign in again.');
    expect(window.location.pathname + window.location.search).toBe('/signin?next=%2Fteam');
    setRoute('GET /api/tokens/', () => json([]));
    await signIn(user, ada().email);
    expect(await screen.findByRole('heading', { name: 'Team & tokens' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/team');
  });

  it('forgets drafts on an explicit sign-out', async () => {
    workspaceRoutes(ann());
    const user = userEvent.setup();
    render(<App />);
    const form = within(await screen.findByRole('form', { name: 'New ticket' }));
    await user.type(form.getByLabelText('Title'), 'Private note');
    await user.click(screen.getByRole('button', { name: /Ann Agent/ }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const publicForm = within(await screen.findByRole('form', { name: 'Submit a ticket' }));
    expect(publicForm.getByLabelText('Title')).toHaveValue('');
  });
});
