import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react';

export type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  hint?: string;
  error?: string | undefined;
};

/**
 * An input with its label, an optional hint and its error, all tied to it for screen readers; with
 * `aria-describedby`, also a description shown elsewhere (one that several fields share).
 */
export function Field({ label, hint, error, id, 'aria-describedby': describedBy, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={inputId}>
        {label}
      </label>
      {hint && (
        <span className="field__hint" id={hintId}>
          {hint}
        </span>
      )}
      <input
        {...input}
        id={inputId}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, describedBy, errorId].filter(Boolean).join(' ') || undefined}
      />
      {error && (
        <span className="field__error" id={errorId}>
          {error}
        </span>
      )}
    </div>
  );
}

export type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> & {
  label: string;
  onChange: (value: string) => void;
  /** The options (and optgroups). */
  children: ReactNode;
};

/** A menu with its label: what a field is for a choice among a few. */
export function SelectField({ label, id, onChange, children, ...select }: SelectFieldProps) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className="field">
      <label className="field__label" htmlFor={selectId}>
        {label}
      </label>
      <select {...select} id={selectId} className="input" onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}
