/**
 * Rename and delete for one named item (a dataset, a model): the two dialogs, the row buttons and
 * the row keys of a list table. The feature wrappers (DatasetActions, ModelActions) supply the
 * words and the store calls.
 */
import { type FormEvent, type KeyboardEvent, type MouseEvent, type ReactNode, useId, useState } from 'react';
import { errorMessage } from '../api/errors.js';
import { ConfirmDialog, Dialog } from './Dialog.js';
import { Icon } from './Icon.js';
import { toast } from './toasts.js';

export function RenameItemDialog({
  title,
  name: current,
  formId: fixedFormId,
  onRename,
  onClose,
}: {
  title: string;
  /** the name now */
  name: string;
  /** the form's DOM id; a generated one when left out */
  formId?: string;
  onRename(name: string): Promise<unknown>;
  onClose(): void;
}) {
  const [name, setName] = useState(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const generatedFormId = useId();
  const formId = fixedFormId ?? generatedFormId;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('A name cannot be empty.');
      return;
    }
    if (trimmed === current) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onRename(trimmed);
      toast.success(`Renamed to “${trimmed}”.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={title}
      size="sm"
      onClose={onClose}
      locked={busy}
      testId="rename-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="btn btn-primary" disabled={busy} data-testid="rename-submit">
            {busy ? 'Renaming…' : 'Rename'}
          </button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId} className="field-label">
            Name
          </label>
          <input
            id={inputId}
            className="input"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            onFocus={(e) => e.currentTarget.select()}
            data-testid="rename-input"
            aria-invalid={error ? true : undefined}
          />
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}

export function DeleteItemDialog({
  title,
  confirmLabel,
  name,
  message,
  onDelete,
  onClose,
  onDeleted,
}: {
  title: string;
  confirmLabel: string;
  /** the item's name, for the toast */
  name: string;
  message: ReactNode;
  onDelete(): Promise<unknown>;
  onClose(): void;
  onDeleted?(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title={title}
      testId="delete-dialog"
      danger
      busy={busy}
      error={error}
      confirmLabel={confirmLabel}
      message={message}
      onCancel={onClose}
      onConfirm={async () => {
        setBusy(true);
        setError(null);
        try {
          await onDelete();
          toast.success(`Deleted “${name}”.`);
          onDeleted?.();
          onClose();
        } catch (err) {
          setError(errorMessage(err));
          setBusy(false);
        }
      }}
    />
  );
}

/** The pencil and trash buttons at the end of a list row; test ids `${testIdPrefix}-rename-${id}` and `…-delete-…`. */
export function RowActionButtons({
  name,
  id,
  testIdPrefix,
  small,
  onRename,
  onDelete,
}: {
  name: string;
  id: number;
  testIdPrefix: string;
  small?: boolean;
  onRename(): void;
  onDelete(): void;
}) {
  const base = small ? 'btn btn-sm btn-icon btn-ghost' : 'btn btn-icon btn-ghost';
  return (
    <td className="cell-actions">
      <button type="button" className={base} aria-label={`Rename ${name}`} title="Rename (F2)" onClick={onRename} data-testid={`${testIdPrefix}-rename-${id}`}>
        <Icon name="pencil" />
      </button>
      <button type="button" className={`${base} btn-danger-ghost`} aria-label={`Delete ${name}`} title="Delete (Del)" onClick={onDelete} data-testid={`${testIdPrefix}-delete-${id}`}>
        <Icon name="trash" />
      </button>
    </td>
  );
}

/**
 * Which row is being renamed or deleted, and the keys of a focused row: Enter opens it, F2
 * renames, Delete deletes, the arrows move to the row above or below. `rowProps(item)` makes a
 * row focusable, gives it those keys and opens the item on a click outside its links and buttons.
 */
export function useRowActions<T>(open: (item: T) => void) {
  const [renaming, setRenaming] = useState<T | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, item: T) {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter') open(item);
    else if (e.key === 'F2') {
      e.preventDefault();
      setRenaming(item);
    } else if (e.key === 'Delete') {
      e.preventDefault();
      setDeleting(item);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const sib = (e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling) as HTMLElement | null;
      sib?.focus();
    }
  }

  function rowProps(item: T) {
    return {
      tabIndex: 0,
      onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => onRowKey(e, item),
      onClick: (e: MouseEvent<HTMLTableRowElement>) => {
        if ((e.target as HTMLElement).closest('a,button')) return;
        open(item);
      },
    };
  }

  return { renaming, setRenaming, deleting, setDeleting, onRowKey, rowProps };
}
