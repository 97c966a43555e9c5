import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import App from '../App';
import { deferred, json, mockHttp, requestsTo, type MockReply } from '../test/mockHttp';
import { ada, ann, makeAccount } from '../test/fixtures';
import type { Account, ApiToken } from '../api';

function token(overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 5,
    name: 'zapier',
    role: 'agent',
    created_by: { id: 2, name: 'Ada Admin' },
    created_at: '2025-11-20T10:30:00Z',
    last_used_at: null,
    expires_at: null,
    ...overrides,
  };
}

function setup(accounts: Account[], tokens: ApiToken[] = [], extra = {}) {
  window.history.replaceState(null, '', '/team');
  mockHttp({
    'GET /api/auth/me/': () => json(ada()),
    'GET /api/accounts/': () => json(accounts),
    'GET /api/tokens/': () => json(tokens),
    ...extra,
  });
  const user = userEvent.setup();
  render(<App />);
  return user;
}

const accountsTable = () => screen.findByRole('table', { name: 'Accounts' });
const rowOf = async (name: string) =>
  within(await accountsTable())
    .getAllByRole('row')
    .find((row) => within(row).queryByRole('rowheader', { name: new RegExp(`^${name}`) }))!;

describe('Team & tokens: accounts', () => {
  it('lists accounts with name, e-mail, role and status', async () => {
    setup([ada(), ann(), makeAccount({ id: 9, name: 'Gone Person', disabled: true })]);
    const table = await accountsTable();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'Ada Admin (you)',
      'Ann Agent',
      'Gone Person',
    ]);
    const annRow = await rowOf('Ann Agent');
    expect(within(annRow).getByText('ann@example.com')).toBeInTheDocument();
    expect(within(annRow).getByLabelText('Role of Ann Agent')).toHaveValue('agent');
    expect(within(annRow).getByText('Active')).toBeInTheDocument();
    const gone = await rowOf('Gone Person');
    expect(within(gone).getByText('Disabled')).toBeInTheDocument();
    expect(within(gone).getByRole('button', { name: 'Enable Gone Person' })).toBeInTheDocument();
  });

  it('creates an account, checking the password first and showing server errors inline', async () => {
    const accounts = [ada()];
    let reply: MockReply = json({ email: ['An account with this email already exists.'] }, 400);
    const user = setup(accounts, [], {
      'POST /api/accounts/': () => reply,
    });
    const form = within(await screen.findByRole('form', { name: 'New account' }));
    await user.type(form.getByLabelText('Name'), 'Bob Agent');
    await user.type(form.getByLabelText('E-mail'), 'bob@example.com');
    await user.type(form.getByLabelText('Password'), 'short');
    await user.click(form.getByRole('button', { name: 'Create account' }));
    expect(form.getByLabelText('Password')).toHaveAccessibleDescription(/too short/);
    expect(requestsTo('POST', '/api/accounts/')).toHaveLength(0);

    await user.clear(form.getByLabelText('Password'));
    await user.type(form.getByLabelText('Password'), 'a long password');
    await user.selectOptions(form.getByLabelText('Role'), 'admin');
    await user.click(form.getByRole('button', { name: 'Create account' }));
    await waitFor(() =>
      expect(form.getByLabelText('E-mail')).toHaveAccessibleDescription('An account with this email already exists.'),
    );
    expect(form.getByLabelText('Name')).toHaveValue('Bob Agent');

    const bob = makeAccount({ id: 3, name: 'Bob Agent', email: 'bob2@example.com', role: 'admin' });
    reply = json(bob, 201);
    accounts.push(bob);
    await user.clear(form.getByLabelText('E-mail'));
    await user.type(form.getByLabelText('E-mail'), 'bob2@example.com');
    await user.click(form.getByRole('button', { name: 'Create account' }));
    expect(await form.findByText('Admin account created for Bob Agent.')).toBeInTheDocument();
    expect(requestsTo('POST', '/api/accounts/').at(-1)!.body).toEqual({
      name: 'Bob Agent',
      email: 'bob2@example.com',
      role: 'admin',
      password: 'a long password',
    });
    expect(form.getByLabelText('Name')).toHaveValue('');
    expect(form.getByLabelText('Password')).toHaveValue('');
    expect(await rowOf('Bob Agent')).toBeDefined();
  });

  it('keeps the new-account draft but never the password', async () => {
    const user = setup([ada()]);
    const form = within(await screen.findByRole('form', { name: 'New account' }));
    await user.type(form.getByLabelText('Name'), 'Draft Person');
    await user.type(form.getByLabelText('Password'), 'secret password');
    expect(JSON.stringify(sessionStorage)).not.toContain('secret password');
    expect(Object.values({ ...sessionStorage }).join()).toContain('Draft Person');
  });

  it('disables and enables, changes the role, and shows the last-admin error', async () => {
    let current = ann();
    const user = setup([ada(), current], [], {
      'GET /api/accounts/': () => json([ada(), current]),
      'PATCH /api/accounts/1/': (r: { body: unknown }) => {
        current = { ...current, ...(r.body as object) };
        return json(current);
      },
      'PATCH /api/accounts/2/': () =>
        json({ non_field_errors: ['The last active admin cannot be disabled or demoted.'] }, 400),
    });
    const row = await rowOf('Ann Agent');
    await user.click(within(row).getByRole('button', { name: 'Disable Ann Agent' }));
    expect(await within(row).findByText('Ann Agent is disabled and signed out.')).toBeInTheDocument();
    expect(requestsTo('PATCH', '/api/accounts/1/')[0].body).toEqual({ disabled: true });
    expect(within(row).getByRole('button', { name: 'Enable Ann Agent' })).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: 'Enable Ann Agent' }));
    await within(row).findByRole('button', { name: 'Disable Ann Agent' });
    expect(requestsTo('PATCH', '/api/accounts/1/')[1].body).toEqual({ disabled: false });

    await user.selectOptions(within(row).getByLabelText('Role of Ann Agent'), 'admin');
    await waitFor(() => expect(within(row).getByLabelText('Role of Ann Agent')).toHaveValue('admin'));
    expect(requestsTo('PATCH', '/api/accounts/1/')[2].body).toEqual({ role: 'admin' });

    const adaRow = await rowOf('Ada Admin');
    await user.selectOptions(within(adaRow).getByLabelText('Role of Ada Admin'), 'agent');
    expect(await within(adaRow).findByRole('alert')).toHaveTextContent(
      'The last active admin cannot be disabled or demoted.',
    );
    expect(within(adaRow).getByLabelText('Role of Ada Admin')).toHaveValue('admin');
  });

  it('resets a password', async () => {
    const user = setup([ada(), ann()], [], {
      'PATCH /api/accounts/1/': () => json(ann()),
    });
    const row = await rowOf('Ann Agent');
    const toggle = within(row).getByRole('button', { name: 'Reset password of Ann Agent' });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const form = within(within(row).getByRole('form', { name: 'New password for Ann Agent' }));
    expect(form.getByLabelText('New password')).toHaveFocus();
    await user.type(form.getByLabelText('New password'), 'too short');
    await user.click(form.getByRole('button', { name: 'Set password' }));
    expect(form.getByLabelText('New password')).toHaveAccessibleDescription(/too short/);
    await user.type(form.getByLabelText('New password'), ' but now long');
    await user.click(form.getByRole('button', { name: 'Set password' }));
    expect(await within(row).findByText('New password set for Ann Agent; their sessions were signed out.')).toBeInTheDocument();
    expect(requestsTo('PATCH', '/api/accounts/1/')[0].body).toEqual({ password: 'too short but now long' });
    expect(toggle).toHaveFocus();
  });
});

