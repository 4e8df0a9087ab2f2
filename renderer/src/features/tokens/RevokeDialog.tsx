import type { AccountView, TokenView } from '@contract';
import { useVaultStore } from '@renderer/store/vault-store';
import { ConfirmDialog } from '@renderer/ui/ConfirmDialog';
import { RevokeOwnCredentialDialog } from '@renderer/features/own-credential/RevokeOwnCredentialDialog';
import { revokeQuestion } from './lifecycle-text';

interface RevokeDialogProps {
  token: TokenView;
  account: AccountView;
  onClose: () => void;
}

/** Revokes on the server; the core forgets the held value only once the server has confirmed. */
export function RevokeDialog({ token, account, onClose }: RevokeDialogProps) {
  const revokeToken = useVaultStore((s) => s.revokeToken);
  const toast = useVaultStore((s) => s.toast);
  // The token the vault signs in with: the account stops working; an explicit tick is asked.
  if (token.ownCredential) {
    return <RevokeOwnCredentialDialog token={token} account={account} onClose={onClose} />;
  }
  return (
    <ConfirmDialog
      title="Revoke token"
      confirmLabel="Revoke"
      busyLabel="Revoking…"
      danger
      onConfirm={() => revokeToken({ accountId: account.id, name: token.name })}
      onDone={() => {
        onClose();
        toast(`Revoked ${token.name}`);
      }}
      onCancel={onClose}
    >
      {revokeQuestion(token.name, account.label)}
    </ConfirmDialog>
  );
}
