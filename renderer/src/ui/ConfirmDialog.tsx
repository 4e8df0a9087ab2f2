import type { ReactNode } from 'react';
import { FormFooter } from './FormFooter';
import { Modal } from './Modal';
import { useCoreSubmit } from './use-core-submit';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  danger?: boolean;
  /** Runs the action; a throw keeps the dialog open with the core's message. */
  onConfirm: () => Promise<void>;
  /** After the action succeeded. */
  onDone: () => void;
  onCancel: () => void;
}

/**
 * "Are you sure?" for an action that cannot be taken back. Focus starts on Cancel (the first
 * button), so Enter alone never destroys anything.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  danger,
  onConfirm,
  onDone,
  onCancel,
}: ConfirmDialogProps) {
  const { busy, error, submit } = useCoreSubmit(async () => {
    await onConfirm();
    onDone();
  });

  // Once sent, the request finishes whatever the dialog does: it stays until the answer is in.
  const cancel = () => {
    if (!busy) onCancel();
  };

  return (
    <Modal title={title} onEscape={cancel}>
      <form className="form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <p className="confirm-text">{children}</p>
        <FormFooter
          error={error}
          busy={busy}
          onCancel={cancel}
          submitLabel={confirmLabel}
          busyLabel={busyLabel}
          danger={danger}
        />
      </form>
    </Modal>
  );
}
