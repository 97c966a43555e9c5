import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import TicketCard from './TicketCard';
import { deferred, json, mockHttp, requestsTo, type MockReply } from '../test/mockHttp';
import { makeTicket } from '../test/fixtures';
import { emulateSelectArrowKeys } from '../test/selectKeyboard';

describe('TicketCard', () => {
  it('shows title, id, time and badges', () => {
    const ticket = makeTicket({
      id: 42,
      title: 'Cannot log in',
      category: 'account',
      priority: 'critical',
      status: 'in_progress',
      created_at: '2025-01-15T09:30:00Z',
    });
    render(<TicketCard ticket={ticket} />);
    const card = screen.getByRole('article', { name: 'Cannot log in' });
    expect(within(card).getByText('#42')).toBeInTheDocument();
    const time = card.querySelector('time');
    expect(time).toHaveAttribute('dateTime', '2025-01-15T09:30:00Z');
    expect(time?.textContent).toMatch(/2025/);
    const badges = within(card).getByRole('list', { name: 'Ticket attributes' });
    expect(within(badges).getByText('Account')).toBeInTheDocument();
    expect(within(badges).getByText('Critical')).toBeInTheDocument();
    expect(within(badges).getByText('In progress')).toBeInTheDocument();
    expect(within(card).getByLabelText('Status')).toHaveValue('in_progress');
  });

  it('truncates long descriptions with a Show more / Show less toggle', async () => {
    const description = `${'word '.repeat(60)}END`;
    render(<TicketCard ticket={makeTicket({ description })} />);
    const toggle = screen.getByRole('button', { name: 'Show more' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText(/END/)).not.toBeInTheDocument();
    expect(screen.getByText(/…$/).textContent!.length).toBeLessThanOrEqual(161);

    await userEvent.click(toggle);
    expect(screen.getByText(/END$/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');

    await userEvent.click(screen.getByRole('button', { name: 'Show less' }));
    expect(screen.queryByText(/END/)).not.toBeInTheDocument();
  });

  it('has no toggle for short descriptions', () => {
    render(<TicketCard ticket={makeTicket({ description: 'Short.' })} />);
    expect(screen.queryByRole('button', { name: /show/i })).not.toBeInTheDocument();
  });

  it('links the title to the ticket view', () => {
    render(<TicketCard ticket={makeTicket({ id: 42, title: 'Cannot log in' })} />);
    const card = screen.getByRole('article', { name: 'Cannot log in' });
    expect(within(card).getByRole('link', { name: 'Cannot log in' })).toHaveAttribute('href', '/tickets/42');
  });

  it('reads the ticket, then saves a clicked status with If-Match, showing it at once', async () => {
    const ticket = makeTicket({ id: 7, status: 'open' });
    const reply = deferred<MockReply>();
    mockHttp({
      'GET /api/tickets/7/': () => json(ticket, 200, { ETag: '"3"' }),
      'PATCH /api/tickets/7/': () => reply.promise,
    });
    const onUpdated = vi.fn();
    render(<TicketCard ticket={ticket} onUpdated={onUpdated} />);

    const select = screen.getByLabelText('Status');
    await userEvent.selectOptions(select, 'resolved');
    // Shown at once, before the server answered.
    expect(select).toHaveValue('resolved');
    await waitFor(() => expect(requestsTo('PATCH', '/api/tickets/7/')).toHaveLength(1));
    const patch = requestsTo('PATCH', '/api/tickets/7/')[0];
    expect(patch.body).toEqual({ status: 'resolved' });
    expect(patch.headers['if-match']).toBe('"3"');
    expect(requestsTo('GET', '/api/tickets/7/')).toHaveLength(1);
    expect(onUpdated).not.toHaveBeenCalled();

    reply.resolve(json({ ...ticket, status: 'resolved' }, 200, { ETag: '"4"' }));
    await waitFor(() => expect(onUpdated).toHaveBeenCalledWith({ ...ticket, status: 'resolved' }));
  });

  it('rolls back and explains when the change fails', async () => {
    const ticket = makeTicket({ id: 8, status: 'open' });
    const reply = deferred<MockReply>();
    mockHttp({
      'GET /api/tickets/8/': () => json(ticket, 200, { ETag: '"1"' }),
      'PATCH /api/tickets/8/': () => reply.promise,
    });
    const onUpdated = vi.fn();
    render(<TicketCard ticket={ticket} onUpdated={onUpdated} />);

    const select = screen.getByLabelText('Status');
    await userEvent.selectOptions(select, 'closed');
    expect(select).toHaveValue('closed');
    await waitFor(() => expect(requestsTo('PATCH', '/api/tickets/8/')).toHaveLength(1));

    reply.resolve(json({ detail: 'Not found.' }, 404));
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't change the status: Not found.");
    expect(select).toHaveValue('open');
    expect(select).toHaveAttribute('aria-invalid', 'true');
    expect(onUpdated).not.toHaveBeenCalled();
  });

  describe('with the keyboard', () => {
    let stopEmulating: () => void;
    beforeEach(() => {
      stopEmulating = emulateSelectArrowKeys();
    });
    afterEach(() => stopEmulating());

    function setup() {
      const ticket = makeTicket({ id: 9, status: 'open' });
      mockHttp({
        'GET /api/tickets/9/': () => json(ticket, 200, { ETag: '"2"' }),
        'PATCH /api/tickets/9/': (r) => json({ ...ticket, ...(r.body as object) }, 200, { ETag: '"3"' }),
      });
      const onUpdated = vi.fn();
      render(<TicketCard ticket={ticket} onUpdated={onUpdated} />);
      return { ticket, onUpdated, select: screen.getByLabelText('Status'), user: userEvent.setup() };
    }

    it('sends nothing while arrowing through the options, and one PATCH on Enter', async () => {
      const { ticket, onUpdated, select, user } = setup();
      await user.click(select);
      await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}');
      expect(select).toHaveValue('resolved');
      expect(select).toHaveAccessibleDescription(/Not saved yet: press Enter or choose Save to set Resolved/);
      await new Promise((r) => setTimeout(r, 200));
      expect(requestsTo('GET', '/api/tickets/9/')).toHaveLength(0);
      expect(requestsTo('PATCH', '/api/tickets/9/')).toHaveLength(0);

      await user.keyboard('{Enter}');
      await waitFor(() => expect(onUpdated).toHaveBeenCalledWith({ ...ticket, status: 'resolved' }));
      expect(requestsTo('PATCH', '/api/tickets/9/')).toHaveLength(1);
      expect(requestsTo('PATCH', '/api/tickets/9/')[0].body).toEqual({ status: 'resolved' });
      expect(select).toHaveFocus();
      expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
    });

    it('saves a keyboard choice with the Save button, or drops it with Escape', async () => {
      const { onUpdated, select, user } = setup();
      await user.click(select);
      await user.keyboard('{ArrowDown}');
      expect(select).toHaveValue('in_progress');
      await user.keyboard('{Escape}');
      expect(select).toHaveValue('open');
      expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();

      await user.keyboard('{ArrowDown}{ArrowDown}');
      await user.tab();
      expect(screen.getByRole('button', { name: 'Save' })).toHaveFocus();
      expect(requestsTo('PATCH', '/api/tickets/9/')).toHaveLength(0);
      await user.keyboard('{Enter}');
      await waitFor(() => expect(onUpdated).toHaveBeenCalledTimes(1));
      expect(requestsTo('PATCH', '/api/tickets/9/').map((r) => r.body)).toEqual([{ status: 'resolved' }]);
    });
  });

  it('shows what changed instead of saving when the server copy differs from the card', async () => {
    const shown = makeTicket({ id: 5, title: 'Printer', priority: 'low', status: 'open' });
    const current = { ...shown, priority: 'high' as const, status: 'in_progress' as const };
    mockHttp({
      'GET /api/tickets/5/': () => json(current, 200, { ETag: '"6"' }),
      'PATCH /api/tickets/5/': (r) => json({ ...current, ...(r.body as object) }, 200, { ETag: '"7"' }),
    });
    const onUpdated = vi.fn();
    const onRefreshed = vi.fn();
    const { rerender } = render(<TicketCard ticket={shown} onUpdated={onUpdated} onRefreshed={onRefreshed} />);
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'resolved');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not saved: this ticket was changed since the list was loaded.');
    expect(alert).toHaveTextContent(/Priority\s*from Low → to High/);
    expect(alert).toHaveTextContent(/Status\s*from Open → to In progress/);
    expect(requestsTo('PATCH', '/api/tickets/5/')).toHaveLength(0);
    expect(onRefreshed).toHaveBeenCalledWith(current);
    // The list puts the fresh copy in the card.
    rerender(<TicketCard ticket={current} onUpdated={onUpdated} onRefreshed={onRefreshed} />);
    expect(screen.getByLabelText('Status')).toHaveValue('in_progress');

    await userEvent.click(within(alert).getByRole('button', { name: 'Set Resolved anyway' }));
    await waitFor(() => expect(onUpdated).toHaveBeenCalledWith({ ...current, status: 'resolved' }));
    const patch = requestsTo('PATCH', '/api/tickets/5/')[0];
    expect(patch.body).toEqual({ status: 'resolved' });
    expect(patch.headers['if-match']).toBe('"6"');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the conflict when the PATCH answers 412', async () => {
    const shown = makeTicket({ id: 6, title: 'Scanner', status: 'open' });
    const current = { ...shown, title: 'Scanner on floor 2' };
    let reads = 0;
    mockHttp({
      'GET /api/tickets/6/': () => (reads++ === 0 ? json(shown, 200, { ETag: '"1"' }) : json(current, 200, { ETag: '"2"' })),
      'PATCH /api/tickets/6/': () =>
        json({ detail: 'The ticket was changed by someone else since you read it.' }, 412),
    });
    const onUpdated = vi.fn();
    const onRefreshed = vi.fn();
    render(<TicketCard ticket={shown} onUpdated={onUpdated} onRefreshed={onRefreshed} />);
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'closed');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/Title\s*from Scanner → to Scanner on floor 2/);
    expect(onRefreshed).toHaveBeenCalledWith(current);
    expect(onUpdated).not.toHaveBeenCalled();
    await userEvent.click(within(alert).getByRole('button', { name: 'Keep it as it is' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(requestsTo('PATCH', '/api/tickets/6/')).toHaveLength(1);
  });
});
