import { type ReactNode, useEffect, useRef, useState } from 'react';

// A modal dialog for one action: its content, a confirm button that runs the action (disabled
// while it runs) and Cancel. Escape cancels (the native <dialog> does it). Errors from the host
// stay in the dialog, next to what the person chose.

export function ActionDialog({
  title,
  confirmLabel,
  danger,
  canConfirm = true,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  canConfirm?: boolean;
  /** Resolves when done; a rejection is shown in the dialog. */
  onConfirm(): Promise<void>;
  onClose(): void;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="action-dialog" aria-label={title} onClose={onClose}>
      <h3>{title}</h3>
      {children}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" className="control" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={danger ? 'control danger' : 'control primary'}
          disabled={busy || !canConfirm}
          onClick={() => void confirm()}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
