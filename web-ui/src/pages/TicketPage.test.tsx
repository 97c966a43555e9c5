import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import TicketPage from './TicketPage';
import { renderWithClient as render } from '../test/render';
import { deferred, json, mockHttp, requestsTo, setRoute, type MockReply } from '../test/mockHttp';
import { actors, changed, created, makeTicket } from '../test/fixtures';
import { fakeTicket } from '../test/fakeTicket';
import { queryKeys } from '../queries';

const editForm = () => within(screen.getByRole('form', { name: 'Edit ticket' }));
const timeline = () => screen.getByRole('list', { name: 'History, oldest first' });
const entries = () => within(timeline()).getAllByRole('listitem').filter((li) => li.parentElement === timeline());
/** The title field, once the ticket is loaded. */
const titleField = async () =>
  within(await screen.findByRole('form', { name: 'Edit ticket' })).getByLabelText('Title') as HTMLInputElement;
const patches = (id: number) => requestsTo('PATCH', `/api/tickets/${id}/`);

function setup(overrides: Parameters<typeof makeTicket>[0] = {}, options?: { historyPageSize?: number }) {
  const fake = fakeTicket(
    makeTicket({
      id: 7,
      title: 'Printer on fire',
      description: 'Smoke everywhere.',
      category: 'technical',
      priority: 'medium',
      status: 'open',
      ...overrides,
    }),
    options,
  );
  mockHttp(fake.routes);
  const user = userEvent.setup();
  const result = render(<TicketPage id={7} />);
  return { fake, user, ...result };
}

