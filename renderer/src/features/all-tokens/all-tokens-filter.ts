/**
 * Searching, filtering and sorting every account's tokens together. Pure: callers pass the clock.
 */
import type { AccountView, TokenType, TokenView } from '../../../../electron/contract';
import { expiryState } from '../../../../electron/core/expiry/expiry';
import { byTimeLeft } from '../tokens/token-order';

export interface AccountToken {
  token: TokenView;
  account: AccountView;
}

export type StateFilter = 'all' | 'expiring' | 'expired' | 'not-in-vault' | 'gone';
export type SortKey = 'time-left' | 'name' | 'account';

export interface TokenQuery {
  search: string;
  /** An account id, or 'all'. */
  account: string;
  type: TokenType | 'all';
  state: StateFilter;
  sort: SortKey;
}

export const ALL_TOKENS_QUERY: TokenQuery = {
  search: '',
  account: 'all',
  type: 'all',
  state: 'all',
  sort: 'time-left',
};

function matchesState(
  token: TokenView,
  state: StateFilter,
  now: number,
  thresholds?: readonly number[],
): boolean {
  if (state === 'all') return true;
  if (state === 'gone') return !token.onServer;
  if (state === 'not-in-vault') return !token.inVault;
  if (!token.onServer) return false;
  // The server's verdict wins over our arithmetic, as in the countdown.
  const expiry = token.serverSaysExpired ? 'expired' : expiryState(token.expiresAt, now, thresholds);
  return state === 'expired' ? expiry === 'expired' : expiry === 'expiring' || expiry === 'critical';
}

function matchesSearch({ token, account }: AccountToken, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [token.name, token.projectKey ?? '', account.label].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

function compare(sort: SortKey): (a: AccountToken, b: AccountToken) => number {
  const byAccount = (a: AccountToken, b: AccountToken) => a.account.label.localeCompare(b.account.label);
  switch (sort) {
    case 'time-left':
      return (a, b) => byTimeLeft(a.token, b.token) || byAccount(a, b);
    case 'name':
      return (a, b) => a.token.name.localeCompare(b.token.name) || byAccount(a, b);
    case 'account':
      return (a, b) => byAccount(a, b) || byTimeLeft(a.token, b.token);
  }
}

/** The rows the query keeps, in its order. */
/** `thresholds`: the user's warning thresholds (Settings); the defaults when not loaded yet. */
export function queryTokens(
  rows: readonly AccountToken[],
  query: TokenQuery,
  now: number,
  thresholds?: readonly number[],
): AccountToken[] {
  return rows
    .filter(
      (row) =>
        (query.account === 'all' || row.account.id === query.account) &&
        (query.type === 'all' || row.token.type === query.type) &&
        matchesState(row.token, query.state, now, thresholds) &&
        matchesSearch(row, query.search),
    )
    .sort(compare(query.sort));
}
