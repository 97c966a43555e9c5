import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import TicketCard from './TicketCard';
import { deferred, json, mockHttp, requestsTo, type MockReply } from '../test/mockHttp';
import { makeTicket } from '../test/fixtures';

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

  it('changes status optimistically and reports the saved ticket', async () => {
    const ticket = makeTicket({ id: 7, status: 'open' });
    const reply = deferred<MockReply>();
    mockHttp({ 'PATCH /api/tickets/7/': () => reply.promise });
    const onUpdated = vi.fn();
    render(<TicketCard ticket={ticket} onUpdated={onUpdated} />);

    const select = screen.getByLabelText('Status');
    await userEvent.selectOptions(select, 'resolved');
    // Shown at once, before the server answered.
    expect(select).toHaveValue('resolved');
    expect(requestsTo('PATCH', '/api/tickets/7/')[0].body).toEqual({ status: 'resolved' });
    expect(onUpdated).not.toHaveBeenCalled();

    reply.resolve(json({ ...ticket, status: 'resolved' }));
    await waitFor(() => expect(onUpdated).toHaveBeenCalledWith({ ...ticket, status: 'resolved' }));
  });

  it('rolls back and explains when the change fails', async () => {
    const ticket = makeTicket({ id: 8, status: 'open' });
    const reply = deferred<MockReply>();
    mockHttp({ 'PATCH /api/tickets/8/': () => reply.promise });
    const onUpdated = vi.fn();
    render(<TicketCard ticket={ticket} onUpdated={onUpdated} />);

    const select = screen.getByLabelText('Status');
    await userEvent.selectOptions(select, 'closed');
    expect(select).toHaveValue('closed');

    reply.resolve(json({ detail: 'Not found.' }, 404));
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't change the status: Not found.");
    expect(select).toHaveValue('open');
    expect(select).toHaveAttribute('aria-invalid', 'true');
    expect(onUpdated).not.toHaveBeenCalled();
  });
});
