import type { AccountView, TokenView } from '@contract';
import { useVaultStore } from '@renderer/store/vault-store';
import { SecretEntryDialog } from '@renderer/ui/SecretEntryDialog';
import { importLead } from './lifecycle-text';

interface ImportValueDialogProps {
  token: TokenView;
  account: AccountView;
  onClose: () => void;
}

/**
 * Keeps the value of a token made elsewhere. The core checks that the token is listed, that the
 * value is not one it holds for another token, and that it signs in as the account's user; its
 * refusals are shown as it words them. The lead says what that check cannot tell.
 */
export function ImportValueDialog({ token, account, onClose }: ImportValueDialogProps) {
  const importToken = useVaultStore((s) => s.importToken);
  const toast = useVaultStore((s) => s.toast);
  return (
    <SecretEntryDialog
      title="Import token value"
      lead={`${importLead(token.name)} ${whatTheServerConfirms(account.login, token.name)}`}
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

/** SonarQube says whose a value is, never which of their tokens. */
function whatTheServerConfirms(login: string, name: string): string {
  return `The server confirms whose token a value is (it must be ${login}'s), not which of their tokens: make sure it is the value of ${name}.`;
}
