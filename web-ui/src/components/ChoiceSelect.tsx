import type { Ref, SelectHTMLAttributes } from 'react';

/** Native <select> attributes passed straight through (id, name, required, disabled, aria-*, …). */
type PassThrough = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'defaultValue' | 'onChange' | 'children'>;

interface BaseProps<T extends string> extends PassThrough {
  /** The values to offer, in display order. */
  choices: readonly T[];
  /** Display text for each value. */
  labels: Record<T, string>;
  ref?: Ref<HTMLSelectElement>;
}

// T is inferred from `choices` alone (hence NoInfer below), so a `T | ''` handler doesn't widen it.

/** With `emptyLabel`, a leading `value=""` option is rendered and `''` is a possible value. */
interface WithEmpty<T extends string> extends BaseProps<T> {
  emptyLabel: string;
  value: NoInfer<T> | '';
  onChange: (value: NoInfer<T> | '') => void;
}

interface WithoutEmpty<T extends string> extends BaseProps<T> {
  emptyLabel?: undefined;
  value: NoInfer<T>;
  onChange: (value: NoInfer<T>) => void;
}

export type ChoiceSelectProps<T extends string> = WithEmpty<T> | WithoutEmpty<T>;

/** A <select> over a fixed list of choices, optionally led by an empty option. */
export default function ChoiceSelect<T extends string>(props: ChoiceSelectProps<T>) {
  const { choices, labels, emptyLabel, value, onChange, ...rest } = props;
  const emit = onChange as (value: T | '') => void;
  return (
    <select {...rest} value={value} onChange={(e) => emit(e.target.value as T | '')}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {labels[choice]}
        </option>
      ))}
    </select>
  );
}
