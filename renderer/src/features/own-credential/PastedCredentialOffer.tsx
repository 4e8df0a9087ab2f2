import { useState } from 'react';
import type { AccountView } from '@contract';
import { formatDateTime } from '@renderer/format';
import { useVaultStore } from '@renderer/store/vault-store';
import { FormFooter } from '@renderer/ui/FormFooter';
import { Modal } from '@renderer/ui/Modal';
import { useCoreSubmit } from '@renderer/ui/use-core-submit';
import { PICK_PASTED_LEAD, pastedCandidates } from './own-credential-text';
import './own-credential.css';

interface PastedCredentialOfferProps {
  account: AccountView;
  onClose: () => void;
}

/**
 * The token the user pasted is no longer needed once the vault signs in with its own. SonarQube
 * cannot say which token a value is, so the user picks it from their tokens (the most recently
 * used first, the vault's own left out), and it is revoked as any token is.
 */
export function PastedCredentialOffer({ account, onClose }: PastedCredentialOfferProps) {
  const tokens = useVaultStore((s) => s.tokens[account.id]?.list?.tokens);
  const revokeToken = useVaultStore((s) => s.revokeToken);
  const dismiss = useVaultStore((s) => s.dismissPastedCredential);
  const toast = useVaultStore((s) => s.toast);
  const candidates = pastedCandidates(tokens ?? []);
  const [picked, setPicked] = useState<string | null>(null);
  const [asked, setAsked] = useState(false);
  const { busy, error, submit } = useCoreSubmit(async () => {
    if (picked === null) return;
    await revokeToken({ accountId: account.id, name: picked });
    await dismiss(account.id);
    onClose();
    toast(`Revoked ${picked}`);
  });
  const [keeping, setKeeping] = useState(false);
  const cancel = () => {
    if (!busy && !keeping) onClose();
  };
  async function keep() {
    if (busy || keeping) return;
    setKeeping(true);
    await dismiss(account.id);
    onClose();
  }

  return (
    <Modal title="Revoke the token you pasted" onEscape={cancel}>
      <form
        className="form"
        aria-busy={busy}
        onSubmit={(event) => {
          if (picked !== null) return void submit(event);
          event.preventDefault();
          setAsked(true);
        }}
      >
        <p>{PICK_PASTED_LEAD}</p>
        {candidates.length ? (
          <fieldset className="pasted-candidates">
            <legend className="sr-only">Your tokens</legend>
            {candidates.map((token) => (
              <label key={token.name} className="pasted-candidate">
                <input
                  type="radio"
                  name="pasted"
                  value={token.name}
                  checked={picked === token.name}
                  onChange={() => setPicked(token.name)}
                  disabled={busy}
                />
                <span className="token-name">{token.name}</span>
                <span className="muted">
                  {token.lastUsedAt === null ? 'never used' : `last used ${formatDateTime(token.lastUsedAt)}`}
                </span>
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="muted">No other token of yours is listed: there is nothing left to revoke.</p>
        )}
        {asked && picked === null && (
          <p role="alert" className="form-error">
            Pick the token you pasted.
          </p>
        )}
        <button
          type="button"
          className="button quiet keep-pasted"
          aria-disabled={keeping}
          onClick={() => void keep()}
        >
          Keep it, and stop asking
        </button>
        <FormFooter
          error={error}
          busy={busy}
          onCancel={cancel}
          submitLabel="Revoke"
          busyLabel="Revoking…"
          danger
        />
      </form>
    </Modal>
  );
}
