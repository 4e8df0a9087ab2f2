import { useMemo } from 'react';
import type { TokenView } from '../../../../electron/contract';
import { formatDateTime } from '../../format';
import type { TokenListState } from '../../store/vault-store';
import { byTimeLeft } from './token-order';
import { TokenRow } from './TokenRow';

interface TokenTableProps {
  state: TokenListState | undefined;
  onRetry: () => void;
}

/** The account's tokens, soonest to expire first, with loading, empty and error states. */
export function TokenTable({ state, onRetry }: TokenTableProps) {
  const list = state?.list;
  const sorted = useMemo(() => (list ? [...list.tokens].sort(byTimeLeft) : []), [list]);

  return (
    <section className="token-section" aria-busy={state?.loading ?? true}>
      {state?.error && (
        <div role="alert" className="inline-error">
          <p>{state.error}</p>
          <button type="button" className="button small" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
      {!list && !state?.error && <p className="placeholder">Loading tokens…</p>}
      {list && sorted.length === 0 && <p className="placeholder">No tokens on this account yet</p>}
      {sorted.length > 0 && <Table tokens={sorted} stale={Boolean(state?.error)} />}
      {list && (
        <p className="table-note muted">
          {state?.loading ? 'Refreshing…' : `Updated ${formatDateTime(list.refreshedAt)}`} · soonest to expire
          first
        </p>
      )}
    </section>
  );
}

function Table({ tokens, stale }: { tokens: TokenView[]; stale: boolean }) {
  return (
    <div className="table-scroll">
      <table aria-label="Tokens" className={stale ? 'tokens stale' : 'tokens'}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Time left</th>
            <th scope="col">Vault</th>
            <th scope="col">
              <span className="sr-only">Value</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <TokenRow key={`${token.accountId}/${token.name}`} token={token} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
