/** The own credential's pure parts: its name, when it is renewed, how it shows, the revoke guard. */
import { describe, expect, it } from 'vitest';
import { isOwnCredential, ownCredentialView, refuseUnconfirmedRevoke } from '@core/own-credential/marks';
import { ownCredentialName } from '@core/own-credential/naming';
import { renewAt } from '@core/own-credential/renew-at';
import { renewalFailure } from '@core/own-credential/scheduler';
import type { AccountRecord } from '@core/storage/schema';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);

const account: AccountRecord = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  kind: 'server',
  label: 'ACME',
  baseUrl: 'https://sq.example.com',
  login: 'grace',
  userName: 'Grace Hopper',
  isAdmin: false,
  serverVersion: '10.7.0.96327',
  addedAt: NOW,
  ownCredential: {
    name: 'Token Vault (laptop)',
    createdAt: NOW,
    expiresAt: NOW + 90 * DAY,
    origin: 'generated',
  },
};

describe('the own credential’s name', () => {
  it('names the app and the computer, made unique against the names taken', () => {
    expect(ownCredentialName('laptop', new Set())).toBe('Token Vault (laptop)');
    expect(ownCredentialName('laptop', new Set(['Token Vault (laptop)']))).toBe('Token Vault (laptop) 2');
    expect(ownCredentialName('laptop', new Set(['Token Vault (laptop)', 'Token Vault (laptop) 2']))).toBe(
      'Token Vault (laptop) 3',
    );
    expect(ownCredentialName('  my\n  laptop ', new Set())).toBe('Token Vault (my laptop)');
    expect(ownCredentialName('', new Set())).toBe('Token Vault (this computer)');
  });

  it('keeps to SonarQube’s 100 characters, with its number', () => {
    const long = 'h'.repeat(300);
    expect(ownCredentialName(long, new Set())).toHaveLength(100);
    const taken = new Set([ownCredentialName(long, new Set())]);
    const second = ownCredentialName(long, taken);
    expect(second).toHaveLength(100);
    expect(second.endsWith(') 2')).toBe(true);
  });
});

describe('renewal time', () => {
  it('when a third of its lifetime remains, or 7 days, whichever comes first', () => {
    expect(renewAt({ createdAt: NOW, expiresAt: NOW + 90 * DAY })).toBe(NOW + 60 * DAY);
    expect(renewAt({ createdAt: NOW, expiresAt: NOW + 30 * DAY })).toBe(NOW + 20 * DAY);
    // A third of 15 days is 5: the 7 days come first.
    expect(renewAt({ createdAt: NOW, expiresAt: NOW + 15 * DAY })).toBe(NOW + 8 * DAY);
    expect(renewAt({ createdAt: NOW, expiresAt: NOW + 21 * DAY })).toBe(NOW + 14 * DAY);
  });

  it('never, for a token that never expires or lives on by use (Cloud)', () => {
    expect(renewAt({ createdAt: NOW, expiresAt: null })).toBeNull();
  });
});

describe('marks and the guard', () => {
  it('marks the own credential and a switch’s successor, of the account’s own user only', () => {
    expect(isOwnCredential(account, 'Token Vault (laptop)')).toBe(true);
    expect(isOwnCredential(account, 'Token Vault (laptop)', 'alan')).toBe(false);
    expect(isOwnCredential(account, 'ci')).toBe(false);
    const switching: AccountRecord = {
      ...account,
      ownCredentialState: {
        switch: {
          purpose: 'renew',
          successor: 'Token Vault (laptop) 2',
          previous: 'Token Vault (laptop)',
          step: 'generated',
          startedAt: NOW,
        },
      },
    };
    expect(isOwnCredential(switching, 'Token Vault (laptop) 2')).toBe(true);
  });

  it('refuses a revoke of it without the confirmation, and only of it', () => {
    expect(() => refuseUnconfirmedRevoke(account, { name: 'Token Vault (laptop)' })).toThrow(
      /is the token the vault signs in with for ACME/,
    );
    expect(() =>
      refuseUnconfirmedRevoke(account, { name: 'Token Vault (laptop)', ownCredentialConfirmed: true }),
    ).not.toThrow();
    expect(() => refuseUnconfirmedRevoke(account, { name: 'ci' })).not.toThrow();
  });

  it('shows its name, expiry and renewal, why there is none, and the offer', () => {
    expect(ownCredentialView(account)).toEqual({
      ownCredential: { name: 'Token Vault (laptop)', expiresAt: NOW + 90 * DAY, renewAt: NOW + 60 * DAY },
      pastedCredentialLeft: false,
    });
    const { ownCredential: _, ...pasted } = account;
    expect(ownCredentialView({ ...pasted, ownCredentialState: { unavailable: 'Refused.' } })).toEqual({
      ownCredentialUnavailable: 'Refused.',
      pastedCredentialLeft: false,
    });
  });
});

describe('a renewal’s failure, in words', () => {
  it('says why, how long the current token works, and what to do', () => {
    expect(renewalFailure(account, 'Insufficient privileges', NOW + 61 * DAY)).toEqual({
      title: "Renewing the vault's token for ACME failed",
      body: 'Insufficient privileges. The current one works until 2027-02-23 09:00 UTC (29 days left). The vault tries again at the next refresh; or replace the credential.',
    });
    expect(renewalFailure(account, 'Refused.', NOW + 91 * DAY).body).toBe(
      'Refused. The current one expired at 2027-02-23 09:00 UTC: replace the credential.',
    );
  });

  it('once renewed, only the previous token is left to revoke', () => {
    const switched: AccountRecord = {
      ...account,
      ownCredentialState: {
        switch: {
          purpose: 'renew',
          successor: 'Token Vault (laptop) 2',
          previous: 'Token Vault (laptop)',
          step: 'switched',
          startedAt: NOW,
        },
      },
    };
    expect(renewalFailure(switched, 'Could not reach sq.example.com.', NOW)).toEqual({
      title: "Revoking the vault's previous token for ACME failed",
      body: 'Could not reach sq.example.com. The vault signs in with its new token; the previous one, "Token Vault (laptop)", is revoked when the vault tries again at the next refresh.',
    });
  });
});
