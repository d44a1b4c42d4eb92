import { AlertDialog } from 'radix-ui';
import { useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { describeError } from '../api/problem';

/*
 * The few building blocks every page uses, so labels, errors, focus and states look and behave the
 * same everywhere. Native elements where the platform's own is accessible (buttons, inputs,
 * selects); Radix where it is not (dialogs).
 */

/** The page's heading; it takes focus when the page changes so screen readers announce it. */
export function PageTitle({ children, title }: { readonly children: ReactNode; readonly title?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const text = title ?? (typeof children === 'string' ? children : undefined);
  useEffect(() => {
    if (text !== undefined) document.title = `${text} · Timeslot`;
    ref.current?.focus({ preventScroll: true });
  }, [text]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { readonly variant?: 'primary' | 'secondary' | 'danger' | 'link'; readonly busy?: boolean };

export function Button({ variant = 'primary', busy = false, className, disabled, children, type = 'button', ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} className={`button button-${variant}${className === undefined ? '' : ` ${className}`}`} disabled={disabled === true || busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

interface FieldProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
}

export function TextField({ label, error, hint, id, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const inputId = id ?? generated;
  const described = [hint === undefined ? undefined : `${inputId}-hint`, error === undefined ? undefined : `${inputId}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {hint === undefined ? null : (
        <p className="hint" id={`${inputId}-hint`}>
          {hint}
        </p>
      )}
      <input {...input} id={inputId} aria-invalid={error === undefined ? undefined : true} aria-describedby={described === '' ? undefined : described} />
      {error === undefined ? null : (
        <p className="field-error" id={`${inputId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField({ label, error, hint, id, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const generated = useId();
  const selectId = id ?? generated;
  const described = [hint === undefined ? undefined : `${selectId}-hint`, error === undefined ? undefined : `${selectId}-error`].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      {hint === undefined ? null : (
        <p className="hint" id={`${selectId}-hint`}>
          {hint}
        </p>
      )}
      <select {...select} id={selectId} aria-invalid={error === undefined ? undefined : true} aria-describedby={described === '' ? undefined : described}>
        {children}
      </select>
      {error === undefined ? null : (
        <p className="field-error" id={`${selectId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** An error a person should read now (announced by screen readers). */
export function ErrorMessage({ error, children }: { readonly error?: unknown; readonly children?: ReactNode }) {
  if (error === undefined || error === null) return children === undefined ? null : <div className="alert alert-error" role="alert">{children}</div>;
  return (
    <div className="alert alert-error" role="alert">
      {describeError(error)}
      {children}
    </div>
  );
}

/** A query that failed, with a way to ask again. */
export function QueryError({ error, retry }: { readonly error: unknown; readonly retry: () => unknown }) {
  return (
    <ErrorMessage error={error}>
      {' '}
      <Button variant="link" onClick={() => void retry()}>
        Try again
      </Button>
    </ErrorMessage>
  );
}

export function Notice({ children, tone = 'info' }: { readonly children: ReactNode; readonly tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`alert alert-${tone}`} role="status">
      {children}
    </div>
  );
}

/** A loading state, announced politely; shown only after a short delay so fast answers do not flash. */
export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setVisible(true), 150);
    return () => clearTimeout(timer);
  }, []);
  return (
    <p className="loading" role="status" aria-live="polite">
      {visible ? label : null}
    </p>
  );
}

export function Empty({ children }: { readonly children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

interface ConfirmProps {
  /** The button that opens the dialog. */
  readonly trigger: ReactNode;
  readonly title: string;
  readonly description: ReactNode;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly children?: ReactNode;
  readonly danger?: boolean;
}

/** A confirmation before a change that cannot be undone (cancel a booking, rotate a feed URL). */
export function ConfirmDialog({ trigger, title, description, confirmLabel, onConfirm, children, danger = true }: ConfirmProps) {
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog-title">{title}</AlertDialog.Title>
          <AlertDialog.Description className="dialog-description">{description}</AlertDialog.Description>
          {children}
          <div className="dialog-actions">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary">Keep it</Button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <Button variant={danger ? 'danger' : 'primary'} onClick={onConfirm}>
                {confirmLabel}
              </Button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
