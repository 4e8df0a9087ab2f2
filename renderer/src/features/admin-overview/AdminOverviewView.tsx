import { useState } from 'react';
import type { AccountView, AdminOverview, AdminProgress, OwnedTokenView } from '@contract';
import { DEFAULT_THRESHOLDS_MS } from '@shared/expiry';
import { formatDateTime } from '@renderer/format';
import { useVaultStore } from '@renderer/store/vault-store';
import { ConfirmDialog } from '@renderer/ui/ConfirmDialog';
import { formatThreshold } from '@renderer/features/settings/settings-draft';
import { administeredAccounts } from './administered-accounts';
import { OverviewTable } from './OverviewTable';
import './admin-overview.css';

/**
 * An administrator's overview: every user's tokens on one SonarQube Server that expire within the
 * first warning threshold, or have expired, to revoke or to tell their owner about. The core scans
 * the server (users, then each user's tokens, a few at a time) and holds the result in memory;
 * this view shows its progress, the users it could not ask about, and the rows.
 */
export function AdminOverviewView() {
  const accounts = useVaultStore((s) => s.accounts);
  const accountId = useVaultStore((s) => s.overviewAccountId);
  const open = useVaultStore((s) => s.openAdminOverview);
  const admins = administeredAccounts(accounts);
  const account = admins.find((a) => a.id === accountId);
  if (!account) {
    return (
      <div className="pane">
        <p className="placeholder">
          No account here administers a SonarQube Server: the overview needs the Administer System permission.
        </p>
      </div>
    );
  }
  return <Overview account={account} admins={admins} onSwitch={open} />;
}

interface OverviewProps {
  account: AccountView;
  admins: readonly AccountView[];
  onSwitch: (accountId: string) => void;
}

function Overview({ account, admins, onSwitch }: OverviewProps) {
  const state = useVaultStore((s) => s.overviews[account.id]);
  const load = useVaultStore((s) => s.loadOverview);
  const thresholds = useVaultStore((s) => s.settings?.thresholdsMs) ?? DEFAULT_THRESHOLDS_MS;
  const revokeToken = useVaultStore((s) => s.revokeToken);
  const toast = useVaultStore((s) => s.toast);
  const [revoking, setRevoking] = useState<OwnedTokenView | null>(null);
  const overview = state?.overview;
  const scanning = state?.loading === true || state?.progress !== undefined;
  const within = formatThreshold(Math.max(...thresholds));

  return (
    <div className="pane fill">
      <div className="pane-header">
        <div className="pane-title">
          <h1>All users&apos; expiring tokens</h1>
          <p className="muted">
            On {account.label}, as administrator {account.login}: every user&apos;s tokens that expire within{' '}
            {within}, or have expired
          </p>
        </div>
        <div className="pane-actions">
          {admins.length > 1 && (
            <div className="field overview-server">
              <label htmlFor="overview-server">Server</label>
              <select id="overview-server" value={account.id} onChange={(e) => onSwitch(e.target.value)}>
                {admins.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button
            type="button"
            className="button"
            aria-disabled={scanning}
            onClick={() => {
              if (!scanning) void load(account.id);
            }}
          >
            Refresh
          </button>
        </div>
      </div>
      <section className="token-section" aria-busy={scanning} aria-label="Overview">
        <ScanProgress scanning={scanning} progress={state?.progress} />
        {state?.error && (
          <div role="alert" className="inline-error">
            <p>{state.error}</p>
            <button type="button" className="button small" onClick={() => void load(account.id)}>
              Retry
            </button>
          </div>
        )}
        {overview && <Summary overview={overview} />}
        {overview && overview.failed.length > 0 && <FailedUsers failed={overview.failed} />}
        {overview &&
          (overview.tokens.length === 0 ? (
            <p className="placeholder">No user&apos;s token expires within {within}.</p>
          ) : (
            <OverviewTable
              account={account}
              tokens={overview.tokens}
              stale={overview.stale}
              onRevoke={setRevoking}
            />
          ))}
      </section>
      {revoking && (
        <ConfirmDialog
          title="Revoke token"
          confirmLabel="Revoke"
          busyLabel="Revoking…"
          danger
          onConfirm={() => revokeToken({ accountId: account.id, name: revoking.name, login: revoking.owner })}
          onDone={() => {
            setRevoking(null);
            toast(`Revoked ${revoking.name} of ${revoking.owner}`);
          }}
          onCancel={() => setRevoking(null)}
        >
          {revokeOwnedQuestion(revoking, account.label)}
        </ConfirmDialog>
      )}
    </div>
  );
}

export function revokeOwnedQuestion(token: OwnedTokenView, accountLabel: string): string {
  return `Revoke ${token.name} of ${token.ownerName} (${token.owner}) on ${accountLabel}? Anything using it stops working at once. This cannot be undone.`;
}

/** "Checking tokens: 12 of 340 users", with a progress bar, while a scan runs. */
function ScanProgress({ scanning, progress }: { scanning: boolean; progress: AdminProgress | undefined }) {
  if (!scanning) return null;
  const text =
    progress === undefined || progress.users === 0
      ? 'Listing the users…'
      : `Checking tokens: ${progress.scanned} of ${progress.users} users`;
  return (
    <div className="overview-progress">
      <p role="status">{text}</p>
      {progress !== undefined && progress.users > 0 && (
        <progress max={progress.users} value={progress.scanned} aria-label="Users checked" />
      )}
    </div>
  );
}

function Summary({ overview }: { overview: AdminOverview }) {
  const tokens = overview.tokens.length;
  return (
    <>
      {overview.stale && (
        <p role="status" className="stale-banner">
          The last overview, from {formatDateTime(overview.refreshedAt)}: the server could not be asked just
          now
          {overview.problem ? ` (${overview.problem})` : ''}.
        </p>
      )}
      <p className="all-tokens-count">
        {tokens === 1 ? '1 token' : `${tokens} tokens`} of {overview.users}{' '}
        {overview.users === 1 ? 'user' : 'users'}, checked {formatDateTime(overview.refreshedAt)}
      </p>
    </>
  );
}

/** The users whose tokens could not be listed: the overview stands without them, and says so. */
function FailedUsers({ failed }: { failed: AdminOverview['failed'] }) {
  const count = failed.length === 1 ? '1 user' : `${failed.length} users`;
  return (
    <div className="warning overview-failed" role="status">
      <p>The tokens of {count} could not be listed: they are not in this overview. Refresh to try again.</p>
      <ul>
        {failed.map((f) => (
          <li key={f.login}>
            <strong>{f.login}</strong>: {f.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
