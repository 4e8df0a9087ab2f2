import { describe, expect, it } from 'vitest';
import type { TokenView } from '@contract';
import { DAY_MS, HOUR_MS } from '@shared/expiry';
import { trayModel } from '@core/tray-model';
import { Metadata } from '@core/storage/schema';

const NOW = Date.UTC(2026, 5, 1, 9, 0);
const A = 'account-a';
const B = 'account-b';
const view = (accountId: string, name: string, expiresAt: number | null): TokenView => ({
  accountId,
  name,
  createdAt: NOW - 10 * DAY_MS,
  lastUsedAt: null,
  expiresAt,
  expiryBasis: expiresAt === null ? 'never' : 'fixed',
  serverSaysExpired: false,
  inVault: false,
  onServer: true,
  keepAlive: false,
});
const account = (id: string, label: string) => ({
  id,
  kind: 'server' as const,
  label,
  baseUrl: 'https://sq.example.com',
  login: 'grace',
  userName: 'Grace',
  isAdmin: false,
  serverVersion: '10.7',
  addedAt: 0,
});

function metadata(tokens: Record<string, TokenView[]>, patch: { muted?: string[]; held?: string[] } = {}) {
  return Metadata.parse({
    version: 1,
    accounts: [account(A, 'ACME'), account(B, 'Lab')],
    tokens: (patch.held ?? []).map((name) => ({ accountId: A, name, storedAt: 0 })),
    settings: { mutedAccounts: patch.muted ?? [] },
    snapshots: Object.fromEntries(
      Object.entries(tokens).map(([id, list]) => [id, { refreshedAt: NOW, tokens: list }]),
    ),
  });
}

describe('tray model', () => {
  it('lists the soonest-expiring tokens first, grouped by account, copyable only when held', () => {
    const model = trayModel(
      metadata(
        {
          [A]: [
            view(A, 'ci-main', NOW + 2 * DAY_MS),
            view(A, 'deploy', NOW + 40 * DAY_MS),
            view(A, 'forever', null),
          ],
          [B]: [view(B, 'nightly', NOW + 5 * HOUR_MS), view(B, 'old', NOW - 30 * DAY_MS)],
        },
        { held: ['ci-main'] },
      ),
      NOW,
    );
    expect(model.state).toBe('expiring');
    expect(model.tooltip).toBe('Token Vault for SonarQube\nSoonest: nightly (Lab) in 5 hours');
    expect(model.groups).toEqual([
      {
        accountLabel: 'Lab',
        tokens: [
          {
            ref: { accountId: B, name: 'nightly' },
            label: 'nightly (5 hours)',
            state: 'expiring',
            canCopy: false,
          },
        ],
      },
      {
        accountLabel: 'ACME',
        tokens: [
          {
            ref: { accountId: A, name: 'ci-main' },
            label: 'ci-main (2 days)',
            state: 'expiring',
            canCopy: true,
          },
          { ref: { accountId: A, name: 'deploy' }, label: 'deploy (40 days)', state: 'ok', canCopy: false },
        ],
      },
    ]);
  });

  it('turns red for a token expired within a week, not for old expired ones', () => {
    expect(trayModel(metadata({ [A]: [view(A, 'x', NOW - DAY_MS)] }), NOW)).toMatchObject({
      state: 'expired',
      tooltip: 'Token Vault for SonarQube\n1 expired recently\nNo token expires soon',
    });
    expect(trayModel(metadata({ [A]: [view(A, 'x', NOW - 8 * DAY_MS)] }), NOW).state).toBe('ok');
  });

  it('a muted account does not colour the icon, but its tokens stay in the menu', () => {
    const model = trayModel(metadata({ [B]: [view(B, 'nightly', NOW + HOUR_MS / 2)] }, { muted: [B] }), NOW);
    expect(model.state).toBe('ok');
    expect(model.groups[0]?.tokens[0]?.state).toBe('critical');
  });

  it('shows at most ten tokens and says when notifications are paused', () => {
    const many = Array.from({ length: 15 }, (_, i) => view(A, `t${i}`, NOW + (i + 1) * DAY_MS));
    const model = trayModel(
      {
        ...metadata({ [A]: many }),
        settings: { ...metadata({}).settings, notificationsPausedUntil: NOW + HOUR_MS },
      },
      NOW,
    );
    expect(model.groups[0]?.tokens.map((t) => t.ref.name)).toEqual([
      't0',
      't1',
      't2',
      't3',
      't4',
      't5',
      't6',
      't7',
      't8',
      't9',
    ]);
    expect(model.paused).toBe(true);
  });
});
