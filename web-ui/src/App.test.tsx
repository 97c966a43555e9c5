import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App';
import { json, mockHttp, requestsTo } from './test/mockHttp';
import { actors, ann, makeStats, makeTicket } from './test/fixtures';
import { fakeTicket } from './test/fakeTicket';
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
      'GET /api/tickets/4/': () => json(tickets[0], 200, { ETag: '"1"' }),
      'PATCH /api/tickets/4/': (r) => {
        Object.assign(tickets[0], r.body);
        return json(tickets[0], 200, { ETag: '"2"' });
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

  describe('the ticket view', () => {
    /** Two pages of tickets; the one on page two is a fake ticket with versions and history. */
    function twoPages() {
      const scanner = makeTicket({ id: 12, title: 'Scanner', status: 'open' });
      const fake = fakeTicket(makeTicket({ id: 11, title: 'Printer', priority: 'low', status: 'open' }));
      mockHttp({
        ...fake.routes,
        'GET /api/tickets/12/': () => json(scanner, 200, { ETag: '"1"' }),
        'GET /api/tickets/12/history/': () => json([]),
        'GET /api/auth/me/': () => json(ann()),
        'GET /api/tickets/stats/': () => json(makeStats()),
        'GET /api/tickets/': (r) =>
          r.params.cursor
            ? json([fake.ticket])
            : json([scanner], 200, { Link: '</api/tickets/?cursor=p2>; rel="next"' }),
      });
      return fake;
    }

    async function openPrinterFromPageTwo(user: ReturnType<typeof userEvent.setup>) {
      await waitFor(() => expect(listTitles()).toEqual(['Scanner']));
      await user.click(screen.getByRole('button', { name: 'Load more' }));
      await waitFor(() => expect(listTitles()).toEqual(['Scanner', 'Printer']));
      const card = screen.getByRole('article', { name: 'Printer' });
      await user.click(within(card).getByRole('link', { name: 'Printer' }));
      expect(window.location.pathname).toBe('/tickets/11');
      return within(await screen.findByRole('form', { name: 'Edit ticket' }));
    }

    async function backToList(user: ReturnType<typeof userEvent.setup>) {
      await user.click(screen.getByRole('link', { name: '← All tickets' }));
      expect(window.location.pathname).toBe('/');
      await waitFor(() => expect(listTitles()).toEqual(['Scanner', 'Printer']));
    }

    it('opens from a card, saves, and the list comes back with its loaded pages and the change', async () => {
      twoPages();
      const user = userEvent.setup();
      render(<App />);
      const form = await openPrinterFromPageTwo(user);
      await user.selectOptions(form.getByLabelText('Priority'), 'critical');
      await user.click(form.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(form.getByRole('status')).toHaveTextContent('Changes saved.'));

      await backToList(user);
      const card = screen.getByRole('article', { name: 'Printer' });
      expect(within(card).getByText('Critical')).toBeInTheDocument();
      // Both pages were read again (they were stale), none dropped.
      await waitFor(() => expect(requestsTo('GET', '/api/tickets/').at(-1)!.params).toEqual({ cursor: 'p2' }));
      expect(listTitles()).toEqual(['Scanner', 'Printer']);
    });

    it('keeps the loaded pages after a conflict was resolved in the ticket view', async () => {
      const fake = twoPages();
      const user = userEvent.setup();
      render(<App />);
      const form = await openPrinterFromPageTwo(user);
      await user.type(form.getByLabelText('Title'), ' jam');
      fake.change({ status: 'in_progress' }, actors.bob);
      await user.click(form.getByRole('button', { name: 'Save changes' }));
      await screen.findByRole('heading', { name: 'Not saved: someone else changed this ticket' });
      await user.click(form.getByRole('button', { name: 'Apply my changes on top' }));
      await waitFor(() => expect(form.getByRole('status')).toHaveTextContent('Your changes were applied on top.'));

      await user.click(screen.getByRole('link', { name: '← All tickets' }));
      await waitFor(() => expect(listTitles()).toEqual(['Scanner', 'Printer jam']));
      const card = screen.getByRole('article', { name: 'Printer jam' });
      expect(within(card).getByLabelText('Status')).toHaveValue('in_progress');
    });

    it('is deep-linkable: a reload on /tickets/:id shows the ticket', async () => {
      twoPages();
      window.history.replaceState(null, '', '/tickets/11');
      render(<App />);
      expect(await screen.findByRole('heading', { level: 2, name: '#11 Printer' })).toBeInTheDocument();
      expect(screen.queryByRole('list', { name: 'Tickets, newest first' })).not.toBeInTheDocument();
      expect(requestsTo('GET', '/api/tickets/11/')).toHaveLength(1);
    });

    it('keeps the list filters when coming back from a ticket', async () => {
      twoPages();
      const user = userEvent.setup();
      render(<App />);
      await waitFor(() => expect(listTitles()).toEqual(['Scanner']));
      const filters = within(screen.getByRole('search', { name: 'Filter tickets' }));
      await user.selectOptions(filters.getByLabelText('Status'), 'open');
      await waitFor(() => expect(requestsTo('GET', '/api/tickets/').at(-1)!.params).toEqual({ status: 'open' }));
      await user.click(screen.getByRole('link', { name: 'Scanner' }));
      await screen.findByRole('form', { name: 'Edit ticket' });
      await user.click(screen.getByRole('link', { name: '← All tickets' }));
      const again = within(await screen.findByRole('search', { name: 'Filter tickets' }));
      expect(again.getByLabelText('Status')).toHaveValue('open');
    });
  });
});
