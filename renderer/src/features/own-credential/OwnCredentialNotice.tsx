import { useState } from 'react';
import type { AccountView } from '@contract';
import { useVaultStore } from '@renderer/store/vault-store';
import { PastedCredentialOffer } from './PastedCredentialOffer';
import {
  ADOPT_LABEL,
  adoptedToast,
  ownCredentialLine,
  pastedCredentialLine,
  pastedOfferText,
} from './own-credential-text';
import './own-credential.css';

/**
 * Under the account's title: the token the vault signs in with (its own, when it expires and is
 * renewed, a renewal's failure), or the pasted one and the button to replace it with the vault's
 * own; then the offer to revoke the pasted token.
 */
export function OwnCredentialNotice({ account }: { account: AccountView }) {
  const own = account.ownCredential;
  const ownRow = useVaultStore((s) =>
    own ? s.tokens[account.id]?.list?.tokens.find((t) => t.name === own.name) : undefined,
  );
  const adopt = useVaultStore((s) => s.adoptOwnCredential);
  const toast = useVaultStore((s) => s.toast);
  const [adopting, setAdopting] = useState(false);
  const [offering, setOffering] = useState(false);
  // Nothing to say while the credential is refused: the account's red notice says what to do.
  if (account.status === 'credential-invalid') return null;

  async function adoptNow() {
    if (adopting) return;
    setAdopting(true);
    const adopted = await adopt(account.id);
    setAdopting(false);
    if (!adopted?.ownCredential) return;
    toast(adoptedToast(adopted.ownCredential.name));
    // Then the same offer as after adding: the pasted token is no longer needed.
    if (adopted.pastedCredentialLeft) setOffering(true);
  }

  return (
    <div className="own-credential">
      {own ? (
        <p className="own-credential-line">{ownCredentialLine(account, ownRow)}</p>
      ) : (
        <div className="own-credential-line">
          <p>{pastedCredentialLine(account.ownCredentialUnavailable)}</p>
          <button
            type="button"
            className="button small"
            onClick={() => void adoptNow()}
            aria-disabled={adopting}
          >
            {adopting ? 'Making the vault’s token…' : ADOPT_LABEL}
          </button>
        </div>
      )}
      {own?.problem && (
        <div role="alert" className="notice own-credential-problem">
          <p>{own.problem}</p>
        </div>
      )}
      {own && account.pastedCredentialLeft && (
        <div className="notice own-credential-offer">
          <p>{pastedOfferText(own.name)}</p>
          <button type="button" className="button small" onClick={() => setOffering(true)}>
            Revoke the pasted token…
          </button>
        </div>
      )}
      {offering && <PastedCredentialOffer account={account} onClose={() => setOffering(false)} />}
    </div>
  );
}
