import { useId, useState } from 'react';
import { Field } from './Field';
import { FormFooter } from './FormFooter';
import { Modal } from './Modal';
import { useCoreSubmit } from './use-core-submit';

interface SecretEntryDialogProps {
  title: string;
  lead: string;
  fieldLabel: string;
  submitLabel: string;
  busyLabel: string;
  /** Hands the secret to the core; a throw keeps the dialog open with the core's message. */
  onSubmit: (secret: string) => Promise<void>;
  /** After the core accepted it. */
  onDone: () => void;
  onCancel: () => void;
}

/**
 * One pasted secret (a token value to import, a new credential), checked by the core. The secret
 * lives in this dialog's state only: cleared on success and on cancel, and with the dialog when
 * it goes. A refusal keeps it, so the user can correct it.
 */
export function SecretEntryDialog({
  title,
  lead,
  fieldLabel,
  submitLabel,
  busyLabel,
  onSubmit,
  onDone,
  onCancel,
}: SecretEntryDialogProps) {
  const [secret, setSecret] = useState('');
  const id = useId();
  const { busy, error, submit } = useCoreSubmit(async () => {
    await onSubmit(secret);
    setSecret('');
    onDone();
  });

  function cancel() {
    if (busy) return;
    setSecret('');
    onCancel();
  }

  return (
    <Modal title={title} onEscape={cancel}>
      {/* noValidate: the core's messages are the ones shown, not the browser's bubbles. */}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <p id={`${id}-lead`} className="confirm-text">
          {lead}
        </p>
        <Field id={`${id}-secret`} label={fieldLabel}>
          <input
            id={`${id}-secret`}
            type="password"
            className="mono"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-lead`}
          />
        </Field>
        <FormFooter
          error={error}
          busy={busy}
          onCancel={cancel}
          submitLabel={submitLabel}
          busyLabel={busyLabel}
        />
      </form>
    </Modal>
  );
}
