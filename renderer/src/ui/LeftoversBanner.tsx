import { useState } from 'react';
import { useVaultStore } from '@renderer/store/vault-store';

/**
 * Keychain entries the vault has no record of: a write interrupted before vault.json recorded it
 * (those it could recognize as a token's value it adopted already). They are used nowhere until
 * the user forgets them; the vault never deletes them on its own.
 */
export function LeftoversBanner() {
  const leftovers = useVaultStore((s) => s.leftovers);
  const forget = useVaultStore((s) => s.forgetLeftovers);
  const [forgetting, setForgetting] = useState(false);
  if (!leftovers.length) return null;
  const onForget = async () => {
    setForgetting(true);
    await forget();
    setForgetting(false);
  };
  return (
    <div role="alert" className="banner warning leftovers">
      <div>
        <p>
          <strong>In the keychain, not in the vault:</strong> the vault was probably stopped while saving
          {leftovers.length === 1 ? ' this value. It is' : ' these values. They are'} not used or sent
          anywhere.
        </p>
        <ul>
          {leftovers.map((leftover) => (
            <li key={leftover.key}>{leftover.description}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="button small" disabled={forgetting} onClick={() => void onForget()}>
        Forget these values
      </button>
    </div>
  );
}
