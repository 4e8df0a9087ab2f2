import { useVaultStore } from '@renderer/store/vault-store';
import { administeredAccounts } from './administered-accounts';
import './admin-overview.css';

/** The sidebar's way to the overview: only where an account administers a SonarQube Server. */
export function AdminOverviewEntry() {
  const accounts = useVaultStore((s) => s.accounts);
  const shown = useVaultStore((s) => s.view === 'admin-overview');
  const current = useVaultStore((s) => s.overviewAccountId);
  const selected = useVaultStore((s) => s.selectedAccountId);
  const open = useVaultStore((s) => s.openAdminOverview);
  const admins = administeredAccounts(accounts);
  // The one shown last, else the selected account, else the first one.
  const target = admins.find((a) => a.id === current) ?? admins.find((a) => a.id === selected) ?? admins[0];
  if (!target) return null;
  return (
    <button
      type="button"
      className={shown ? 'all-tokens-entry selected' : 'all-tokens-entry'}
      aria-current={shown ? 'true' : undefined}
      onClick={() => open(target.id)}
    >
      All users&apos; expiring tokens
    </button>
  );
}
