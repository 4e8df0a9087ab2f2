import { memo, useCallback } from 'react';
import type { AccountView, OwnedTokenView } from '@contract';
import { tokenTypeName } from '@renderer/format';
import { useClockNow } from '@renderer/store/clock';
import { useRowTabIndex, VirtualTable, type Column } from '@renderer/ui/VirtualTable';
import { CountdownCell } from '@renderer/features/tokens/CountdownCell';
import { ExpiresCell } from '@renderer/features/tokens/TokenRow';
import { tellOwnerHref } from './tell-owner';
import { TokenName } from '@renderer/features/tokens/TokenName';

interface OverviewTableProps {
  account: AccountView;
  tokens: readonly OwnedTokenView[];
  stale: boolean;
  onRevoke: (token: OwnedTokenView) => void;
}

const COLUMNS: readonly Column[] = [
  { key: 'owner', header: 'User' },
  { key: 'name', header: 'Token' },
  { key: 'type', header: 'Type' },
  { key: 'expires', header: 'Expires' },
  { key: 'time-left', header: 'Time left' },
  { key: 'overview-actions', header: <span className="sr-only">Actions</span> },
];

const rowKey = (token: OwnedTokenView) => `${token.owner}\n${token.name}`;

/** One row per token: whose, which, when it expires, and what the administrator can do. */
export function OverviewTable({ account, tokens, stale, onRevoke }: OverviewTableProps) {
  const renderCells = useCallback(
    (token: OwnedTokenView) => <OverviewCells token={token} account={account} onRevoke={onRevoke} />,
    [account, onRevoke],
  );
  return (
    <VirtualTable
      label="Expiring tokens of all users"
      className={stale ? 'tokens stale' : 'tokens'}
      scrollClassName="fill"
      columns={COLUMNS}
      rows={tokens}
      rowKey={rowKey}
      renderCells={renderCells}
      estimateRowHeight={52}
    />
  );
}

interface OverviewCellsProps {
  token: OwnedTokenView;
  account: AccountView;
  onRevoke: (token: OwnedTokenView) => void;
}

const OverviewCells = memo(function OverviewCells({ token, account, onRevoke }: OverviewCellsProps) {
  const tabIndex = useRowTabIndex();
  const yours = token.owner === account.login;
  return (
    <>
      <td className="cell-owner">
        <span className="owner-name">{token.ownerName}</span>
        <span className="owner-login">
          {token.owner}
          {yours ? ' (you)' : ''}
        </span>
      </td>
      <td className="cell-name">
        <TokenName token={token} />
      </td>
      <td>{tokenTypeName(token.type)}</td>
      <ExpiresCell token={token} />
      <CountdownCell expiresAt={token.expiresAt} serverSaysExpired={token.serverSaysExpired} />
      <td className="cell-actions">
        <div className="overview-actions">
          {/* The administrator's own tokens are theirs to see to: nobody to write to. */}
          {!yours && token.ownerEmail && <TellOwnerLink token={token} account={account} />}
          <button
            type="button"
            className="button small quiet"
            tabIndex={tabIndex}
            onClick={() => onRevoke(token)}
          >
            Revoke
          </button>
        </div>
      </td>
    </>
  );
});

/**
 * "Tell the owner": the e-mail says whether the token expires or has expired, so the link is
 * rebuilt when it expires (the shared clock wakes it then, not every second).
 */
function TellOwnerLink({ token, account }: { token: OwnedTokenView; account: AccountView }) {
  const tabIndex = useRowTabIndex();
  const { expiresAt } = token;
  const now = useClockNow(
    useCallback((t: number) => (expiresAt !== null && expiresAt > t ? expiresAt : null), [expiresAt]),
  );
  const mail = tellOwnerHref(token, account, now);
  if (!mail) return null;
  return (
    // Opened by the OS mail app: the main process lets only such a mailto: out.
    <a
      className="button small quiet"
      href={mail}
      target="_blank"
      rel="noreferrer"
      tabIndex={tabIndex}
      title={`E-mail ${token.ownerEmail ?? ''} about this token`}
    >
      Tell the owner
    </a>
  );
}
