/**
 * A Server whose administrator caps tokens at 90 days, across 200 simulated days: the vault's
 * clock and the server's move together, a day at a time, with a refresh each day. The refresh
 * never fails; the own credential is renewed each time a third of its life is left; one own
 * credential lives on the server at any time, and every predecessor is revoked.
 */
import { afterEach, expect, it } from 'vitest';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);
const OWN = /^Token Vault \(test-laptop\)( \d+)?$/;

let server: TestServer | undefined;
let vault: CoreFixture | undefined;
afterEach(async () => {
  vault?.core.stop();
  await server?.close();
});

it('a 90-day cap across 200 days: renewed before it expires, one own credential at a time', async () => {
  server = await startSonarQubeServer({
    flavour: 'server',
    now: NOW,
    maxTokenLifetime: '90 days',
    users: [{ login: 'grace', name: 'Grace Hopper' }],
  });
  const pasted = server.addToken('grace', {
    name: 'pasted',
    createdAt: new Date(NOW - DAY),
    expirationDate: new Date(Date.UTC(2026, 11, 20)),
  });
  const notifications: { title: string; body: string }[] = [];
  vault = await coreFixture({
    now: NOW,
    refreshEveryMs: DAY,
    notifier: { notify: ({ title, body }) => void notifications.push({ title, body }) },
  });
  server.clock.follow(vault.clock);
  const { id: accountId } = await vault.call('accounts.add', {
    kind: 'server',
    baseUrl: server.url,
    credential: pasted,
    label: 'ACME',
  });
  // The offer taken: the pasted token is revoked; from here on only the vault's own is used.
  await vault.call('tokens.revoke', { accountId, name: 'pasted' });
  await vault.core.start();

  const own = async () => (await vault!.core.store.load()).accounts[0]!.ownCredential!;
  const renewedOn: number[] = [];
  let current = await own();
  const settle = () => Promise.all([vault!.core.ownCredentials.settled(), vault!.core.rotations.settled()]);
  for (let day = 1; day <= 200; day++) {
    await vault.clock.advance(DAY, settle);
    expect(await vault.call('tokens.refreshAll', { reason: 'user' }), `day ${day}`).toEqual({
      refreshed: 1,
      failed: 0,
    });
    await settle();
    const now = await own();
    if (now.name !== current.name) {
      renewedOn.push(day);
      // Renewed once a third of its life (or 7 days) was left, not before, and not after it expired.
      expect(vault.clock.now()).toBeGreaterThanOrEqual(
        current.expiresAt! - (current.expiresAt! - current.createdAt) / 3,
      );
      expect(vault.clock.now()).toBeLessThan(current.expiresAt!);
      current = now;
    }
    const live = server.tokenNames('grace').filter((name) => OWN.test(name));
    expect(live, `day ${day}`).toEqual([current.name]);
    expect(now.problem).toBeUndefined();
  }

  expect(renewedOn).toEqual([60, 120, 180]);
  const revokes = server.requests.filter((r) => r.path === '/api/user_tokens/revoke' && r.status === 204);
  expect(revokes.map((r) => r.params['name'])).toEqual([
    'pasted',
    'Token Vault (test-laptop)',
    'Token Vault (test-laptop) 2',
    'Token Vault (test-laptop)',
  ]);
  expect(server.requests.filter((r) => r.path === '/api/user_tokens/generate')).toHaveLength(4);
  expect(server.requests.filter((r) => r.status === 401)).toEqual([]);
  expect(notifications).toEqual([]);
  const metadata = await vault.core.store.load();
  expect(metadata.tokens).toEqual([]);
  expect(metadata.accounts[0]?.ownCredentialState?.switch).toBeUndefined();
}, 120_000);
