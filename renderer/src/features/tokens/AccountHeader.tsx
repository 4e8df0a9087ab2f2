import type { AccountView } from '@contract';
import { CredentialNotice } from '@renderer/features/accounts/CredentialNotice';
import { KindBadge } from '@renderer/features/accounts/KindBadge';
import { OwnCredentialNotice } from '@renderer/features/own-credential/OwnCredentialNotice';
import '@renderer/features/forms.css';

const EDITION_NAMES: Readonly<Record<string, string>> = {
  community: 'Community',
  developer: 'Developer',
  enterprise: 'Enterprise',
  datacenter: 'Data Center',
};

/** The edition as a person reads it: "Enterprise", "Data Center"; an unknown one as reported. */
function editionName(edition: string): string {
  return EDITION_NAMES[edition.toLowerCase()] ?? edition.charAt(0).toUpperCase() + edition.slice(1);
}

interface AccountHeaderProps {
  account: AccountView;
  loading: boolean;
  onRefresh: () => void;
  onGenerate: () => void;
  onReplaceCredential: () => void;
  /** Administrators only: another user's tokens. */
  onOtherUsers?: (() => void) | undefined;
}

/** Who and where the tokens below belong to, with the account's actions and its credential's health. */
export function AccountHeader({
  account,
  loading,
  onRefresh,
  onGenerate,
  onReplaceCredential,
  onOtherUsers,
}: AccountHeaderProps) {
  const where = account.organization ? `organization ${account.organization}` : account.baseUrl;
  return (
    <header className="pane-header">
      <div className="pane-title">
        <h1>{account.label}</h1>
        <p className="pane-meta">
          <KindBadge kind={account.kind} />
          <span>
            {account.userName} <span className="muted">({account.login})</span>
          </span>
          <span className="muted">{where}</span>
          <span className="muted">
            version {account.serverVersion}
            {account.edition ? ` (${editionName(account.edition)})` : ''}
          </span>
          {account.insecureHttp && (
            <span
              className="badge danger"
              title="The token travels unencrypted (plain http), as you accepted"
            >
              Unencrypted (http)
            </span>
          )}
          {account.extraCaSubject && (
            <span className="muted meta-small">Trusts extra CA: {account.extraCaSubject}</span>
          )}
        </p>
      </div>
      <div className="pane-actions">
        <button type="button" className="button" onClick={onRefresh} aria-disabled={loading}>
          Refresh
        </button>
        {onOtherUsers && (
          <button type="button" className="button" onClick={onOtherUsers}>
            Other users
          </button>
        )}
        <button type="button" className="button primary" onClick={onGenerate}>
          Generate token
        </button>
      </div>
      <CredentialNotice account={account} onReplace={onReplaceCredential} />
      <OwnCredentialNotice account={account} />
    </header>
  );
}
