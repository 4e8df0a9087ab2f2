/** Cloud keep-alive: an opted-in held token is used before its 60-day window closes. */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '@shared/expiry';
import { coreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const NOW = Date.UTC(2026, 10, 25, 9, 0);
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function cloudVault() {
  const cloud = await startSonarQubeServer({
    flavour: 'cloud',
    now: NOW,
    organizations: [{ key: 'acme', name: 'ACME' }],
    users: [{ login: 'ada', name: 'Ada', organizations: ['acme'] }],
  });
  servers.push(cloud);
  const vault = await coreFixture({ now: NOW, cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url } });
  const credential = cloud.addToken('ada', { name: 'vault', createdAt: new Date(NOW) });
  const account = await vault.call('accounts.add', { kind: 'cloud-eu', organization: 'acme', credential });
  // Checking the pasted value signs in with it, which is a use: its window restarts now.
  const value = cloud.addToken('ada', {
    name: 'ci',
    createdAt: new Date(NOW - 90 * DAY_MS),
    lastConnectionDate: new Date(NOW - 50 * DAY_MS),
  });
  await vault.call('tokens.import', { accountId: account.id, name: 'ci', value });
  return { cloud, vault, account };
}

describe('Cloud keep-alive', () => {
  it('uses an opted-in token once less than a week is left, and shows the renewed expiry', async () => {
    const { cloud, vault, account } = await cloudVault();
    const view = await vault.call('tokens.setKeepAlive', {
      accountId: account.id,
      name: 'ci',
      enabled: true,
    });
    expect(view).toMatchObject({ keepAlive: true, expiresAt: NOW + 60 * DAY_MS, expiryBasis: 'rolling' });

    // 54 days on (6 left): the next refresh uses the token, which renews its window.
    cloud.clock.advance(54 * DAY_MS);
    await vault.clock.advance(54 * DAY_MS, () => new Promise((r) => setTimeout(r, 20)));
    await vault.call('tokens.refreshAll', { reason: 'user' });
    const ci = (await vault.call('tokens.list', { accountId: account.id })).tokens.find(
      (t) => t.name === 'ci',
    );
    expect(ci?.lastUsedAt).toBe(NOW + 54 * DAY_MS);
    expect(ci?.expiresAt).toBe(NOW + 114 * DAY_MS);
    expect(cloud.tokenNames('ada')).toContain('ci');
  });

  it('a token not opted in is left to expire', async () => {
    const { cloud, vault, account } = await cloudVault();
    cloud.clock.advance(54 * DAY_MS);
    await vault.clock.advance(54 * DAY_MS, () => new Promise((r) => setTimeout(r, 20)));
    await vault.call('tokens.refreshAll', { reason: 'user' });
    const ci = (await vault.call('tokens.list', { accountId: account.id })).tokens.find(
      (t) => t.name === 'ci',
    );
    expect(ci?.expiresAt).toBe(NOW + 60 * DAY_MS);
  });

  it('refuses Server accounts and values the vault does not hold', async () => {
    const { vault, account } = await cloudVault();
    await expect(
      vault.call('tokens.setKeepAlive', { accountId: account.id, name: 'vault', enabled: true }),
    ).rejects.toThrow('Keeping "vault" alive needs its value: import it first.');
    const server = await startSonarQubeServer({
      flavour: 'server',
      users: [{ login: 'grace', name: 'Grace' }],
    });
    servers.push(server);
    const credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
    const serverAccount = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential,
    });
    await expect(
      vault.call('tokens.setKeepAlive', { accountId: serverAccount.id, name: 'vault', enabled: true }),
    ).rejects.toThrow(/Only SonarQube Cloud tokens expire from disuse/);
  });
});
