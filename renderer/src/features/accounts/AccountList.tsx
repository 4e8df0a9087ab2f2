import type { AccountView } from '../../../../electron/contract';
import { useVaultStore } from '../../store/vault-store';
import { BellOffIcon } from '../../ui/icons';
import { AdminOverviewEntry } from '../admin-overview/AdminOverviewEntry';
import { KindBadge } from './KindBadge';

const STATUS_NAMES: Readonly<Record<AccountView['status'], string>> = {
  ok: 'Connected',
  'credential-invalid': 'Token not accepted',
  unreachable: 'Unreachable',
};

/** The sidebar's accounts: one button each, its name starting with the account's label. */
export function AccountList() {
  const accounts = useVaultStore((s) => s.accounts);
  const loaded = useVaultStore((s) => s.accountsLoaded);
  const error = useVaultStore((s) => s.accountsError);
  const selectedId = useVaultStore((s) => s.selectedAccountId);
  const select = useVaultStore((s) => s.selectAccount);
  const reload = useVaultStore((s) => s.loadAccounts);
  const mutedIds = useVaultStore((s) => s.settings?.mutedAccounts);
  const allTokens = useVaultStore((s) => s.view === 'all-tokens');
  const accountShown = useVaultStore((s) => s.view === 'account');
  const openAllTokens = useVaultStore((s) => s.openAllTokens);

  return (
    <nav aria-label="Accounts" className="account-nav">
      {error && (
        <div role="alert" className="inline-error">
          <p>{error}</p>
          <button type="button" className="button small" onClick={() => void reload()}>
            Retry
          </button>
        </div>
      )}
      {loaded && accounts.length > 0 && (
        <button
          type="button"
          className={allTokens ? 'all-tokens-entry selected' : 'all-tokens-entry'}
          aria-current={allTokens ? 'true' : undefined}
          onClick={openAllTokens}
        >
          All tokens
        </button>
      )}
      <AdminOverviewEntry />
      {!loaded && !error && <p className="muted sidebar-note">Loading accounts…</p>}
      {loaded && accounts.length === 0 && <p className="muted sidebar-note">No accounts yet.</p>}
      <ul className="account-list">
        {accounts.map((account) => (
          <li key={account.id}>
            <AccountButton
              account={account}
              selected={accountShown && account.id === selectedId}
              muted={mutedIds?.includes(account.id) ?? false}
              onSelect={() => select(account.id)}
            />
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface AccountButtonProps {
  account: AccountView;
  selected: boolean;
  /** Its tokens never notify (Settings). */
  muted: boolean;
  onSelect: () => void;
}

function AccountButton({ account, selected, muted, onSelect }: AccountButtonProps) {
  const troubled = account.status !== 'ok';
  return (
    <button
      type="button"
      className={selected ? 'account selected' : 'account'}
      aria-current={selected ? 'true' : undefined}
      onClick={onSelect}
    >
      <span className="account-top">
        <span className="account-name">
          <span className="account-label">{account.label}</span>
          {muted && <MutedMarker />}
        </span>
        <span className={`status-dot status-${account.status}`} title={STATUS_NAMES[account.status]}>
          <span className="sr-only">{STATUS_NAMES[account.status]}</span>
        </span>
      </span>
      <span className="account-meta">
        <KindBadge kind={account.kind} />
        <span className="account-login">{account.login}</span>
      </span>
      {troubled && account.statusMessage && <span className="account-problem">{account.statusMessage}</span>}
    </button>
  );
}

/** "Muted": notifications about this account are off. The word is read out; the bell is decoration. */
function MutedMarker() {
  return (
    <span className="muted-marker" title="Notifications muted">
      <BellOffIcon />
      Muted
    </span>
  );
}
