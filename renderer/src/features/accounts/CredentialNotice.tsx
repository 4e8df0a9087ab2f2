import type { AccountView } from '@contract';
import { credentialInvalidText } from '@renderer/features/tokens/lifecycle-text';

interface CredentialNoticeProps {
  account: AccountView;
  onReplace: () => void;
}

/** The server refuses the vault's own token for this account: nothing works until it is replaced. */
export function CredentialNotice({ account, onReplace }: CredentialNoticeProps) {
  if (account.status !== 'credential-invalid') return null;
  return (
    <div role="alert" className="notice danger">
      <p>{credentialInvalidText(account.statusMessage)}</p>
      <button type="button" className="button small" onClick={onReplace}>
        Replace credential
      </button>
    </div>
  );
}
