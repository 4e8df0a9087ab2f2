import type { AccountView, OwnedTokenView } from '../../../../electron/contract';
import { tokenTypeName } from '../../format';
import { useVaultStore } from '../../store/vault-store';
import { CountdownCell } from '../tokens/CountdownCell';
import { ExpiresCell } from '../tokens/TokenRow';
import { tellOwnerHref } from './tell-owner';

interface OverviewTableProps {
  account: AccountView;
  tokens: readonly OwnedTokenView[];
  stale: boolean;
  onRevoke: (token: OwnedTokenView) => void;
}

/** One row per token: whose, which, when it expires, and what the administrator can do. */
export function OverviewTable({ account, tokens, stale, onRevoke }: OverviewTableProps) {
  // The message says when it expires as of now; the link is rebuilt on each tick, which is cheap.
  const now = useVaultStore((s) => s.now);
  return (
    <div className="table-scroll">
      <table aria-label="Expiring tokens of all users" className={stale ? 'tokens stale' : 'tokens'}>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Token</th>
            <th scope="col">Type</th>
            <th scope="col">Expires</th>
            <th scope="col">Time left</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => {
            const yours = token.owner === account.login;
            // The administrator's own tokens are theirs to see to: nobody to write to.
            const mail = yours ? null : tellOwnerHref(token, account, now);
            return (
              <tr key={`${token.owner}\n${token.name}`}>
                <td className="cell-owner">
                  <span className="owner-name">{token.ownerName}</span>
                  <span className="owner-login">
                    {token.owner}
                    {yours ? ' (you)' : ''}
                  </span>
                </td>
                <td className="cell-name">
                  <span className="token-name">{token.name}</span>
                  {token.projectKey && (
                    <span className="token-project" title={token.projectName}>
                      {token.projectKey}
                    </span>
                  )}
                </td>
                <td>{tokenTypeName(token.type)}</td>
                <ExpiresCell token={token} />
                <CountdownCell expiresAt={token.expiresAt} serverSaysExpired={token.serverSaysExpired} />
                <td className="cell-actions">
                  <div className="overview-actions">
                    {mail && (
                      // Opened by the OS mail app: the main process lets only such a mailto: out.
                      <a
                        className="button small quiet"
                        href={mail}
                        target="_blank"
                        rel="noreferrer"
                        title={`E-mail ${token.ownerEmail ?? ''} about this token`}
                      >
                        Tell the owner
                      </a>
                    )}
                    <button type="button" className="button small quiet" onClick={() => onRevoke(token)}>
                      Revoke
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
