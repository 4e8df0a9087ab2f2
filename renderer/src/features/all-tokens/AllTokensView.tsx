import { memo, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import { TOKEN_TYPES, type TokenType } from '@contract';
import { TOKEN_TYPE_NAMES, tokenTypeName } from '@renderer/format';
import { useClockNow } from '@renderer/store/clock';
import { useVaultStore } from '@renderer/store/vault-store';
import { KeyHints } from '@renderer/ui/KeyHints';
import { useFindShortcut, useFindShortcutLabel } from '@renderer/ui/use-find-shortcut';
import {
  WithDetailToggle,
  useRowTabIndex,
  VirtualTable,
  type Column,
  type RowDetail,
} from '@renderer/ui/VirtualTable';
import { earliest, nextStateChange } from '@renderer/features/tokens/countdown';
import { CountdownCell } from '@renderer/features/tokens/CountdownCell';
import { TokenDetail } from '@renderer/features/tokens/TokenDetail';
import { canCopy, ExpiresCell } from '@renderer/features/tokens/TokenRow';
import {
  ALL_TOKENS_QUERY,
  dependsOnTime,
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
 * a token's name opens its account, where Reveal and the other actions are; Enter on a row copies
 * a held value, or opens the row's detail.
 */
export function AllTokensView() {
  const accounts = useVaultStore((s) => s.accounts);
  const tokens = useVaultStore((s) => s.tokens);
  const loading = useVaultStore((s) => s.allTokensLoading);
  const error = useVaultStore((s) => s.allTokensError);
  const reload = useVaultStore((s) => s.loadAllTokens);
  const thresholds = useVaultStore((s) => s.settings?.thresholdsMs);
  const [query, setQuery] = useState<Omit<TokenQuery, 'search'>>(ALL_TOKENS_QUERY);
  const [searchText, setSearchText] = useState('');
  // Typing stays responsive over thousands of rows: the search follows a beat behind.
  const search = useDeferredValue(searchText);
  const searchField = useRef<HTMLInputElement>(null);
  const shortcut = useFindShortcutLabel();
  useFindShortcut(searchField);

  const rows = useMemo<AccountToken[]>(
    () =>
      accounts.flatMap((account) =>
        (tokens[account.id]?.list?.tokens ?? []).map((token) => ({ token, account })),
      ),
    [accounts, tokens],
  );
  // The clock matters only to the expiring and expired filters, and only when a row crosses over.
  const timed = dependsOnTime(query);
  const nextChange = useCallback(
    (now: number) =>
      timed ? earliest(rows.map(({ token }) => nextStateChange(token, now, thresholds))) : null,
    [timed, rows, thresholds],
  );
  const now = useClockNow(nextChange);
  const shown = useMemo(
    () => queryTokens(rows, { ...query, search }, now, thresholds),
    [rows, query, search, now, thresholds],
  );
  const staleLabels = accounts.filter((a) => tokens[a.id]?.list?.stale).map((a) => a.label);
  const update = (patch: Partial<Omit<TokenQuery, 'search'>>) => setQuery((q) => ({ ...q, ...patch }));

  return (
    <div className="pane fill">
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
            ref={searchField}
            id="all-tokens-search"
            type="search"
            title={`Search tokens (${shortcut.label})`}
            aria-keyshortcuts={shortcut.aria}
            placeholder={`Name, project or account (${shortcut.label})`}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
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
          {shown.length.toLocaleString()} of {rows.length.toLocaleString()} tokens
        </p>
        {rows.length === 0 && loading && <p className="placeholder">Loading tokens…</p>}
        {rows.length > 0 && shown.length === 0 && <p className="placeholder">No token matches</p>}
        {shown.length > 0 && <AllTokensTable rows={shown} />}
        {shown.length > 0 && <KeyHints enter="copies a held value, else opens its details" details find />}
      </section>
    </div>
  );
}

const COLUMNS: readonly Column[] = [
  { key: 'name', header: 'Name' },
  { key: 'account', header: 'Account' },
  { key: 'type', header: 'Type' },
  { key: 'expires', header: 'Expires' },
  { key: 'time-left', header: 'Time left' },
  { key: 'vault', header: 'Vault' },
];

const rowKey = ({ token, account }: AccountToken) => `${account.id}/${token.name}`;
const rowClassName = ({ token }: AccountToken) => (token.onServer ? undefined : 'gone');
const renderCells = (row: AccountToken) => <AllTokensCells token={row.token} account={row.account} />;

function AllTokensTable({ rows }: { rows: readonly AccountToken[] }) {
  const copyToken = useVaultStore((s) => s.copyToken);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const detail = useMemo<RowDetail<AccountToken>>(
    () => ({
      openKey,
      onOpenChange: setOpenKey,
      render: ({ token, account }) => <TokenDetail token={token} account={account} />,
    }),
    [openKey],
  );
  const onEnter = useCallback(
    (row: AccountToken) => {
      if (canCopy(row.token)) void copyToken({ accountId: row.account.id, name: row.token.name });
      else setOpenKey((open) => (open === rowKey(row) ? null : rowKey(row)));
    },
    [copyToken],
  );
  return (
    <VirtualTable
      label="All tokens"
      className="tokens all-tokens"
      scrollClassName="fill"
      columns={COLUMNS}
      rows={rows}
      rowKey={rowKey}
      renderCells={renderCells}
      rowClassName={rowClassName}
      estimateRowHeight={52}
      onEnter={onEnter}
      detail={detail}
    />
  );
}

/** One row: the name opens its account (where the token's actions are). */
const AllTokensCells = memo(function AllTokensCells({ token, account }: AccountToken) {
  const focusToken = useVaultStore((s) => s.focusToken);
  const tabIndex = useRowTabIndex();
  return (
    <>
      <td className="cell-name">
        <WithDetailToggle>
          <button
            type="button"
            className="token-name link-button"
            title={`Open ${account.label}`}
            tabIndex={tabIndex}
            onClick={() => focusToken({ accountId: account.id, name: token.name })}
          >
            {token.name}
          </button>
          {token.projectKey && (
            <span className="token-project" title={token.projectName}>
              {token.projectKey}
            </span>
          )}
        </WithDetailToggle>
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
    </>
  );
});
