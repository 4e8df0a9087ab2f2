/**
 * The renderer's store in Node, over a stand-in `window.vault`: a token list asked for earlier
 * that arrives later never replaces a fresher one (the new token of a generate stays on screen).
 */
import { describe, expect, it } from 'vitest';
import type { TokenList } from '@contract';

const answers: ((value: unknown) => void)[] = [];
Object.assign(globalThis, {
  window: {
    vault: {
      invoke: () => new Promise((resolve) => answers.push((value) => resolve({ ok: true, value }))),
      on: () => () => undefined,
    },
  },
});
const { useVaultStore } = await import('@renderer/store/vault-store');

const list = (refreshedAt: number, names: string[]): TokenList => ({
  accountId: 'acct',
  refreshedAt,
  stale: false,
  tokens: names.map((name) => ({
    accountId: 'acct',
    name,
    type: 'USER_TOKEN' as const,
    createdAt: 0,
    lastUsedAt: null,
    expiresAt: null,
    expiryBasis: 'never' as const,
    serverSaysExpired: false,
    inVault: false,
    onServer: true,
    keepAlive: false,
  })),
});

describe('token lists in the store', () => {
  it('an older list answered late does not replace the fresher one pushed meanwhile', async () => {
    const store = useVaultStore.getState();
    const loading = store.loadTokens('acct'); // asked at 1000, before the generate
    store.receiveTokens(list(2_000, ['old', 'generated'])); // the list the generate pushed
    answers.shift()!(list(1_000, ['old']));
    await loading;
    const state = useVaultStore.getState().tokens['acct'];
    expect(state?.list?.tokens.map((t) => t.name)).toEqual(['old', 'generated']);
    expect(state?.loading).toBe(false);

    store.receiveTokens(list(3_000, ['old'])); // a later list (the token revoked) does replace it
    expect(useVaultStore.getState().tokens['acct']?.list?.tokens.map((t) => t.name)).toEqual(['old']);
  });
});
