import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import TicketForm from './TicketForm';
import {
  deferred,
  json,
  mockHttp,
  requestsTo,
  setRoute,
  type MockReply,
} from '../test/mockHttp';
import { makeTicket } from '../test/fixtures';

const classifyRequests = () => requestsTo('POST', '/api/tickets/classify/');
const suggestion = (
  category: string,
  priority: string,
  source = 'llm',
  note?: string,
  confidence?: { category: number; priority: number },
) =>
  json({
    suggested_category: category,
    suggested_priority: priority,
    source,
    ...(note ? { note } : {}),
    ...(confidence ? { confidence } : {}),
  });

const creates = () => requestsTo('POST', '/api/tickets/');
const keyOf = (index: number) => creates()[index].headers['idempotency-key'];

/** Fills the form and waits for the suggestion (which fills category and priority). */
async function fillForm(user: ReturnType<typeof userEvent.setup>, title: string, description: string) {
  await user.type(form().getByLabelText('Title'), title);
  await user.type(form().getByLabelText('Description'), description);
  await screen.findByText(/Suggested by/);
}

function form() {
  return within(screen.getByRole('form', { name: /^(New ticket|Submit a ticket)$/ }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TicketForm', () => {
  it('counts title characters', async () => {
    render(<TicketForm />);
    const title = form().getByLabelText('Title');
    expect(screen.getByText('0/200')).toBeInTheDocument();
    await userEvent.type(title, 'Hello');
    expect(screen.getByText('5/200')).toBeInTheDocument();
    expect(title.getAttribute('aria-describedby')).toContain('ticket-title-count');
    expect(document.getElementById('ticket-title-count')).toHaveTextContent('5/200');
  });

  it('counts and limits the title in code points, as the server does', async () => {
    const emoji = '😀';
    mockHttp({
      'POST /api/tickets/classify/': () => suggestion('general', 'low'),
      'POST /api/tickets/': (r) => json(makeTicket({ id: 77, ...(r.body as object) }), 201),
    });
    const user = userEvent.setup();
    render(<TicketForm classifyDebounceMs={10} />);
    const title = form().getByLabelText('Title');
    fireEvent.change(title, { target: { value: emoji.repeat(201) } });
    expect(document.getElementById('ticket-title-count')).toHaveTextContent('201/200');
    expect(document.getElementById('ticket-title-count')).toHaveClass('over');
    await user.type(form().getByLabelText('Description'), 'Smileys everywhere');
    await screen.findByText('Suggested by AI');
    await user.click(form().getByRole('button', { name: 'Create ticket' }));
    expect(title).toHaveAccessibleDescription(/no more than 200 characters/);
    expect(requestsTo('POST', '/api/tickets/')).toHaveLength(0);

    // 200 emoji are 400 UTF-16 units but a valid title.
    fireEvent.change(title, { target: { value: emoji.repeat(200) } });
    expect(document.getElementById('ticket-title-count')).toHaveTextContent('200/200');
    expect(document.getElementById('ticket-title-count')).not.toHaveClass('over');
    await user.click(form().getByRole('button', { name: 'Create ticket' }));
    await waitFor(() => expect(requestsTo('POST', '/api/tickets/')).toHaveLength(1));
    expect((requestsTo('POST', '/api/tickets/')[0].body as { title: string }).title).toBe(emoji.repeat(200));
  });

  it('classifies the description after a 500 ms pause and pre-fills the selects', async () => {
    mockHttp({ 'POST /api/tickets/classify/': () => suggestion('billing', 'high') });
    render(<TicketForm />);
    const description = form().getByLabelText('Description');
    expect(form().getByLabelText('Category')).toHaveValue('');
    expect(form().getAllByRole('option', { name: 'Choose…', selected: true })).toHaveLength(2);

    vi.useFakeTimers();
    for (const value of ['I was', 'I was charged', 'I was charged twice']) {
      fireEvent.change(description, { target: { value } });
      act(() => vi.advanceTimersByTime(200));
    }
    act(() => vi.advanceTimersByTime(299));
    expect(classifyRequests()).toHaveLength(0);
    act(() => vi.advanceTimersByTime(1));
    expect(classifyRequests()).toHaveLength(1);
    vi.useRealTimers();

    expect(classifyRequests()[0].body).toEqual({ description: 'I was charged twice' });
    expect(await screen.findByText('Suggested by AI')).toBeInTheDocument();
    expect(form().getByLabelText(/^Category/)).toHaveValue('billing');
    expect(form().getByLabelText(/^Priority/)).toHaveValue('high');
    expect(form().getByLabelText(/^Category/)).toHaveAccessibleDescription(/suggested/);
  });

  it('shows a loading state while suggesting', async () => {
    const reply = deferred<MockReply>();
    mockHttp({ 'POST /api/tickets/classify/': () => reply.promise });
    render(<TicketForm classifyDebounceMs={10} />);
    await userEvent.type(form().getByLabelText('Description'), 'VPN drops');
    expect(await screen.findByText('Suggesting…')).toBeInTheDocument();
    const region = screen.getByText('Suggesting…').closest('[aria-live]');
    expect(region).toHaveAttribute('aria-busy', 'true');
    reply.resolve(suggestion('technical', 'medium', 'offline', 'The LLM timed out.'));
    expect(await screen.findByText('Suggested by offline rules')).toBeInTheDocument();
    expect(screen.getByText('The LLM timed out.')).toBeInTheDocument();
    expect(region).toHaveAttribute('aria-busy', 'false');
  });

  it('does not classify blank text', async () => {
    mockHttp({ 'POST /api/tickets/classify/': () => suggestion('billing', 'high') });
    render(<TicketForm classifyDebounceMs={10} />);
    await userEvent.type(form().getByLabelText('Description'), '   ');
    await new Promise((r) => setTimeout(r, 50));
    expect(classifyRequests()).toHaveLength(0);
  });

  it('never overwrites a field the person chose by hand', async () => {
    mockHttp({ 'POST /api/tickets/classify/': () => suggestion('billing', 'critical') });
    const user = userEvent.setup();
    render(<TicketForm classifyDebounceMs={10} />);
    await user.selectOptions(form().getByLabelText('Category'), 'technical');
    await user.type(form().getByLabelText('Description'), 'Refund my card');
    expect(await screen.findByText('Suggested by AI')).toBeInTheDocument();
    expect(form().getByLabelText(/^Category/)).toHaveValue('technical');
    expect(form().getByLabelText(/^Priority/)).toHaveValue('critical');
  });

  it('cancels the in-flight request and drops a stale answer', async () => {
    const first = deferred<MockReply>();
    const second = deferred<MockReply>();
    const replies = [first, second];
    mockHttp({ 'POST /api/tickets/classify/': () => replies.shift()!.promise });
    render(<TicketForm classifyDebounceMs={10} />);
    const description = form().getByLabelText('Description');

    fireEvent.change(description, { target: { value: 'Login fails' } });
    await waitFor(() => expect(classifyRequests()).toHaveLength(1));
    fireEvent.change(description, { target: { value: 'Login fails and my invoice is wrong' } });
    await waitFor(() => expect(classifyRequests()).toHaveLength(2));
    expect(classifyRequests()[1].body).toEqual({ description: 'Login fails and my invoice is wrong' });
    expect(classifyRequests()[0].signal?.aborted).toBe(true);

    second.resolve(suggestion('account', 'low'));
    await waitFor(() => expect(form().getByLabelText(/^Category/)).toHaveValue('account'));
    first.resolve(suggestion('billing', 'critical'));
    await new Promise((r) => setTimeout(r, 20));
    expect(form().getByLabelText(/^Category/)).toHaveValue('account');
    expect(form().getByLabelText(/^Priority/)).toHaveValue('low');
  });

  it('notes a failed or rate-limited classification without blocking the form', async () => {
    mockHttp({
      'POST /api/tickets/classify/': () => json({ detail: 'Slow down.' }, 429, { 'Retry-After': '30' }),
    });
    render(<TicketForm classifyDebounceMs={10} />);
    await userEvent.type(form().getByLabelText('Description'), 'Something broke');
    expect(await screen.findByText(/Suggestions are paused for 30 s/)).toBeInTheDocument();
    expect(form().getByRole('button', { name: 'Create ticket' })).toBeEnabled();
    expect(form().getByLabelText('Category')).toBeEnabled();
  });

  it('shows API field errors next to their fields and keeps the input', async () => {
    mockHttp({
      'POST /api/tickets/classify/': () => suggestion('general', 'low'),
      'POST /api/tickets/': () =>
        json(
          {
            title: ['Ensure this field has no more than 200 characters.'],
            category: ['"x" is not a valid choice.'],
          },
          400,
        ),
    });
    const user = userEvent.setup();
    render(<TicketForm classifyDebounceMs={10} />);
    await user.type(form().getByLabelText('Title'), 'My title');
    await user.type(form().getByLabelText('Description'), 'My description');
    await screen.findByText('Suggested by AI');
    await user.click(form().getByRole('button', { name: 'Create ticket' }));

    const title = form().getByLabelText('Title');
    await waitFor(() => expect(title).toHaveAttribute('aria-invalid', 'true'));
    expect(title).toHaveAccessibleDescription(/no more than 200 characters/);
    expect(title).toHaveValue('My title');
    expect(title).toHaveFocus();
    const category = form().getByLabelText(/^Category/);
    expect(category).toHaveAttribute('aria-invalid', 'true');
    expect(category).toHaveAccessibleDescription(/not a valid choice/);
    expect(form().getByLabelText('Description')).toHaveValue('My description');
    expect(form().getByLabelText('Description')).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a detail error as a form-level alert', async () => {
    mockHttp({
      'POST /api/tickets/classify/': () => suggestion('general', 'low'),
      'POST /api/tickets/': () => json({ detail: 'Database unavailable.' }, 503),
    });
    const user = userEvent.setup();
    render(<TicketForm classifyDebounceMs={10} />);
    await user.type(form().getByLabelText('Title'), 'T');
    await user.type(form().getByLabelText('Description'), 'D');
    await screen.findByText('Suggested by AI');
    await user.click(form().getByRole('button', { name: 'Create ticket' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Database unavailable.');
    expect(form().getByLabelText('Title')).toHaveValue('T');
  });

  it('asks to sign in when the server takes no public submissions (401)', async () => {
    mockHttp({
      'POST /api/tickets/classify/': () => suggestion('general', 'low'),
      'POST /api/tickets/': () => json({ detail: 'Authentication credentials were not provided.' }, 401),
    });
    const user = userEvent.setup();
    render(<TicketForm variant="public" classifyDebounceMs={10} />);
    await user.type(form().getByLabelText('Title'), 'T');
    await user.type(form().getByLabelText('Description'), 'D');
    await screen.findByText('Suggested by AI');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('please sign in first');
    expect(form().getByLabelText('Title')).toHaveValue('T');
  });

  it('checks required fields before sending', async () => {
    mockHttp({});
    render(<TicketForm classifyDebounceMs={10} />);
    await userEvent.click(form().getByRole('button', { name: 'Create ticket' }));
    expect(form().getByLabelText('Title')).toHaveAttribute('aria-invalid', 'true');
    expect(form().getByLabelText('Category')).toHaveAccessibleDescription('Please choose a category.');
    expect(requestsTo('POST', '/api/tickets/')).toHaveLength(0);
  });

  it('submits, disables the button meanwhile, clears the form and calls onCreated', async () => {
    const created = deferred<MockReply>();
    mockHttp({
      'POST /api/tickets/classify/': () => suggestion('technical', 'high'),
      'POST /api/tickets/': () => created.promise,
    });
    const onCreated = vi.fn();
    const user = userEvent.setup();
    render(<TicketForm onCreated={onCreated} classifyDebounceMs={10} />);
    await user.type(form().getByLabelText('Title'), 'Server is down');
    await user.type(form().getByLabelText('Description'), 'Nothing loads since 9am.');
    await screen.findByText('Suggested by AI');
    await user.selectOptions(form().getByLabelText(/^Priority/), 'critical');
    await user.click(form().getByRole('button', { name: 'Create ticket' }));

    const button = form().getByRole('button', { name: 'Creating…' });
    expect(button).toBeDisabled();
    expect(requestsTo('POST', '/api/tickets/')[0].body).toEqual({
      title: 'Server is down',
      description: 'Nothing loads since 9am.',
      category: 'technical',
      priority: 'critical',
    });

    const ticket = makeTicket({ id: 123, title: 'Server is down', priority: 'critical' });
    created.resolve(json(ticket, 201));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Ticket #123 created'));
    expect(onCreated).toHaveBeenCalledWith(ticket);
    expect(form().getByLabelText('Title')).toHaveValue('');
    expect(form().getByLabelText('Description')).toHaveValue('');
    expect(form().getByLabelText('Category')).toHaveValue('');
    expect(form().getByLabelText('Priority')).toHaveValue('');
    expect(form().getByRole('button', { name: 'Create ticket' })).toBeEnabled();
    expect(screen.queryByText('Suggested by AI')).not.toBeInTheDocument();
  });

  describe('idempotent creates', () => {
    it('keeps the Idempotency-Key when retrying after a network error, and makes a new one for the next ticket', async () => {
      let fail = true;
      mockHttp({
        'POST /api/tickets/classify/': () => suggestion('technical', 'high'),
        'POST /api/tickets/': (r) => (fail ? 'network-error' : json(makeTicket({ id: 31, ...(r.body as object) }), 201)),
      });
      const onCreated = vi.fn();
      const user = userEvent.setup();
      render(<TicketForm onCreated={onCreated} classifyDebounceMs={10} />);
      await fillForm(user, 'VPN down', 'The VPN drops.');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        "Couldn't reach the server — please try again. Trying again will not file the ticket twice.",
      );
      expect(keyOf(0)).toMatch(/^[\x21-\x7e]{1,255}$/);
      expect(form().getByLabelText('Title')).toHaveValue('VPN down');

      // Trying again, even twice: the same key.
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(creates()).toHaveLength(2));
      fail = false;
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));
      expect(creates().map((r) => r.headers['idempotency-key'])).toEqual([keyOf(0), keyOf(0), keyOf(0)]);
      expect(creates()[2].body).toEqual(creates()[0].body);

      // The next ticket: a new key.
      await fillForm(user, 'Printer jam', 'Paper stuck.');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(2));
      expect(keyOf(3)).not.toBe(keyOf(0));
    });

    it('keeps the key across a 503 with Retry-After, and says when to try again', async () => {
      let answer: MockReply = json({ detail: 'Database unavailable.' }, 503, { 'Retry-After': '5' });
      mockHttp({
        'POST /api/tickets/classify/': () => suggestion('technical', 'high'),
        'POST /api/tickets/': () => answer,
      });
      const user = userEvent.setup();
      render(<TicketForm classifyDebounceMs={10} />);
      await fillForm(user, 'T', 'D');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'Database unavailable. Please try again in 5 seconds — trying again will not file the ticket twice.',
      );
      answer = json({ detail: 'Internal error.' }, 500);
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Internal error.'));
      answer = json(makeTicket({ id: 8 }), 201, { 'Idempotent-Replayed': 'true' });
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      // A replay is the same success.
      await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Ticket #8 created'));
      expect(new Set(creates().map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(creates()).toHaveLength(3);
    });

    it('makes a new key when the content changes after a failed try', async () => {
      mockHttp({
        'POST /api/tickets/classify/': () => suggestion('technical', 'high'),
        'POST /api/tickets/': () => 'network-error',
      });
      const user = userEvent.setup();
      render(<TicketForm classifyDebounceMs={10} />);
      await fillForm(user, 'Title', 'Body');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await screen.findByRole('alert');
      // Spaces around the text are not content (it is sent trimmed): the same submission.
      await user.type(form().getByLabelText('Title'), '  ');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(creates()).toHaveLength(2));
      expect(keyOf(1)).toBe(keyOf(0));
      await user.type(form().getByLabelText('Title'), 'd');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(creates()).toHaveLength(3));
      expect(keyOf(2)).not.toBe(keyOf(0));
    });

    it('keeps the key in the draft, so a retry after a reload sends it again', async () => {
      mockHttp({
        'POST /api/tickets/classify/': () => suggestion('technical', 'high'),
        'POST /api/tickets/': () => 'network-error',
      });
      const user = userEvent.setup();
      const { unmount } = render(<TicketForm classifyDebounceMs={10} />);
      await fillForm(user, 'Title', 'Body');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await screen.findByRole('alert');
      unmount();
      render(<TicketForm classifyDebounceMs={10} />);
      expect(form().getByLabelText('Title')).toHaveValue('Title');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(creates()).toHaveLength(2));
      expect(keyOf(1)).toBe(keyOf(0));
    });

    it('on 422 (key used with another body) makes a new key and asks to submit again', async () => {
      let answer: MockReply = json({ detail: 'This Idempotency-Key was already used with a different request.' }, 422);
      mockHttp({
        'POST /api/tickets/classify/': () => suggestion('technical', 'high'),
        'POST /api/tickets/': (r) => answer ?? json(makeTicket({ id: 2, ...(r.body as object) }), 201),
      });
      const user = userEvent.setup();
      render(<TicketForm classifyDebounceMs={10} />);
      await fillForm(user, 'Title', 'Body');
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('Please check it and submit again.');
      answer = json(makeTicket({ id: 2 }), 201);
      await user.click(form().getByRole('button', { name: 'Create ticket' }));
      await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Ticket #2 created'));
      expect(keyOf(1)).not.toBe(keyOf(0));
    });

    it('falls back to random hex where crypto.randomUUID is missing (plain http)', async () => {
      const { newIdempotencyKey } = await import('../idempotency');
      const original = crypto.randomUUID;
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      try {
        const a = newIdempotencyKey();
        expect(a).toMatch(/^[0-9a-f]{32}$/);
        expect(newIdempotencyKey()).not.toBe(a);
      } finally {
        Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
      }
      expect(newIdempotencyKey()).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('suggestion confidence', () => {
    it('chooses a sure suggestion and only shows an unsure one, with "Use it"', async () => {
      mockHttp({
        'POST /api/tickets/classify/': () =>
          suggestion('billing', 'high', 'offline', undefined, { category: 0.79, priority: 0.8 }),
      });
      const user = userEvent.setup();
      render(<TicketForm classifyDebounceMs={10} />);
      await user.type(form().getByLabelText('Description'), 'Something about money');
      await screen.findByText('Suggested by offline rules');
      expect(screen.getByText(/Billing \(not sure\) · High/)).toBeInTheDocument();
      const category = form().getByLabelText(/^Category/);
      expect(category).toHaveValue('');
      expect(category).toHaveAccessibleDescription(/Suggested: Billing — not sure/);
      expect(form().getByLabelText(/^Priority/)).toHaveValue('high');

      await user.click(form().getByRole('button', { name: 'Use it: Billing' }));
      expect(category).toHaveValue('billing');
      expect(category).toHaveFocus();
      expect(screen.queryByText(/Suggested: Billing — not sure/)).not.toBeInTheDocument();
      // Chosen by the person now: a later suggestion does not replace it.
      setRoute('POST /api/tickets/classify/', () =>
        suggestion('technical', 'low', 'offline', undefined, { category: 0.95, priority: 0.95 }),
      );
      await user.type(form().getByLabelText('Description'), ' and servers');
      await waitFor(() => expect(form().getByLabelText(/^Priority/)).toHaveValue('low'));
      expect(category).toHaveValue('billing');
    });

    it('takes back an earlier suggestion when the new one is unsure, but never a choice made by hand', async () => {
      mockHttp({
        'POST /api/tickets/classify/': () =>
          suggestion('account', 'critical', 'offline', undefined, { category: 0.9, priority: 0.9 }),
      });
      const user = userEvent.setup();
      render(<TicketForm classifyDebounceMs={10} />);
      await user.selectOptions(form().getByLabelText('Priority'), 'low');
      await user.type(form().getByLabelText('Description'), 'Locked out');
      await waitFor(() => expect(form().getByLabelText(/^Category/)).toHaveValue('account'));
      expect(form().getByLabelText(/^Priority/)).toHaveValue('low');

      setRoute('POST /api/tickets/classify/', () =>
        suggestion('general', 'medium', 'offline', undefined, { category: 0.2, priority: 0.2 }),
      );
      await user.type(form().getByLabelText('Description'), ' maybe');
      await screen.findByText(/Suggested: General — not sure/);
      expect(form().getByLabelText(/^Category/)).toHaveValue('');
      expect(form().getByLabelText(/^Priority/)).toHaveValue('low');
      expect(screen.getByText(/Suggested: Medium — not sure/)).toBeInTheDocument();
    });
  });

  it('checks the description length in code points before sending', async () => {
    mockHttp({ 'POST /api/tickets/classify/': () => suggestion('general', 'low') });
    const user = userEvent.setup();
    render(<TicketForm classifyDebounceMs={10} />);
    await user.type(form().getByLabelText('Title'), 'Long');
    fireEvent.change(form().getByLabelText('Description'), { target: { value: '😀'.repeat(65_537) } });
    await screen.findByText('Suggested by AI');
    expect(document.getElementById('ticket-description-count')).toHaveTextContent('65537/65536');
    await user.click(form().getByRole('button', { name: 'Create ticket' }));
    expect(form().getByLabelText('Description')).toHaveAccessibleDescription(/no more than 65536 characters/);
    expect(creates()).toHaveLength(0);
  });
});
