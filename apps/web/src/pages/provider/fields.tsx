import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

/* Form fields the shared ui.tsx does not have, shaped like its TextField (label, hint, error). */

interface FieldProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint === undefined ? undefined : `${id}-hint`, error === undefined ? undefined : `${id}-error`].filter(Boolean).join(' ');
  return ids === '' ? undefined : ids;
}

export function TextAreaField({ label, error, hint, id, ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint === undefined ? null : (
        <p className="hint" id={`${fieldId}-hint`}>
          {hint}
        </p>
      )}
      <textarea rows={4} {...textarea} id={fieldId} aria-invalid={error === undefined ? undefined : true} aria-describedby={describedBy(fieldId, hint, error)} />
      {error === undefined ? null : (
        <p className="field-error" id={`${fieldId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its label beside it and an explanation under it. */
export function CheckboxField({ label, error, hint, id, ...input }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const generated = useId();
  const fieldId = id ?? generated;
  return (
    <div className="field provider-checkbox">
      <div>
        <input {...input} type="checkbox" id={fieldId} aria-invalid={error === undefined ? undefined : true} aria-describedby={describedBy(fieldId, hint, error)} />{' '}
        <label htmlFor={fieldId}>{label}</label>
      </div>
      {hint === undefined ? null : (
        <p className="hint" id={`${fieldId}-hint`}>
          {hint}
        </p>
      )}
      {error === undefined ? null : (
        <p className="field-error" id={`${fieldId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
