import { useId, useState } from 'react';
import type { AccountView, DeliveryRun, TokenView } from '@contract';
import { DAY_MS, HOUR_MS } from '@shared/expiry';
import { useVaultStore, type Rotated } from '@renderer/store/vault-store';
import { call } from '@renderer/vault-client';
import { Checkbox } from '@renderer/ui/Checkbox';
import { Field } from '@renderer/ui/Field';
import { FormFooter } from '@renderer/ui/FormFooter';
import { Modal } from '@renderer/ui/Modal';
import { useCoreSubmit } from '@renderer/ui/use-core-submit';
import { DeliveryRunDialog } from '@renderer/features/delivery/DeliveryRunDialog';
import { rotateLead } from './lifecycle-text';

/** When the old token goes: '' waits for the user's confirmation, the others are delays in ms. */
const REVOKE_CHOICES: readonly { value: string; label: string }[] = [
  { value: '', label: 'When I confirm' },
  { value: String(HOUR_MS), label: 'After 1 hour' },
  { value: String(DAY_MS), label: 'After 1 day' },
  { value: String(7 * DAY_MS), label: 'After 7 days' },
];

interface RotateDialogProps {
  token: TokenView;
  account: AccountView;
  onCancel: () => void;
  /** Hands the answer, the successor's value included, to the parent's "copy it now" panel. */
  onRotated: (rotated: Rotated) => void;
}

/** Step 1 of a rotation: the successor is generated and kept; the old token stays for now. */
export function RotateDialog({ token, account, onCancel, onRotated }: RotateDialogProps) {
  const rotateToken = useVaultStore((s) => s.rotateToken);
  const [revokeAfter, setRevokeAfter] = useState('');
  // A token whose value is delivered is rotated with its deliveries unless the user says otherwise.
  const [deliver, setDeliver] = useState(Boolean(token.deliveryTargets));
  const [run, setRun] = useState<DeliveryRun | null>(null);
  const id = useId();
  const { busy, error, submit } = useCoreSubmit(async () => {
    if (deliver) {
      setRun(await call('tokens.rotateAndDeliver', { accountId: account.id, name: token.name }));
      return;
    }
    const rotated = await rotateToken({
      accountId: account.id,
      name: token.name,
      ...(revokeAfter ? { revokeOldAfterMs: Number(revokeAfter) } : {}),
    });
    onRotated(rotated);
  });

  // Like a generate, a rotation cannot be taken back once sent: the dialog waits for its answer.
  const cancel = () => {
    if (!busy) onCancel();
  };

  if (run) {
    return (
      <DeliveryRunDialog
        token={{ accountId: account.id, name: token.name }}
        start="rotate"
        initialRun={run}
        onClose={onCancel}
      />
    );
  }

  const targets = token.deliveryTargets ?? 0;
  return (
    <Modal title="Rotate token" onEscape={cancel}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <p className="confirm-text">{rotateLead(token.name)}</p>
        {targets > 0 && (
          <Checkbox checked={deliver} onChange={setDeliver}>
            Deliver the new value to its {targets === 1 ? 'CI target' : `${targets} CI targets`}, then revoke
            the old token once every one has it
          </Checkbox>
        )}
        {!deliver && (
          <Field id={`${id}-revoke`} label="Revoke the old token">
            <select id={`${id}-revoke`} value={revokeAfter} onChange={(e) => setRevokeAfter(e.target.value)}>
              {REVOKE_CHOICES.map((c) => (
                <option key={c.label} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        <FormFooter
          error={error}
          busy={busy}
          onCancel={cancel}
          submitLabel={deliver ? 'Rotate and deliver' : 'Rotate'}
          busyLabel={deliver ? 'Delivering…' : 'Rotating…'}
        />
      </form>
    </Modal>
  );
}
