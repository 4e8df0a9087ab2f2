import { useCallback, useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import type { AccountView, TokenList, TokenView } from '@contract';
import { formatTime } from '@renderer/format';
import { useVaultStore, type TokenListState } from '@renderer/store/vault-store';
import { KeyHints } from '@renderer/ui/KeyHints';
import { useFindShortcut, useFindShortcutLabel } from '@renderer/ui/use-find-shortcut';
import { VirtualTable, type Column, type RowDetail } from '@renderer/ui/VirtualTable';
import { staleText } from './lifecycle-text';
import type { TokenActionKind } from './token-actions';
import { byTimeLeft } from './token-order';
import { searchNeedle, tokenMatches } from './token-search';
import { TokenDetail } from './TokenDetail';
import { canCopy, TokenCells } from './TokenRow';

interface TokenTableProps {
  account: AccountView;
  state: TokenListState | undefined;
  onRetry: () => void;
  onAction: (kind: TokenActionKind, token: TokenView) => void;
}

/**
 * The account's tokens, soonest to expire first, with a filter, loading, empty, stale and error
 * states. The last known list shows while the server is asked again, with a quiet mark saying so.
 */
export function TokenTable({ account, state, onRetry, onAction }: TokenTableProps) {
  const list = state?.list;
  const loading = state?.loading ?? true;
  const [filter, setFilter] = useState('');
  // Typing stays responsive over thousands of rows: the filter follows a beat behind.
  const needle = searchNeedle(useDeferredValue(filter));
  const sorted = useMemo(() => (list ? [...list.tokens].sort(byTimeLeft) : []), [list]);
  const shown = useMemo(
    () => (needle ? sorted.filter((t) => tokenMatches(t, needle)) : sorted),
    [sorted, needle],
  );
  const stale = Boolean(state?.error) || Boolean(list?.stale);

  return (
    <section className="token-section" aria-busy={loading}>
      {state?.error && (
        <div role="alert" className="inline-error">
          <p>{state.error}</p>
          <button type="button" className="button small" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
      {/* A failed call already says why above; a stale list says when it is from. */}
      {list?.stale && !state?.error && <StaleBanner list={list} retrying={loading} onRetry={onRetry} />}
      {!list && !state?.error && <p className="placeholder">Loading tokens…</p>}
      {list && (
        <div className="table-toolbar">
          {sorted.length > 0 && <FilterField value={filter} onChange={setFilter} />}
          <p className="table-count">
            {shown.length === sorted.length
              ? countText(sorted.length)
              : `${shown.length.toLocaleString()} of ${countText(sorted.length)}`}
            {sorted.length > 1 && ', soonest to expire first'}
          </p>
          <RefreshMark loading={loading} list={list} />
        </div>
      )}
      {list && sorted.length === 0 && <p className="placeholder">No tokens on this account yet</p>}
      {sorted.length > 0 && shown.length === 0 && <p className="placeholder">No token matches</p>}
      {shown.length > 0 && <Table account={account} tokens={shown} stale={stale} onAction={onAction} />}
      {shown.length > 0 && <KeyHints enter="copies a held value, else opens its details" details find />}
    </section>
  );
}

function countText(count: number): string {
  return count === 1 ? '1 token' : `${count.toLocaleString()} tokens`;
}

/** The filter over the account's rows; Ctrl+F (⌘F) comes here. */
function FilterField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const field = useRef<HTMLInputElement>(null);
  const id = useId();
  const shortcut = useFindShortcutLabel();
  useFindShortcut(field);
  return (
    <div className="filter-field">
      <label htmlFor={id} className="sr-only">
        Filter tokens
      </label>
      <input
        ref={field}
        id={id}
        type="search"
        value={value}
        placeholder={`Filter by name or project (${shortcut.label})`}
        title={`Filter tokens (${shortcut.label})`}
        aria-keyshortcuts={shortcut.aria}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
    </div>
  );
}

/** Quietly says the list on screen is being asked for again, or when it is from. */
function RefreshMark({ loading, list }: { loading: boolean; list: TokenList }) {
  return (
    // Not a live region: a refresh every few minutes is nothing to announce (the section is aria-busy).
    <p className="refresh-mark">
      {loading ? (
        <>
          <span className="spinner" aria-hidden="true" />
          Refreshing…
        </>
      ) : (
        `Updated ${formatTime(list.refreshedAt)}`
      )}
    </p>
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

/** The column headings of a token table; other users' tokens have no Vault column. */
export function tokenColumns(vaultColumn: boolean): Column[] {
  return [
    { key: 'name', header: 'Name' },
    { key: 'type', header: 'Type' },
    { key: 'created', header: 'Created' },
    { key: 'last-used', header: 'Last used' },
    { key: 'expires', header: 'Expires' },
    { key: 'time-left', header: 'Time left' },
    ...(vaultColumn ? [{ key: 'vault', header: 'Vault' }] : []),
    { key: 'actions', header: <span className="sr-only">Actions</span> },
  ];
}

const ACCOUNT_COLUMNS = tokenColumns(true);
const tokenKey = (token: TokenView) => token.name;

interface TableProps {
  account: AccountView;
  tokens: readonly TokenView[];
  stale: boolean;
  onAction: (kind: TokenActionKind, token: TokenView) => void;
}

function Table({ account, tokens, stale, onAction }: TableProps) {
  const copyToken = useVaultStore((s) => s.copyToken);
  const highlight = useVaultStore((s) => (s.highlight?.accountId === account.id ? s.highlight.name : null));
  const [openKey, setOpenKey] = useState<string | null>(null);
  const cloud = account.kind !== 'server';
  // A notice about a token whose value is delivered offers "Rotate and deliver": its detail has it.
  const [seenHighlight, setSeenHighlight] = useState(highlight);
  if (highlight !== seenHighlight) {
    setSeenHighlight(highlight);
    if (highlight !== null && tokens.find((t) => t.name === highlight)?.deliveryTargets)
      setOpenKey(highlight);
  }

  const renderCells = useCallback(
    (token: TokenView) => <TokenCells token={token} cloud={cloud} onAction={onAction} />,
    [cloud, onAction],
  );
  const rowClassName = useCallback(
    (token: TokenView) =>
      [token.name === highlight && 'highlighted', !token.onServer && 'gone'].filter(Boolean).join(' ') ||
      undefined,
    [highlight],
  );
  const detail = useMemo<RowDetail<TokenView>>(
    () => ({
      openKey,
      onOpenChange: setOpenKey,
      render: (token) => <TokenDetail token={token} account={account} />,
    }),
    [openKey, account],
  );
  // Enter copies a held value (in the core, like the button); any other row opens its detail.
  const onEnter = useCallback(
    (token: TokenView) => {
      if (canCopy(token)) void copyToken({ accountId: token.accountId, name: token.name });
      else setOpenKey((open) => (open === token.name ? null : token.name));
    },
    [copyToken],
  );

  return (
    <VirtualTable
      label="Tokens"
      className={stale ? 'tokens stale' : 'tokens'}
      scrollClassName="fill"
      columns={ACCOUNT_COLUMNS}
      rows={tokens}
      rowKey={tokenKey}
      renderCells={renderCells}
      rowClassName={rowClassName}
      estimateRowHeight={56}
      onEnter={onEnter}
      detail={detail}
      focusKey={highlight}
    />
  );
}