describe('Team & tokens: API tokens', () => {
  it('lists tokens with role, creator and dates', async () => {
    setup([ada()], [token({ last_used_at: '2025-11-21T08:00:00Z', expires_at: '2026-01-01T00:00:00Z' }), token({ id: 6, name: 'ci', created_by: null })]);
    const table = await screen.findByRole('table', { name: 'API tokens' });
    const [zapier, ci] = within(table).getAllByRole('row').slice(1);
    expect(within(zapier).getByRole('rowheader')).toHaveTextContent('zapier');
    expect(within(zapier).getByText('Agent')).toBeInTheDocument();
    expect(within(zapier).getByText('Ada Admin')).toBeInTheDocument();
    expect(zapier.querySelectorAll('time')).toHaveLength(3);
    expect(within(ci).getAllByText('Never')).toHaveLength(2);
    expect(within(ci).getByText('—')).toBeInTheDocument();
  });

  it('links to the API docs, a page of the server (not a route of the app)', async () => {
    setup([ada()]);
    const section = within(await screen.findByRole('region', { name: 'API tokens' }));
    expect(section.getByRole('link', { name: 'API docs' })).toHaveAttribute('href', '/api/docs');
  });

  it('creates a token and shows it once, with a copy button', async () => {
    const created = { ...token({ id: 7, name: 'reporting', role: 'admin' }), token: 'hd_SECRETvalue' };
    const tokens: ApiToken[] = [];
    const user = setup([ada()], tokens, {
      'POST /api/tokens/': () => {
        tokens.push(token({ id: 7, name: 'reporting', role: 'admin' }));
        return json(created, 201);
      },
    });
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });

    const form = within(await screen.findByRole('form', { name: 'New API token' }));
    await user.click(form.getByRole('button', { name: 'Create token' }));
    expect(form.getByLabelText('Name')).toHaveAccessibleDescription(/Please name the token/);
    await user.type(form.getByLabelText('Name'), 'reporting');
    await user.selectOptions(form.getByLabelText('Role'), 'admin');
    await user.type(form.getByLabelText(/Expires in/), 'soon');
    await user.click(form.getByRole('button', { name: 'Create token' }));
    expect(form.getByLabelText(/Expires in/)).toHaveAccessibleDescription(/whole number of days/);
    await user.clear(form.getByLabelText(/Expires in/));
    await user.type(form.getByLabelText(/Expires in/), '30');
    await user.click(form.getByRole('button', { name: 'Create token' }));

    const secret = within(await screen.findByRole('region', { name: 'Token “reporting” created' }));
    expect(secret.getByRole('heading')).toHaveFocus();
    expect(secret.getByLabelText('New API token')).toHaveValue('hd_SECRETvalue');
    expect(secret.getByLabelText('New API token')).toHaveAccessibleDescription('Copy it now: you will not see it again.');
    expect(requestsTo('POST', '/api/tokens/')[0].body).toEqual({ name: 'reporting', role: 'admin', expires_in_days: 30 });
    await user.click(secret.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('hd_SECRETvalue');
    expect(await secret.findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(JSON.stringify(sessionStorage)).not.toContain('hd_SECRET');

    await user.click(secret.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('hd_SECRETvalue')).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue('hd_SECRETvalue')).not.toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'API tokens' });
    expect(within(table).getByRole('rowheader', { name: 'reporting' })).toBeInTheDocument();
  });

  it('revokes a token after confirmation', async () => {
    const tokens = [token()];
    const reply = deferred<MockReply>();
    const user = setup([ada()], tokens, { 'DELETE /api/tokens/5/': () => reply.promise });
    const table = await screen.findByRole('table', { name: 'API tokens' });
    await user.click(within(table).getByRole('button', { name: 'Revoke zapier' }));
    const confirm = within(within(table).getByRole('group', { name: 'Confirm revoking zapier' }));
    expect(confirm.getByRole('button', { name: 'Revoke token zapier' })).toHaveFocus();
    await user.click(confirm.getByRole('button', { name: 'Cancel' }));
    expect(requestsTo('DELETE', '/api/tokens/5/')).toHaveLength(0);
    expect(within(table).getByRole('button', { name: 'Revoke zapier' })).toHaveFocus();

    await user.click(within(table).getByRole('button', { name: 'Revoke zapier' }));
    await user.click(screen.getByRole('button', { name: 'Revoke token zapier' }));
    expect(requestsTo('DELETE', '/api/tokens/5/')).toHaveLength(1);
    tokens.length = 0;
    reply.resolve({ status: 204 });
    await waitFor(() => expect(screen.queryByRole('table', { name: 'API tokens' })).not.toBeInTheDocument());
    expect(screen.getByText('No API tokens.')).toBeInTheDocument();
  });
});
