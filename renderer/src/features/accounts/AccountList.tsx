import { memo, useCallback, useMemo } from 'react';
import type { AccountView, TokenList } from '@contract';
import { useClockNow } from '@renderer/store/clock';
import { useVaultStore } from '@renderer/store/vault-store';
import { BellOffIcon } from '@renderer/ui/icons';
import { AdminOverviewEntry } from '@renderer/features/admin-overview/AdminOverviewEntry';
import {
  accountHealth,
  healthText,
  HEALTH_NAMES,
  nextHealthChange,
  type AccountHealth,
} from './account-health';
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
  const lists = useVaultStore((s) => s.tokens);
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
              list={lists[account.id]?.list}
              onSelect={select}
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
  /** The account's last known list, once the vault has told it. */
  list: TokenList | undefined;
  onSelect: (accountId: string) => void;
}

/** Memoized: a list arriving for one account re-renders that account's button only. */
const AccountButton = memo(function AccountButton({
  account,
  selected,
  muted,
  list,
  onSelect,
}: AccountButtonProps) {
  const troubled = account.status !== 'ok';
  const health = useAccountHealth(list);
  return (
    <button
      type="button"
      className={selected ? 'account selected' : 'account'}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onSelect(account.id)}
    >
      <span className="account-top">
        <span className="account-name">
          <span className="account-label">{account.label}</span>
          {muted && <MutedMarker />}
        </span>
        <HealthDot health={health} status={account.status} />
      </span>
      <span className="account-meta">
        <KindBadge kind={account.kind} />
        <span className="account-login">{account.login}</span>
      </span>
      {health && <span className={`account-health health-${health.worst}`}>{healthText(health)}</span>}
      {troubled && (
        <span className="account-problem">
          {STATUS_NAMES[account.status]}
          {account.statusMessage ? `: ${account.statusMessage}` : ''}
        </span>
      )}
    </button>
  );
});

/** The list's counts by the user's thresholds, recounted only when a token crosses one. */
function useAccountHealth(list: TokenList | undefined): AccountHealth | null {
  const thresholds = useVaultStore((s) => s.settings?.thresholdsMs);
  const tokens = list?.tokens;
  const nextChange = useCallback(
    (now: number) => (tokens ? nextHealthChange(tokens, now, thresholds) : null),
    [tokens, thresholds],
  );
  const now = useClockNow(nextChange);
  return useMemo(() => (tokens ? accountHealth(tokens, now, thresholds) : null), [tokens, now, thresholds]);
}

/**
 * One dot for the account: coloured (and shaped) by its tokens' worst state, drawn as a ring while
 * its server cannot be asked (the counts are then the last known list's). Its words are for
 * screen readers and the tooltip; the counts beside it say the same in text.
 */
function HealthDot({ health, status }: { health: AccountHealth | null; status: AccountView['status'] }) {
  const words = `${health ? `Tokens: ${HEALTH_NAMES[health.worst]}` : 'Tokens not listed yet'}. ${STATUS_NAMES[status]}.`;
  const classes = ['health-dot', `health-${health?.worst ?? 'unknown'}`, status !== 'ok' && 'troubled'];
  return (
    <span className={classes.filter(Boolean).join(' ')} title={words}>
      <span className="sr-only">{words}</span>
    </span>
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
