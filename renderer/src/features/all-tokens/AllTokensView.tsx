import { useMemo, useState } from 'react';
import { TOKEN_TYPES, type TokenType } from '../../../../electron/contract';
import { TOKEN_TYPE_NAMES, tokenTypeName } from '../../format';
import { useVaultStore } from '../../store/vault-store';
import { CountdownCell } from '../tokens/CountdownCell';
import { ExpiresCell } from '../tokens/TokenRow';
import {
  ALL_TOKENS_QUERY,
  queryTokens,
  type AccountToken,
  type SortKey,
  type StateFilter,
  type TokenQuery,
} from './all-tokens-filter';

const STATE_NAMES: Readonly<Record<StateFilter, string>> = {
  all: 'All states',
  expiring: 'Expiring',
  expired: 'Expired',
  'not-in-vault': 'Not in vault',
  gone: 'Gone from server',
};

const SORT_NAMES: Readonly<Record<SortKey, string>> = {
  'time-left': 'Time left',
  name: 'Name',
  account: 'Account',
};

/**
 * Every account's tokens together, to search, filter and sort. The rows come from the store's
 * per-account lists (filled by 'tokens.all' when this view opens, kept fresh by tokens.changed);
 * a token's name opens its account, where Copy and Reveal are.
 */
export function AllTokensView() {
  const accounts = useVaultStore((s) => s.accounts);
  const tokens = useVaultStore((s) => s.tokens);
  const loading = useVaultStore((s) => s.allTokensLoading);
  const error = useVaultStore((s) => s.allTokensError);
  const reload = useVaultStore((s) => s.loadAllTokens);
  const now = useVaultStore((s) => s.now);
  const [query, setQuery] = useState<TokenQuery>(ALL_TOKENS_QUERY);

  const rows = useMemo<AccountToken[]>(
    () =>
      accounts.flatMap((account) =>
        (tokens[account.id]?.list?.tokens ?? []).map((token) => ({ token, account })),
      ),
    [accounts, tokens],
  );
  const thresholds = useVaultStore((s) => s.settings?.thresholdsMs);
  const shown = queryTokens(rows, query, now, thresholds);
  const staleLabels = accounts.filter((a) => tokens[a.id]?.list?.stale).map((a) => a.label);
  const update = (patch: Partial<TokenQuery>) => setQuery((q) => ({ ...q, ...patch }));

  return (
    <div className="pane">
      <div className="pane-header">
        <div className="pane-title">
          <h1>All tokens</h1>
          <p className="muted">Every account&apos;s tokens, as the vault last listed them</p>
        </div>
      </div>
      <div className="all-tokens-filters" role="search">
        <div className="field grow">
          <label htmlFor="all-tokens-search">Search tokens</label>
          <input
            id="all-tokens-search"
            type="search"
            placeholder="Name, project or account"
            value={query.search}
            onChange={(e) => update({ search: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="all-tokens-account">Account</label>
          <select
            id="all-tokens-account"
            value={query.account}
            onChange={(e) => update({ account: e.target.value })}
          >
            <option value="all">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="all-tokens-type">Type</label>
          <select
            id="all-tokens-type"
            value={query.type}
            onChange={(e) => update({ type: e.target.value as TokenType | 'all' })}
          >
            <option value="all">All types</option>
            {TOKEN_TYPES.map((type) => (
              <option key={type} value={type}>
                {TOKEN_TYPE_NAMES[type]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="all-tokens-state">State</label>
          <select
            id="all-tokens-state"
            value={query.state}
            onChange={(e) => update({ state: e.target.value as StateFilter })}
          >
            {Object.entries(STATE_NAMES).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="all-tokens-sort">Sort by</label>
          <select
            id="all-tokens-sort"
            value={query.sort}
            onChange={(e) => update({ sort: e.target.value as SortKey })}
          >
            {Object.entries(SORT_NAMES).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <section className="token-section" aria-busy={loading}>
        {error && (
          <div role="alert" className="inline-error">
            <p>{error}</p>
            <button type="button" className="button small" onClick={() => void reload()}>
              Retry
            </button>
          </div>
        )}
        {staleLabels.length > 0 && (
          <p role="status" className="stale-banner">
            Last known tokens of {staleLabels.join(', ')}: the server could not be asked just now.
          </p>
        )}
        <p className="all-tokens-count" aria-live="polite">
          {shown.length} of {rows.length} tokens
        </p>
        {rows.length === 0 && loading && <p className="placeholder">Loading tokens…</p>}
        {rows.length > 0 && shown.length === 0 && <p className="placeholder">No token matches</p>}
        {shown.length > 0 && <AllTokensTable rows={shown} />}
      </section>
    </div>
  );
}

function AllTokensTable({ rows }: { rows: AccountToken[] }) {
  const focusToken = useVaultStore((s) => s.focusToken);
  return (
    <div className="table-scroll">
      <table aria-label="All tokens" className="tokens all-tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Account</th>
            <th scope="col">Type</th>
            <th scope="col">Expires</th>
            <th scope="col">Time left</th>
            <th scope="col">Vault</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ token, account }) => (
            <tr key={`${account.id}/${token.name}`} className={token.onServer ? undefined : 'gone'}>
              <td className="cell-name">
                <button
                  type="button"
                  className="token-name link-button"
                  title={`Open ${account.label}`}
                  onClick={() => focusToken({ accountId: account.id, name: token.name })}
                >
                  {token.name}
                </button>
                {token.projectKey && (
                  <span className="token-project" title={token.projectName}>
                    {token.projectKey}
                  </span>
                )}
              </td>
              <td className="cell-account">{account.label}</td>
              <td>{tokenTypeName(token.type)}</td>
              {token.onServer ? (
                <>
                  <ExpiresCell token={token} />
                  <CountdownCell expiresAt={token.expiresAt} serverSaysExpired={token.serverSaysExpired} />
                </>
              ) : (
                <td colSpan={2}>
                  <span className="badge gone">Gone from server</span>
                </td>
              )}
              <td className="cell-vault">
                {token.inVault ? (
                  <span className="badge in-vault">In vault</span>
                ) : (
                  <span className="muted">Not in vault</span>
                )}
                {token.keepAlive && <span className="cell-hint">Kept alive</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
