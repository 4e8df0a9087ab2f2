import { describe, expect, it } from 'vitest';
import type { AccountView, TokenView } from '@contract';
import { DAY_MS, HOUR_MS } from '@shared/expiry';
import {
  ALL_TOKENS_QUERY,
  queryTokens,
  type AccountToken,
} from '@renderer/features/all-tokens/all-tokens-filter';

const NOW = Date.UTC(2026, 10, 25, 12);

function account(id: string, label: string): AccountView {
  return {
    id,
    kind: 'server',
    label,
    baseUrl: 'https://sq.example.com',
    login: 'grace',
    userName: 'Grace',
    isAdmin: false,
    serverVersion: '10.7',
    insecureHttp: false,
    addedAt: 0,
    status: 'ok',
  };
}

function token(accountId: string, name: string, patch: Partial<TokenView> = {}): TokenView {
  return {
    accountId,
    name,
    type: 'USER_TOKEN',
    createdAt: 0,
    lastUsedAt: null,
    expiresAt: null,
    expiryBasis: 'never',
    serverSaysExpired: false,
    inVault: false,
    onServer: true,
    keepAlive: false,
    ...patch,
  };
}

const acme = account('acme-0001', 'ACME SonarQube');
const engines = account('engines-01', 'Analytical Engines');
const rows: AccountToken[] = [
  {
    account: acme,
    token: token(acme.id, 'ci-payments', {
      type: 'PROJECT_ANALYSIS_TOKEN',
      projectKey: 'payments',
      expiresAt: NOW + 12 * DAY_MS,
    }),
  },
  { account: acme, token: token(acme.id, 'release-bot', { expiresAt: NOW + HOUR_MS / 2 }) },
  { account: acme, token: token(acme.id, 'legacy', { expiresAt: NOW - DAY_MS, inVault: true }) },
  { account: engines, token: token(engines.id, 'laptop', { inVault: true }) },
  { account: engines, token: token(engines.id, 'gone-one', { onServer: false, inVault: true }) },
];

const names = (query: Partial<typeof ALL_TOKENS_QUERY>) =>
  queryTokens(rows, { ...ALL_TOKENS_QUERY, ...query }, NOW).map((r) => r.token.name);

describe('queryTokens', () => {
  it('sorts by time left by default: gone, expired, soonest, never last', () => {
    expect(names({})).toEqual(['gone-one', 'legacy', 'release-bot', 'ci-payments', 'laptop']);
  });

  it('searches names, project keys and account labels, whatever the case', () => {
    expect(names({ search: 'CI' })).toEqual(['ci-payments']);
    expect(names({ search: 'payments' })).toEqual(['ci-payments']);
    expect(names({ search: 'analytical' })).toEqual(['gone-one', 'laptop']);
  });

  it('filters by account, type and state', () => {
    expect(names({ account: engines.id })).toEqual(['gone-one', 'laptop']);
    expect(names({ type: 'PROJECT_ANALYSIS_TOKEN' })).toEqual(['ci-payments']);
    expect(names({ state: 'expiring' })).toEqual(['release-bot', 'ci-payments']);
    expect(names({ state: 'expired' })).toEqual(['legacy']);
    expect(names({ state: 'not-in-vault' })).toEqual(['release-bot', 'ci-payments']);
    expect(names({ state: 'gone' })).toEqual(['gone-one']);
  });

  it('sorts by name or by account', () => {
    expect(names({ sort: 'name' })).toEqual(['ci-payments', 'gone-one', 'laptop', 'legacy', 'release-bot']);
    expect(names({ sort: 'account' })).toEqual([
      'legacy',
      'release-bot',
      'ci-payments',
      'gone-one',
      'laptop',
    ]);
  });
});

describe('all tokens: the user thresholds decide what is expiring', () => {
  it('10 days left is expiring under the default 14 days, not under a 7-day first warning', () => {
    const rows: AccountToken[] = [
      {
        account: account('account-a', 'ACME'),
        token: token('account-a', 'ci', { expiresAt: NOW + 10 * DAY_MS, expiryBasis: 'fixed' }),
      },
    ];
    const expiring = { ...ALL_TOKENS_QUERY, state: 'expiring' as const };
    expect(queryTokens(rows, expiring, NOW).map((r) => r.token.name)).toEqual(['ci']);
    expect(queryTokens(rows, expiring, NOW, [7 * DAY_MS, HOUR_MS])).toEqual([]);
  });
});
