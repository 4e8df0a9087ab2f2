import type { AccountView, TokenView } from '../../../../electron/contract';
import { useVaultStore } from '../../store/vault-store';
import { SecretEntryDialog } from '../../ui/SecretEntryDialog';
import { importLead } from './lifecycle-text';

interface ImportValueDialogProps {
  token: TokenView;
  account: AccountView;
  onClose: () => void;
}

/**
 * Keeps the value of a token made elsewhere. The core checks that the token is listed and that
 * the value signs in as the account's user; its refusals are shown as it words them.
 */
export function ImportValueDialog({ token, account, onClose }: ImportValueDialogProps) {
  const importToken = useVaultStore((s) => s.importToken);
  const toast = useVaultStore((s) => s.toast);
  return (
    <SecretEntryDialog
      title="Import token value"
      lead={importLead(token.name)}
      fieldLabel="Token value"
      submitLabel="Import"
      busyLabel="Checking…"
      onSubmit={(value) => importToken({ accountId: account.id, name: token.name, value })}
      onDone={() => {
        onClose();
        toast(`Imported ${token.name}`);
      }}
      onCancel={onClose}
    />
  );
}
