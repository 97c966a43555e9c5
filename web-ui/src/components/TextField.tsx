import type { InputHTMLAttributes, Ref } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  id: string;
  label: string;
  /** Messages shown under the field and tied to it with aria-describedby. */
  errors?: string[];
  /** Help text shown under the label. */
  hint?: string;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled <input> with its hint and errors wired for assistive technology. */
export default function TextField({ id, label, errors, hint, type = 'text', ...rest }: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = errors?.length ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId!} className="hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        type={type}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
      {errorId && (
        <p id={errorId} className="field-error">
          {errors!.join(' ')}
        </p>
      )}
    </div>
  );
}
