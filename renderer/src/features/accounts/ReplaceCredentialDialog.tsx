import type { AccountView } from '@contract';
import { useVaultStore } from '@renderer/store/vault-store';
import { SecretEntryDialog } from '@renderer/ui/SecretEntryDialog';
import { replaceCredentialLead } from '@renderer/features/tokens/lifecycle-text';

interface ReplaceCredentialDialogProps {
  account: AccountView;
  onClose: () => void;
}

/** A new token for the vault to work with; the core requires it to sign in as the same user. */
export function ReplaceCredentialDialog({ account, onClose }: ReplaceCredentialDialogProps) {
  const replaceCredential = useVaultStore((s) => s.replaceCredential);
  const toast = useVaultStore((s) => s.toast);
  return (
    <SecretEntryDialog
      title="Replace credential"
      lead={replaceCredentialLead(account.login)}
      fieldLabel="New token"
      submitLabel="Replace"
      busyLabel="Checking…"
      onSubmit={(credential) => replaceCredential({ accountId: account.id, credential })}
      onDone={() => {
        onClose();
        toast('Credential replaced');
      }}
      onCancel={onClose}
    />
  );
}
