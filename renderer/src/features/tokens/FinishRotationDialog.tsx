import type { AccountView, TokenView } from '@contract';
import { useVaultStore } from '@renderer/store/vault-store';
import { ConfirmDialog } from '@renderer/ui/ConfirmDialog';
import { finishRotationQuestion } from './lifecycle-text';

interface FinishRotationDialogProps {
  /** The rotation's predecessor: the token to revoke. */
  token: TokenView;
  account: AccountView;
  onClose: () => void;
}

/** Step 2 of a rotation: revokes the predecessor once the user says its successor works. */
export function FinishRotationDialog({ token, account, onClose }: FinishRotationDialogProps) {
  const completeRotation = useVaultStore((s) => s.completeRotation);
  const toast = useVaultStore((s) => s.toast);
  const successor = token.rotation?.partner ?? 'its successor';
  return (
    <ConfirmDialog
      title="Finish rotation"
      confirmLabel="Revoke"
      busyLabel="Revoking…"
      danger
      onConfirm={() => completeRotation({ accountId: account.id, name: token.name })}
      onDone={() => {
        onClose();
        toast(`Revoked ${token.name}`);
      }}
      onCancel={onClose}
    >
      {finishRotationQuestion(token.name, account.label, successor)}
    </ConfirmDialog>
  );
}
