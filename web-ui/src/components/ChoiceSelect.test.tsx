import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import ChoiceSelect from './ChoiceSelect';

const COLOURS = ['red', 'green'] as const;
const COLOUR_LABELS = { red: 'Red', green: 'Green' };

describe('ChoiceSelect', () => {
  it('renders the choices with their labels, led by the empty option', async () => {
    const onChange = vi.fn();
    render(
      <>
        <label htmlFor="colour">Colour</label>
        <ChoiceSelect
          id="colour"
          choices={COLOURS}
          labels={COLOUR_LABELS}
          emptyLabel="Any"
          value=""
          aria-describedby="hint"
          onChange={onChange}
        />
      </>,
    );
    const select = screen.getByRole('combobox', { name: 'Colour' });
    expect(select).toHaveAttribute('aria-describedby', 'hint');
    const options = within(select).getAllByRole('option');
    expect(options.map((o) => [o.getAttribute('value'), o.textContent])).toEqual([
      ['', 'Any'],
      ['red', 'Red'],
      ['green', 'Green'],
    ]);
    await userEvent.selectOptions(select, 'green');
    expect(onChange).toHaveBeenCalledWith('green');
  });

  it('has no empty option without emptyLabel and passes disabled through', () => {
    render(
      <ChoiceSelect aria-label="Colour" choices={COLOURS} labels={COLOUR_LABELS} value="red" disabled onChange={() => {}} />,
    );
    const select = screen.getByRole('combobox', { name: 'Colour' });
    expect(select).toBeDisabled();
    expect(select).toHaveValue('red');
    expect(within(select).getAllByRole('option')).toHaveLength(2);
  });
});
