import type { ReactNode } from 'react';

interface FieldProps {
  /** The id of the control inside, which the label names. */
  id: string;
  label: string;
  /** A note under the control; give the control aria-describedby={`${id}-hint`}. */
  hint?: ReactNode;
  children: ReactNode;
}

/** A labelled form control with an optional note. */
export function Field({ id, label, hint, children }: FieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
