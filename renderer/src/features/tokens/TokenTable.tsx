import { useMemo } from 'react';
import type { TokenList, TokenView } from '../../../../electron/contract';
import { formatDateTime } from '../../format';
import type { TokenListState } from '../../store/vault-store';
import { staleText } from './lifecycle-text';
import type { TokenActionKind } from './token-actions';
import { byTimeLeft } from './token-order';
import { TokenRow } from './TokenRow';

interface TokenTableProps {
  state: TokenListState | undefined;
  /** A Cloud account: its held tokens can be kept alive. */
  cloud?: boolean;
  onRetry: () => void;
  onAction: (kind: TokenActionKind, token: TokenView) => void;
}

/** The account's tokens, soonest to expire first, with loading, empty, stale and error states. */
export function TokenTable({ state, cloud = false, onRetry, onAction }: TokenTableProps) {
  const list = state?.list;
  const sorted = useMemo(() => (list ? [...list.tokens].sort(byTimeLeft) : []), [list]);
  const stale = Boolean(state?.error) || Boolean(list?.stale);

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
      {/* A failed call already says why above; a stale list says when it is from. */}
      {list?.stale && !state?.error && (
        <StaleBanner list={list} retrying={state?.loading ?? false} onRetry={onRetry} />
      )}
      {!list && !state?.error && <p className="placeholder">Loading tokens…</p>}
      {list && sorted.length === 0 && <p className="placeholder">No tokens on this account yet</p>}
      {sorted.length > 0 && <Table tokens={sorted} stale={stale} cloud={cloud} onAction={onAction} />}
      {list && (
        <p className="table-note muted">
          {state?.loading ? 'Refreshing…' : `Updated ${formatDateTime(list.refreshedAt)}`} · soonest to expire
          first
        </p>
      )}
    </section>
  );
}

interface StaleBannerProps {
  list: TokenList;
  retrying: boolean;
  onRetry: () => void;
}

/** The server could not be asked just now: the rows below are its last answer. */
function StaleBanner({ list, retrying, onRetry }: StaleBannerProps) {
  return (
    <div role="status" className="stale-banner">
      <p>{staleText(list)}</p>
      <button
        type="button"
        className="button small"
        onClick={() => {
          if (!retrying) onRetry();
        }}
        aria-disabled={retrying}
      >
        Retry
      </button>
    </div>
  );
}

interface TableProps {
  tokens: TokenView[];
  stale: boolean;
  cloud: boolean;
  onAction: (kind: TokenActionKind, token: TokenView) => void;
}

function Table({ tokens, stale, cloud, onAction }: TableProps) {
  return (
    <div className="table-scroll">
      <table aria-label="Tokens" className={stale ? 'tokens stale' : 'tokens'}>
        <TokenTableHead vaultColumn />
        <tbody>
          {tokens.map((token) => (
            <TokenRow
              key={`${token.accountId}/${token.name}`}
              token={token}
              cloud={cloud}
              onAction={onAction}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The column headings of a token table; other users' tokens have no Vault column. */
export function TokenTableHead({ vaultColumn }: { vaultColumn: boolean }) {
  return (
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Type</th>
        <th scope="col">Created</th>
        <th scope="col">Last used</th>
        <th scope="col">Expires</th>
        <th scope="col">Time left</th>
        {vaultColumn && <th scope="col">Vault</th>}
        <th scope="col">
          <span className="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );
}
