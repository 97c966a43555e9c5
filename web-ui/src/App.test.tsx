import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App';
import { json, mockHttp, requestsTo } from './test/mockHttp';
import { ann, makeStats, makeTicket } from './test/fixtures';
import type { Ticket } from './api';

function statsFor(tickets: Ticket[]) {
  return makeStats({
    total_tickets: tickets.length,
    open_tickets: tickets.filter((t) => t.status === 'open').length,
  });
}

const listTitles = () =>
  within(screen.getByRole('list', { name: 'Tickets, newest first' }))
    .getAllByRole('article')
    .map((a) => within(a).getByRole('heading').textContent);

describe('App', () => {
  it('shows the header, form, stats and list', async () => {
    mockHttp({
      'GET /api/auth/me/': () => json(ann()),
      'GET /api/tickets/': () => json([makeTicket({ title: 'Hello' })]),
      'GET /api/tickets/stats/': () => json(makeStats()),
    });
    render(<App />);
    expect(screen.getByRole('heading', { level: 1, name: 'Helpdesk' })).toBeInTheDocument();
    expect(await screen.findByRole('form', { name: 'New ticket' })).toBeInTheDocument();
    expect(await screen.findByRole('article', { name: 'Hello' })).toBeInTheDocument();
    expect(await screen.findByRole('definition', { name: 'Total tickets' })).toHaveTextContent('124');
    expect(screen.queryByText(/Offline/)).not.toBeInTheDocument();
    // The CSP forbids style attributes in markup; React's style prop would render one here.
    expect(document.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('refreshes the list and the stats after creating a ticket', async () => {
    const tickets: Ticket[] = [makeTicket({ id: 1, title: 'Existing' })];
    mockHttp({
      'GET /api/auth/me/': () => json(ann()),
      'GET /api/tickets/': () => json(tickets),
      'GET /api/tickets/stats/': () => json(statsFor(tickets)),
      'POST /api/tickets/classify/': () =>
        json({ suggested_category: 'billing', suggested_priority: 'high', source: 'llm' }),
      'POST /api/tickets/': (r) => {
        const ticket = makeTicket({ id: 2, ...(r.body as Partial<Ticket>) });
        tickets.unshift(ticket);
        return json(ticket, 201);
      },
    });
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(listTitles()).toEqual(['Existing']));
    expect(await screen.findByRole('definition', { name: 'Total tickets' })).toHaveTextContent('1');

    const form = within(screen.getByRole('form', { name: 'New ticket' }));
    await user.type(form.getByLabelText('Title'), 'Double charge');
    await user.type(form.getByLabelText('Description'), 'I was charged twice this month.');
    await screen.findByText('Suggested by AI', {}, { timeout: 3000 });
    await user.click(form.getByRole('button', { name: 'Create ticket' }));

    await waitFor(() => expect(listTitles()).toEqual(['Double charge', 'Existing']));
    await waitFor(() =>
      expect(screen.getByRole('definition', { name: 'Total tickets' })).toHaveTextContent('2'),
    );
    expect(screen.getByRole('definition', { name: 'Open' })).toHaveTextContent('2');
    expect(requestsTo('POST', '/api/tickets/')[0].body).toMatchObject({
      category: 'billing',
      priority: 'high',
    });
  });

  it('refreshes the stats after a status change', async () => {
    const tickets: Ticket[] = [makeTicket({ id: 4, title: 'Printer jam', status: 'open' })];
    mockHttp({
      'GET /api/auth/me/': () => json(ann()),
      'GET /api/tickets/': () => json(tickets),
      'GET /api/tickets/stats/': () => json(statsFor(tickets)),
      'PATCH /api/tickets/4/': (r) => {
        Object.assign(tickets[0], r.body);
        return json(tickets[0]);
      },
    });
    const user = userEvent.setup();
    render(<App />);
    const card = await screen.findByRole('article', { name: 'Printer jam' });
    await waitFor(() => expect(screen.getByRole('definition', { name: 'Open' })).toHaveTextContent('1'));
    await user.selectOptions(within(card).getByLabelText('Status'), 'resolved');
    await waitFor(() => expect(screen.getByRole('definition', { name: 'Open' })).toHaveTextContent('0'));
    expect(within(screen.getByRole('article', { name: 'Printer jam' })).getByLabelText('Status')).toHaveValue(
      'resolved',
    );
  });

  it('shows an offline indicator, polls /healthz and recovers', async () => {
    let up = false;
    mockHttp({
      'GET /api/auth/me/': () => (up ? json(ann()) : 'network-error'),
      'GET /api/tickets/': () => (up ? json([makeTicket({ title: 'Recovered' })]) : 'network-error'),
      'GET /api/tickets/stats/': () => (up ? json(makeStats()) : 'network-error'),
      'GET /healthz': () => (up ? json({ status: 'ok' }) : 'network-error'),
    });
    render(<App healthPollMs={30} />);
    const banner = await screen.findByText(/Offline — can't reach the server, retrying…/);
    expect(banner.closest('[role="status"]')).not.toBeNull();
    await waitFor(() => expect(requestsTo('GET', '/healthz').length).toBeGreaterThanOrEqual(2));

    up = true;
    await waitFor(() => expect(screen.queryByText(/Offline/)).not.toBeInTheDocument());
    expect(await screen.findByRole('article', { name: 'Recovered' })).toBeInTheDocument();
    expect(await screen.findByRole('definition', { name: 'Total tickets' })).toHaveTextContent('124');
    const polls = requestsTo('GET', '/healthz').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(requestsTo('GET', '/healthz')).toHaveLength(polls);
  });
});
