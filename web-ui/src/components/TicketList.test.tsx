import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithClient as render } from '../test/render';
import { queryKeys, ticketCreated } from '../queries';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import TicketList from './TicketList';
import { json, mockHttp, requestsTo, type MockRequest } from '../test/mockHttp';
import { makeTicket } from '../test/fixtures';
import type { Ticket } from '../api';

const listRequests = () => requestsTo('GET', '/api/tickets/');
const titles = () =>
  within(screen.getByRole('list', { name: 'Tickets, newest first' }))
    .getAllByRole('article')
    .map((a) => within(a).getByRole('heading').textContent);

function filterBar() {
  return within(screen.getByRole('search', { name: 'Filter tickets' }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TicketList', () => {
  it('loads the first page newest first', async () => {
    mockHttp({
      'GET /api/tickets/': () =>
        json([makeTicket({ id: 2, title: 'Newer' }), makeTicket({ id: 1, title: 'Older' })]),
    });
    render(<TicketList />);
    await waitFor(() => expect(titles()).toEqual(['Newer', 'Older']));
    expect(listRequests()[0].params).toEqual({});
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('sends the selected filters as query parameters', async () => {
    mockHttp({ 'GET /api/tickets/': () => json([makeTicket()]) });
    const user = userEvent.setup();
    render(<TicketList pageSize={25} />);
    await waitFor(() => expect(listRequests()).toHaveLength(1));
    expect(listRequests()[0].params).toEqual({ limit: '25' });

    await user.selectOptions(filterBar().getByLabelText('Category'), 'billing');
    await waitFor(() => expect(listRequests()).toHaveLength(2));
    expect(listRequests()[1].params).toEqual({ category: 'billing', limit: '25' });

    await user.selectOptions(filterBar().getByLabelText('Priority'), 'critical');
    await user.selectOptions(filterBar().getByLabelText('Status'), 'in_progress');
    await waitFor(() =>
      expect(listRequests().at(-1)!.params).toEqual({
        category: 'billing',
        priority: 'critical',
        status: 'in_progress',
        limit: '25',
      }),
    );

    await user.selectOptions(filterBar().getByLabelText('Category'), 'All');
    await waitFor(() =>
      expect(listRequests().at(-1)!.params).toEqual({
        priority: 'critical',
        status: 'in_progress',
        limit: '25',
      }),
    );
  });

  it('debounces the search box', async () => {
    mockHttp({ 'GET /api/tickets/': () => json([]) });
    render(<TicketList searchDebounceMs={300} />);
    await waitFor(() => expect(listRequests()).toHaveLength(1));

    vi.useFakeTimers();
    const search = filterBar().getByLabelText('Search');
    // Keystrokes 100 ms apart restart the 300 ms wait.
    for (const value of ['v', 'vp', 'vpn', 'vpn down']) {
      fireEvent.change(search, { target: { value } });
      act(() => vi.advanceTimersByTime(100));
    }
    expect(search).toHaveValue('vpn down');
    act(() => vi.advanceTimersByTime(199));
    expect(listRequests()).toHaveLength(1);
    act(() => vi.advanceTimersByTime(1));
    vi.useRealTimers();
    await waitFor(() => expect(listRequests()).toHaveLength(2));
    expect(listRequests()[1].params).toEqual({ search: 'vpn down' });
  });

  it('follows the Link header with Load more and hides it on the last page', async () => {
    const page1 = [makeTicket({ id: 3, title: 'Three' }), makeTicket({ id: 2, title: 'Two' })];
    const page2 = [makeTicket({ id: 1, title: 'One' })];
    const next = 'http://localhost:3000/api/tickets/?status=open&cursor=opaque%3D%3D';
    mockHttp({
      'GET /api/tickets/': (r: MockRequest) =>
        r.params.cursor ? json(page2) : json(page1, 200, { Link: `<${next}>; rel="next"` }),
    });
    const user = userEvent.setup();
    render(<TicketList />);
    await waitFor(() => expect(titles()).toEqual(['Three', 'Two']));

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(titles()).toEqual(['Three', 'Two', 'One']));
    expect(listRequests()[1].url).toBe(next);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('shows an empty state when nothing matches', async () => {
    mockHttp({ 'GET /api/tickets/': () => json([]) });
    render(<TicketList />);
    expect(await screen.findByText('No tickets yet. New tickets will appear here.')).toBeInTheDocument();
    await userEvent.selectOptions(filterBar().getByLabelText('Status'), 'closed');
    expect(await screen.findByText('No tickets match these filters.')).toBeInTheDocument();
  });

  it('shows an error and retries', async () => {
    let fail = true;
    mockHttp({
      'GET /api/tickets/': () =>
        fail ? json({ detail: 'Database unavailable.' }, 503) : json([makeTicket({ title: 'Back' })]),
    });
    render(<TicketList />);
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load tickets: Database unavailable.");
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(titles()).toEqual(['Back']));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a 400 from bad parameters as an error', async () => {
    mockHttp({ 'GET /api/tickets/': () => json({ limit: ['Ensure this value is at most 100.'] }, 400) });
    render(<TicketList pageSize={1000} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('limit: Ensure this value is at most 100.');
  });

  it('refetches every loaded page after a create, keeping "Load more" results', async () => {
    let tickets: Ticket[] = [makeTicket({ id: 2, title: 'First' })];
    mockHttp({
      'GET /api/tickets/': (r) =>
        r.params.cursor
          ? json([makeTicket({ id: 1, title: 'Page two' })])
          : json(tickets, 200, { Link: '</api/tickets/?cursor=x>; rel="next"' }),
    });
    const { client } = render(<TicketList />);
    await waitFor(() => expect(titles()).toEqual(['First']));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(titles()).toEqual(['First', 'Page two']));

    tickets = [makeTicket({ id: 5, title: 'Brand new' }), ...tickets];
    await ticketCreated(client);
    await waitFor(() => expect(titles()).toEqual(['Brand new', 'First', 'Page two']));
    // Page one, then page two again from the fresh page one's link.
    expect(listRequests().slice(-2).map((r) => r.params)).toEqual([{}, { cursor: 'x' }]);
  });

  it('resolves a relative next link against the page location', async () => {
    mockHttp({
      'GET /api/tickets/': (r) =>
        r.params.cursor
          ? json([makeTicket({ id: 1, title: 'Older' })])
          : json([makeTicket({ id: 2, title: 'Newer' })], 200, {
              Link: '<?status=open&cursor=rel%2B1>; rel="next"',
            }),
    });
    render(<TicketList />);
    await waitFor(() => expect(titles()).toEqual(['Newer']));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(titles()).toEqual(['Newer', 'Older']));
    expect(listRequests()[1].url).toBe(`${window.location.origin}/api/tickets/?status=open&cursor=rel%2B1`);
    expect(listRequests()[1].params).toEqual({ status: 'open', cursor: 'rel+1' });
  });

  it('keeps the loaded pages and shows an inline error when Load more fails', async () => {
    let failMore = true;
    mockHttp({
      'GET /api/tickets/': (r) =>
        r.params.cursor
          ? failMore
            ? json({ detail: 'Database unavailable.' }, 503)
            : json([makeTicket({ id: 1, title: 'One' })])
          : json([makeTicket({ id: 2, title: 'Two' })], 200, { Link: '</api/tickets/?cursor=c>; rel="next"' }),
    });
    render(<TicketList />);
    await waitFor(() => expect(titles()).toEqual(['Two']));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't load more tickets: Database unavailable.");
    expect(titles()).toEqual(['Two']);
    failMore = false;
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(titles()).toEqual(['Two', 'One']));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('updates a card in place after a status change, keeping every loaded page', async () => {
    const page1 = [makeTicket({ id: 12, title: 'Scanner', status: 'open' })];
    const ticket = makeTicket({ id: 11, title: 'Printer', status: 'open' });
    mockHttp({
      'GET /api/tickets/': (r) =>
        r.params.cursor ? json([ticket]) : json(page1, 200, { Link: '</api/tickets/?cursor=p2>; rel="next"' }),
      'GET /api/tickets/11/': () => json(ticket, 200, { ETag: '"1"' }),
      'PATCH /api/tickets/11/': (r) => json({ ...ticket, ...(r.body as object) }, 200, { ETag: '"2"' }),
    });
    const onUpdated = vi.fn();
    const { client } = render(<TicketList onUpdated={onUpdated} />);
    await waitFor(() => expect(titles()).toEqual(['Scanner']));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    const card = await screen.findByRole('article', { name: 'Printer' });
    const before = listRequests().length;
    await userEvent.selectOptions(within(card).getByLabelText('Status'), 'resolved');
    await waitFor(() => expect(onUpdated).toHaveBeenCalledWith({ ...ticket, status: 'resolved' }));
    expect(within(card).getByLabelText('Status')).toHaveValue('resolved');
    expect(titles()).toEqual(['Scanner', 'Printer']);
    // The cached copy was updated in place; no list request was needed for it.
    expect(listRequests()).toHaveLength(before);
    const cached = client.getQueriesData<{ pages: { tickets: Ticket[] }[] }>({ queryKey: queryKeys.ticketLists });
    expect(cached[0][1]!.pages[1].tickets[0].status).toBe('resolved');
  });

  it('shows the newer server copy in place when a card finds the ticket changed, saving nothing', async () => {
    const page1 = [makeTicket({ id: 12, title: 'Scanner', status: 'open' })];
    const ticket = makeTicket({ id: 11, title: 'Printer', status: 'open', priority: 'low' });
    mockHttp({
      'GET /api/tickets/': (r) =>
        r.params.cursor ? json([ticket]) : json(page1, 200, { Link: '</api/tickets/?cursor=p2>; rel="next"' }),
      'GET /api/tickets/11/': () => json({ ...ticket, priority: 'critical' }, 200, { ETag: '"5"' }),
    });
    const onUpdated = vi.fn();
    render(<TicketList onUpdated={onUpdated} />);
    await waitFor(() => expect(titles()).toEqual(['Scanner']));
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    const card = await screen.findByRole('article', { name: 'Printer' });
    await userEvent.selectOptions(within(card).getByLabelText('Status'), 'closed');
    expect(await within(card).findByRole('alert')).toHaveTextContent(/Priority\s*from Low → to Critical/);
    expect(within(within(card).getByRole('list', { name: 'Ticket attributes' })).getByText('Critical')).toBeInTheDocument();
    expect(within(card).getByLabelText('Status')).toHaveValue('open');
    expect(titles()).toEqual(['Scanner', 'Printer']);
    expect(requestsTo('PATCH', '/api/tickets/11/')).toHaveLength(0);
    expect(onUpdated).not.toHaveBeenCalled();
  });

  it('isolates bidirectional control characters in titles and descriptions', async () => {
    const title = 'Invoice \u202Efdp.exe\u202C please';
    const description = 'See \u202Eattached\u2066 file';
    mockHttp({ 'GET /api/tickets/': () => json([makeTicket({ id: 3, title, description })]) });
    render(<TicketList />);
    const card = await screen.findByRole('article', { name: title });
    const heading = within(card).getByRole('heading');
    const bdi = heading.querySelector('bdi');
    expect(bdi).not.toBeNull();
    expect(bdi!.textContent).toBe(title); // exactly as sent
    expect(heading.textContent).toBe(title);
    const descriptionBdi = card.querySelector('.ticket-description bdi');
    expect(descriptionBdi!.textContent).toBe(description);
    // The id next to the title is outside the isolate.
    expect(bdi!.contains(within(card).getByText('#3'))).toBe(false);
  });
});
