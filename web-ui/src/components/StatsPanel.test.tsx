import { screen, waitFor, within } from '@testing-library/react';
import { renderWithClient as render } from '../test/render';
import { queryKeys } from '../queries';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import StatsPanel from './StatsPanel';
import { json, mockHttp, requestsTo } from '../test/mockHttp';
import { makeStats } from '../test/fixtures';

describe('StatsPanel', () => {
  it('renders the numbers and labelled bars', async () => {
    mockHttp({ 'GET /api/tickets/stats/': () => json(makeStats()) });
    render(<StatsPanel />);

    expect(await screen.findByRole('definition', { name: 'Total tickets' })).toHaveTextContent('124');
    expect(screen.getByRole('definition', { name: 'Open' })).toHaveTextContent('67');
    expect(screen.getByRole('definition', { name: 'Avg per day' })).toHaveTextContent('8.3');

    const priority = screen.getByRole('list', { name: 'By priority' });
    const priorityBars = within(priority).getAllByRole('listitem');
    expect(priorityBars.map((li) => li.getAttribute('aria-label'))).toEqual([
      'Low: 30 (24%)',
      'Medium: 52 (42%)',
      'High: 31 (25%)',
      'Critical: 11 (9%)',
    ]);
    const category = screen.getByRole('list', { name: 'By category' });
    expect(within(category).getByRole('listitem', { name: /Technical: 55/ })).toBeInTheDocument();
    expect(within(category).getAllByRole('listitem')).toHaveLength(4);
  });

  it('refetches when its query is invalidated', async () => {
    let total = 5;
    mockHttp({
      'GET /api/tickets/stats/': () => json(makeStats({ total_tickets: total, open_tickets: total - 1 })),
    });
    const { client } = render(<StatsPanel />);
    expect(await screen.findByRole('definition', { name: 'Total tickets' })).toHaveTextContent('5');

    total = 6;
    await client.invalidateQueries({ queryKey: queryKeys.stats });
    await waitFor(() =>
      expect(screen.getByRole('definition', { name: 'Total tickets' })).toHaveTextContent('6'),
    );
    expect(screen.getByRole('definition', { name: 'Open' })).toHaveTextContent('5');
    expect(requestsTo('GET', '/api/tickets/stats/')).toHaveLength(2);
  });

  it('handles zero tickets without dividing by zero', async () => {
    mockHttp({
      'GET /api/tickets/stats/': () =>
        json(
          makeStats({
            total_tickets: 0,
            open_tickets: 0,
            avg_tickets_per_day: 0,
            priority_breakdown: { low: 0, medium: 0, high: 0, critical: 0 },
            category_breakdown: { billing: 0, technical: 0, account: 0, general: 0 },
          }),
        ),
    });
    render(<StatsPanel />);
    expect(await screen.findByRole('listitem', { name: 'Low: 0 (0%)' })).toBeInTheDocument();
    expect(screen.getByRole('definition', { name: 'Avg per day' })).toHaveTextContent('0.0');
  });

  it('draws the bars with SVG attributes, not inline styles (CSP: no style attributes)', async () => {
    mockHttp({ 'GET /api/tickets/stats/': () => json(makeStats()) });
    const { container } = render(<StatsPanel />);
    await screen.findByRole('definition', { name: 'Total tickets' });
    const rects = container.querySelectorAll('rect.bar-fill');
    expect(rects.length).toBe(8);
    // Medium is the largest priority: it fills the track.
    expect(container.querySelector('rect.bar-medium')).toHaveAttribute('width', '100');
    expect(container.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('shows an error with a retry button', async () => {
    let fail = true;
    mockHttp({
      'GET /api/tickets/stats/': () =>
        fail ? json({ detail: 'Database unavailable.' }, 503) : json(makeStats()),
    });
    render(<StatsPanel />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Database unavailable.');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('definition', { name: 'Total tickets' })).toHaveTextContent('124');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
