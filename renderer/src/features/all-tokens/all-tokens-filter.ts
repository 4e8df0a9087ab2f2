/**
 * Searching, filtering and sorting every account's tokens together. Pure: callers pass the clock.
 */
import type { AccountView, TokenType, TokenView } from '@contract';
import { tokenState } from '@renderer/features/tokens/countdown';
import { byTimeLeft } from '@renderer/features/tokens/token-order';
import { searchNeedle, textMatches, tokenMatches } from '@renderer/features/tokens/token-search';

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
  const expiry = tokenState(token, now, thresholds);
  return state === 'expired' ? expiry === 'expired' : expiry === 'expiring' || expiry === 'critical';
}

function matchesSearch({ token, account }: AccountToken, needle: string): boolean {
  return tokenMatches(token, needle) || textMatches([account.label], needle);
}

/** Whether the query's result depends on the clock: only its expiring and expired filters do. */
export function dependsOnTime(query: Pick<TokenQuery, 'state'>): boolean {
  return query.state === 'expiring' || query.state === 'expired';
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
  const needle = searchNeedle(query.search);
  return rows
    .filter(
      (row) =>
        (query.account === 'all' || row.account.id === query.account) &&
        (query.type === 'all' || row.token.type === query.type) &&
        matchesState(row.token, query.state, now, thresholds) &&
        matchesSearch(row, needle),
    )
    .sort(compare(query.sort));
}
