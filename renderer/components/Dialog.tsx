/** Modal dialog: focus moves in and is trapped, Escape closes, focus returns on close. */
import { type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { Icon } from './Icon.js';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: ReactNode;
  description?: ReactNode;
  onClose(): void;
  children?: ReactNode;
  footer?: ReactNode;
  testId?: string;
  size?: 'sm' | 'md' | 'lg';
  /** element focused when the dialog opens (default: first field, else first button) */
  initialFocus?: RefObject<HTMLElement | null>;
  /** 'alertdialog' for confirmations */
  role?: 'dialog' | 'alertdialog';
  /** disallow closing by Escape/backdrop (e.g. while work is in flight) */
  locked?: boolean;
}

export function Dialog({
  title,
  description,
  onClose,
  children,
  footer,
  testId,
  size = 'md',
  initialFocus,
  role = 'dialog',
  locked = false,
}: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const lockedRef = useRef(locked);
  lockedRef.current = locked;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const el = ref.current;
    if (el) {
      const target =
        initialFocus?.current ??
        el.querySelector<HTMLElement>('[data-autofocus]') ??
        el.querySelector<HTMLElement>('.dialog-body input, .dialog-body select, .dialog-body textarea') ??
        el.querySelector<HTMLElement>('.dialog-footer button:not([disabled])') ??
        el.querySelector<HTMLElement>(FOCUSABLE);
      (target ?? el).focus();
    }
    return () => {
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  function onKeyDown(e: React.KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (!lockedRef.current) closeRef.current();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((n) => !n.hasAttribute('disabled'));
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget && !lockedRef.current) closeRef.current();
      }}
    >
      <div
        ref={ref}
        className={`dialog dialog-${size}`}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn btn-icon btn-ghost" aria-label="Close" onClick={() => !locked && onClose()} disabled={locked}>
            <Icon name="close" />
          </button>
        </header>
        {description && (
          <p id={descId} className="dialog-description">
            {description}
          </p>
        )}
        {children !== undefined && <div className="dialog-body">{children}</div>}
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </div>,
    document.body,
  );
}

export interface FormFooterProps {
  /** id of the <form> the primary button submits */
  form: string;
  label: ReactNode;
  /** shown on the primary button while busy */
  busyLabel: string;
  busy?: boolean;
  disabled?: boolean;
  onCancel(): void;
  testId?: string;
  /** before the buttons (a note, a problem) */
  children?: ReactNode;
}

/** Cancel + the submit button of a form dialog. */
export function FormFooter({ form, label, busyLabel, busy, disabled, onCancel, testId, children }: FormFooterProps) {
  return (
    <>
      {children}
      <button type="button" className="btn" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="submit" form={form} className="btn btn-primary" disabled={busy || disabled} data-testid={testId}>
        {busy ? busyLabel : label}
      </button>
    </>
  );
}

export interface ConfirmDialogProps {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}

export function ConfirmDialog({ title, message, confirmLabel, danger, busy, error, onConfirm, onCancel, testId }: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={title}
      role="alertdialog"
      size="sm"
      onClose={onCancel}
      testId={testId}
      initialFocus={cancelRef}
      locked={busy}
      footer={
        <>
          <button ref={cancelRef} type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            onClick={onConfirm}
            disabled={busy}
            data-testid={testId ? `${testId}-confirm` : undefined}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <div className="confirm-message">{message}</div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
