import { describe, expect, it } from 'vitest';
import type { TokenView } from '@contract';
import {
  ownCredentialLine,
  pastedCandidates,
  pastedCredentialLine,
  revokeOwnCredentialText,
} from '@renderer/features/own-credential/own-credential-text';

const display = { locale: 'en-US', timeZone: 'UTC' };
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);

function token(name: string, extra: Partial<TokenView> = {}): TokenView {
  return {
    accountId: 'a1b2c3d4-0000-4000-8000-000000000001',
    name,
    createdAt: NOW - 10 * DAY,
    lastUsedAt: null,
    expiresAt: null,
    expiryBasis: 'never',
    serverSaysExpired: false,
    inVault: false,
    onServer: true,
    keepAlive: false,
    ...extra,
  };
}

describe('own credential texts', () => {
  it('says when a Server token expires and when the vault renews it', () => {
    const own = {
      name: 'Token Vault (laptop)',
      expiresAt: Date.UTC(2027, 1, 23),
      renewAt: Date.UTC(2027, 0, 24),
    };
    expect(ownCredentialLine({ kind: 'server', ownCredential: own }, undefined, display)).toBe(
      "Signs in with the vault's own token, Token Vault (laptop): expires Feb 23, 2027, 12:00 AM; the vault renews it from Jan 24, 2027, 12:00 AM.",
    );
    expect(
      ownCredentialLine(
        { kind: 'server', ownCredential: { ...own, expiresAt: null, renewAt: null } },
        undefined,
      ),
    ).toBe("Signs in with the vault's own token, Token Vault (laptop), which never expires.");
    expect(ownCredentialLine({ kind: 'server' }, undefined)).toBeNull();
  });

  it('Cloud: kept alive by the vault’s use, with the date its row shows', () => {
    const own = { name: 'Token Vault (laptop)', expiresAt: null, renewAt: null };
    expect(
      ownCredentialLine({ kind: 'cloud-eu', ownCredential: own }, { expiresAt: NOW + 60 * DAY }, display),
    ).toBe(
      "Signs in with the vault's own token, Token Vault (laptop): kept alive by the vault's use; expires 60 days after its last use, Jan 24, 2027, 9:00 AM.",
    );
  });

  it('an account on a pasted token: what that means, and why there is no own one', () => {
    expect(pastedCredentialLine(undefined)).toBe(
      'Signs in with the token you pasted: the account stops working when it expires.',
    );
    expect(pastedCredentialLine('The vault could not make its own token: Insufficient privileges')).toMatch(
      /expires\. The vault could not make its own token: Insufficient privileges$/,
    );
  });

  it('names what a revoke of the own credential does', () => {
    expect(revokeOwnCredentialText('Token Vault (laptop)', 'ACME')).toMatch(
      /^Token Vault \(laptop\) is the token the vault signs in with for ACME\. Revoked, the account stops working until it gets a new credential/,
    );
  });
});

describe('the pasted token’s candidates', () => {
  it('the user’s own listed tokens, most recently used first, without the vault’s own', () => {
    const tokens = [
      token('never-used-old', { createdAt: NOW - 50 * DAY }),
      token('used-yesterday', { lastUsedAt: NOW - DAY }),
      token('Token Vault (laptop)', { ownCredential: true, lastUsedAt: NOW }),
      token('used-now', { lastUsedAt: NOW - 60_000 }),
      token('never-used-new', { createdAt: NOW - DAY }),
      token('gone', { onServer: false, lastUsedAt: NOW }),
      token('alans', { owner: 'alan', lastUsedAt: NOW }),
    ];
    expect(pastedCandidates(tokens).map((t) => t.name)).toEqual([
      'used-now',
      'used-yesterday',
      'never-used-new',
      'never-used-old',
    ]);
  });
});
