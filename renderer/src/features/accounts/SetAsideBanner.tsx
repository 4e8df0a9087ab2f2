import { useVaultStore } from '@renderer/store/vault-store';

/**
 * Accounts the core set aside when it read its data file: their stored address or certificate
 * failed the checks (someone else changed the file), so their token is sent nowhere. Removing one
 * forgets it and its keychain entries; adding it again is the way back.
 */
export function SetAsideBanner() {
  const setAside = useVaultStore((s) => s.setAside);
  const remove = useVaultStore((s) => s.removeSetAside);
  if (!setAside.length) return null;
  return (
    <div role="alert" className="banner warning set-aside">
      <div>
        <p>
          <strong>Set aside, not used:</strong> the vault's data file was changed outside the vault for
          {setAside.length === 1 ? ' this account' : ' these accounts'}. Their tokens are not sent anywhere.
          Remove, then add again what you trust.
        </p>
        <ul>
          {setAside.map((account) => (
            <li key={account.id}>
              <span>
                <strong>{account.label}</strong>: {account.reason}
              </span>{' '}
              <button type="button" className="button small" onClick={() => void remove(account.id)}>
                Remove {account.label}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
