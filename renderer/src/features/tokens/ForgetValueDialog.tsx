import type { AccountView, TokenView } from '@contract';
import { useVaultStore } from '@renderer/store/vault-store';
import { ConfirmDialog } from '@renderer/ui/ConfirmDialog';
import { forgetQuestion } from './lifecycle-text';

interface ForgetValueDialogProps {
  token: TokenView;
  account: AccountView;
  onClose: () => void;
}

/** Drops a held value whose token the server no longer has; nothing on the server changes. */
export function ForgetValueDialog({ token, account, onClose }: ForgetValueDialogProps) {
  const forgetToken = useVaultStore((s) => s.forgetToken);
  const toast = useVaultStore((s) => s.toast);
  return (
    <ConfirmDialog
      title="Forget value"
      confirmLabel="Forget"
      busyLabel="Forgetting…"
      danger
      onConfirm={() => forgetToken({ accountId: account.id, name: token.name })}
      onDone={() => {
        onClose();
        toast(`Forgot the value of ${token.name}`);
      }}
      onCancel={onClose}
    >
      {forgetQuestion(token.name)}
    </ConfirmDialog>
  );
}