describe('TicketPage', () => {
  it('shows the ticket in an editable form and its history as a timeline', async () => {
    const fake = fakeTicket(makeTicket({ id: 7, title: 'Printer on fire', status: 'resolved' }));
    const long = `${'word '.repeat(40)}END`;
    fake.events = [
      created(1, actors.public, '2026-11-29T10:00:00Z'),
      changed(2, 'status', 'open', 'in_progress', actors.zapier, '2026-11-29T10:01:00Z'),
      changed(3, 'status', 'in_progress', 'resolved', actors.ann, '2026-11-29T10:02:00Z'),
      changed(3, 'priority', 'medium', 'critical', actors.ann, '2026-11-29T10:02:00Z'),
      changed(3, 'description', 'Short.', long, actors.ann, '2026-11-29T10:02:00Z'),
    ];
    mockHttp(fake.routes);
    render(<TicketPage id={7} />);

    expect(await screen.findByRole('heading', { level: 2, name: '#7 Printer on fire' })).toBeInTheDocument();
    expect(editForm().getByLabelText('Title')).toHaveValue('Printer on fire');
    expect(editForm().getByLabelText('Status')).toHaveValue('resolved');
    expect(editForm().getByLabelText('Category')).toHaveValue('technical');

    await waitFor(() => expect(entries()).toHaveLength(3));
    const [first, second, third] = entries();
    expect(first).toHaveTextContent(/^Public submission created the ticket · /);
    expect(second).toHaveTextContent(/^API token zapier changed/);
    expect(second).toHaveTextContent(/Status\s*from Open → to In progress/);
    // One PATCH of three fields is one entry with three changes, labelled.
    expect(within(third).getAllByRole('listitem')).toHaveLength(3);
    expect(third).toHaveTextContent(/^Ann Agent changed/);
    expect(third).toHaveTextContent(/Priority\s*from Medium → to Critical/);
    // When: relative, and the exact time on hover.
    const time = third.querySelector('time')!;
    expect(time).toHaveAttribute('dateTime', '2026-11-29T10:02:00Z');
    expect(time.getAttribute('title')).toMatch(/2026/);
    // Long texts are shortened, with a way to see them whole.
    expect(third).not.toHaveTextContent('END');
    await userEvent.click(within(third).getByRole('button', { name: 'Show all' }));
    expect(third).toHaveTextContent('END');
    expect(within(third).getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
  });

  it('names no one for a ticket made before history was kept', async () => {
    const fake = fakeTicket(makeTicket({ id: 7, title: 'Printer on fire', status: 'in_progress' }));
    fake.events = [
      created(1, actors.unrecorded, '2025-01-10T10:00:00Z'),
      changed(2, 'status', 'open', 'in_progress', actors.ann, '2026-11-29T10:01:00Z'),
    ];
    mockHttp(fake.routes);
    render(<TicketPage id={7} />);
    await waitFor(() => expect(entries()).toHaveLength(2));
    expect(entries()[0]).toHaveTextContent(/^Someone \(before history was kept\) created the ticket · /);
  });

  it('pages through a long history with "Load more history"', async () => {
    const { fake, user } = setup({}, { historyPageSize: 2 });
    fake.change({ status: 'in_progress' });
    fake.change({ priority: 'high' });
    await waitFor(() => expect(entries()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Load more history' }));
    await waitFor(() => expect(entries()).toHaveLength(3));
    expect(entries()[2]).toHaveTextContent(/Bob Agent changed.*Priority\s*from Medium → to High/);
    expect(screen.queryByRole('button', { name: 'Load more history' })).not.toBeInTheDocument();
  });

  it('saves only the changed fields with If-Match, then uses the new ETag and shows the change in the history', async () => {
    const { fake, user } = setup();
    const title = await titleField();
    await waitFor(() => expect(entries()).toHaveLength(1));
    await user.clear(title);
    await user.type(title, 'Printer on fire, floor 2');
    await user.selectOptions(editForm().getByLabelText('Priority'), 'critical');
    expect(screen.getByText('Unsaved: Title and Priority')).toBeInTheDocument();
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(editForm().getByRole('status')).toHaveTextContent('Changes saved.'));
    expect(patches(7)[0].body).toEqual({ title: 'Printer on fire, floor 2', priority: 'critical' });
    expect(patches(7)[0].headers['if-match']).toBe('"1"');
    expect(screen.getByRole('heading', { level: 2, name: '#7 Printer on fire, floor 2' })).toBeInTheDocument();
    await waitFor(() => expect(entries()).toHaveLength(2));
    expect(entries()[1]).toHaveTextContent(/Ann Agent changed/);
    expect(entries()[1]).toHaveTextContent(/Title\s*from Printer on fire → to Printer on fire, floor 2/);

    // The next save goes with the ETag of the PATCH answer.
    await user.selectOptions(editForm().getByLabelText('Status'), 'resolved');
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(patches(7)).toHaveLength(2));
    expect(patches(7)[1].headers['if-match']).toBe('"2"');
    expect(patches(7)[1].body).toEqual({ status: 'resolved' });
    expect(fake.version).toBe(3);
  });

  it('checks the fields as the create form does, and shows the server field errors inline', async () => {
    const { user } = setup();
    const title = await titleField();
    fireEvent.change(title, { target: { value: '😀'.repeat(201) } });
    expect(document.getElementById('edit-title-count')).toHaveTextContent('201/200');
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    expect(title).toHaveAccessibleDescription(/no more than 200 characters/);
    expect(title).toHaveFocus();
    expect(patches(7)).toHaveLength(0);

    // 200 emoji are fine; the server's 400 goes next to its field.
    fireEvent.change(title, { target: { value: '😀'.repeat(200) } });
    setRoute('PATCH /api/tickets/7/', () => json({ title: ['This title is not allowed.'] }, 400));
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(title).toHaveAccessibleDescription(/This title is not allowed\./));
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveValue('😀'.repeat(200));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    fireEvent.change(editForm().getByLabelText('Description'), { target: { value: '   ' } });
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    expect(editForm().getByLabelText('Description')).toHaveAccessibleDescription('Please describe the problem.');
  });

  it('keeps the edit when the save cannot reach the server', async () => {
    const { user } = setup();
    const title = await titleField();
    await user.type(title, '!');
    setRoute('PATCH /api/tickets/7/', () => 'network-error');
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Not saved: Can't reach the server. Nothing was saved — please try again. Your changes are kept.",
    );
    expect(title).toHaveValue('Printer on fire!');
  });

  it('on 412 shows who changed what, keeps the edit, and applies it on top with the new ETag', async () => {
    const { fake, user, client } = setup();
    const title = await titleField();
    await user.clear(title);
    await user.type(title, 'Printer on fire (mine)');
    await user.selectOptions(editForm().getByLabelText('Priority'), 'high');

    // Meanwhile Bob resolves it and makes it critical.
    fake.change({ status: 'resolved', priority: 'critical' }, actors.bob);
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));

    const heading = await screen.findByRole('heading', { name: 'Not saved: someone else changed this ticket' });
    await waitFor(() => expect(heading).toHaveFocus());
    const panel = heading.closest('section')!;
    const since = within(panel).getByRole('list', { name: 'Changes since you opened the ticket' });
    expect(since).toHaveTextContent(/^Bob Agent changed/);
    expect(since).toHaveTextContent(/Status\s*from Open → to Resolved/);
    expect(since).toHaveTextContent(/Priority\s*from Medium → to Critical/);
    expect(panel).toHaveTextContent('Your changes (Title and Priority) are kept in the form.');
    expect(panel).toHaveTextContent('You both changed Priority: applying yours replaces theirs.');
    // What the agent typed is still there; what only Bob changed shows its current value.
    expect(title).toHaveValue('Printer on fire (mine)');
    expect(editForm().getByLabelText('Priority')).toHaveValue('high');
    expect(editForm().getByLabelText('Priority')).toHaveAccessibleDescription(/Changed meanwhile to Critical/);
    expect(editForm().getByLabelText('Status')).toHaveValue('resolved');
    expect(editForm().getByLabelText('Status')).toHaveAccessibleDescription(/it was Open/);
    // The list caches got the current copy too.
    expect(client.getQueryData(queryKeys.ticket(7))).toEqual({ ticket: fake.ticket, etag: '"2"' });

    await user.click(editForm().getByRole('button', { name: 'Apply my changes on top' }));
    await waitFor(() => expect(editForm().getByRole('status')).toHaveTextContent('Your changes were applied on top.'));
    expect(patches(7)).toHaveLength(2);
    expect(patches(7)[1].headers['if-match']).toBe('"2"');
    expect(patches(7)[1].body).toEqual({ title: 'Printer on fire (mine)', priority: 'high' });
    expect(fake.ticket).toMatchObject({ title: 'Printer on fire (mine)', priority: 'high', status: 'resolved' });
    expect(screen.queryByRole('heading', { name: /someone else changed/ })).not.toBeInTheDocument();
    // The history shows both.
    await waitFor(() => expect(entries()).toHaveLength(3));
    expect(entries()[1]).toHaveTextContent(/^Bob Agent changed/);
    expect(entries()[2]).toHaveTextContent(/^Ann Agent changed/);
    expect(entries()[2]).toHaveTextContent(/Priority\s*from Critical → to High/);
  });

  it('on 412 can discard the edit for the current version', async () => {
    const { fake, user } = setup();
    const title = await titleField();
    await user.type(title, ' again');
    fake.change({ title: 'Printer fixed' }, actors.zapier);
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    const heading = await screen.findByRole('heading', { name: 'Not saved: someone else changed this ticket' });
    expect(heading.closest('section')).toHaveTextContent(/API token zapier changed/);
    expect(title).toHaveAccessibleDescription(/Changed meanwhile to “Printer fixed”/);
    await user.click(editForm().getByRole('button', { name: 'Discard my changes' }));
    expect(title).toHaveValue('Printer fixed');
    expect(editForm().getByRole('button', { name: 'Save changes' })).toBeInTheDocument();
    expect(patches(7)).toHaveLength(1);
  });

  it('says what differs when the ETag names no version to read the history from', async () => {
    const fake = fakeTicket(makeTicket({ id: 7, title: 'Printer on fire', status: 'open' }));
    mockHttp({
      ...fake.routes,
      'GET /api/tickets/7/': () => json(fake.ticket, 200, { ETag: `"opaque-${fake.version}"` }),
      'PATCH /api/tickets/7/': () =>
        json({ detail: 'The ticket was changed by someone else since you read it.' }, 412),
    });
    const user = userEvent.setup();
    render(<TicketPage id={7} />);
    await user.type(await titleField(), '!');
    fake.change({ status: 'closed' });
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    const heading = await screen.findByRole('heading', { name: 'Not saved: someone else changed this ticket' });
    expect(heading.closest('section')).toHaveTextContent(/What is different now.*Status\s*from Open → to Closed/);
    // No version to compare with: the history was not walked for "since" (only the timeline refetched).
    expect(requestsTo('GET', '/api/tickets/7/history/').filter((r) => r.params.limit)).toHaveLength(0);
  });

  it('keeps what is typed while a save is on its way', async () => {
    const { fake, user } = setup();
    const reply = deferred<MockReply>();
    const title = await titleField();
    await user.selectOptions(editForm().getByLabelText('Status'), 'in_progress');
    setRoute('PATCH /api/tickets/7/', () => reply.promise);
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    await user.type(title, ' (still typing)');
    fake.change({ status: 'in_progress' }, actors.ann);
    reply.resolve(json(fake.ticket, 200, { ETag: fake.etag() }));
    await waitFor(() => expect(editForm().getByRole('status')).toHaveTextContent('Changes saved.'));
    expect(title).toHaveValue('Printer on fire (still typing)');
    expect(editForm().getByLabelText('Status')).toHaveValue('in_progress');
    expect(screen.getByText('Unsaved: Title')).toBeInTheDocument();
  });

  it('keeps an unsaved edit across a reload, and saves it against the version it was based on', async () => {
    const { fake, user, unmount } = setup();
    const title = await titleField();
    await user.type(title, ' (draft)');
    unmount();
    fake.change({ category: 'billing' });

    render(<TicketPage id={7} />);
    expect(await titleField()).toHaveValue('Printer on fire (draft)');
    await user.click(editForm().getByRole('button', { name: 'Save changes' }));
    // Based on version 1: the server has 2, so the agent sees the change first.
    expect(await screen.findByRole('heading', { name: 'Not saved: someone else changed this ticket' })).toBeInTheDocument();
    expect(patches(7)[0].headers['if-match']).toBe('"1"');
    expect(editForm().getByLabelText('Category')).toHaveValue('billing');
  });

  it('follows a newer server copy while nothing is being edited', async () => {
    const { fake, client } = setup();
    await titleField();
    fake.change({ title: 'Renamed elsewhere' });
    await client.invalidateQueries({ queryKey: queryKeys.ticket(7) });
    await waitFor(() => expect(editForm().getByLabelText('Title')).toHaveValue('Renamed elsewhere'));
  });

  it('says so when there is no such ticket', async () => {
    mockHttp({ 'GET /api/tickets/99/': () => json({ detail: 'Not found.' }, 404) });
    render(<TicketPage id={99} />);
    expect(await screen.findByRole('heading', { name: 'Ticket not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the tickets' })).toHaveAttribute('href', '/');
  });
});
