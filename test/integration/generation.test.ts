/** Before generating: the server's expiration rules, its projects, Cloud organizations, edition. */
import { afterEach, describe, expect, it } from 'vitest';
import type { MaxLifetime } from '../support/sonarqube-server';
import { coreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const NOW = Date.UTC(2026, 10, 25, 9, 0);
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serverAccount(maxTokenLifetime?: MaxLifetime) {
  const server = await startSonarQubeServer({
    flavour: 'server',
    now: NOW,
    maxTokenLifetime,
    projects: [
      { key: 'my-app', name: 'My App' },
      { key: 'billing', name: 'Billing Service' },
    ],
    users: [{ login: 'grace', name: 'Grace', admin: true }],
  });
  servers.push(server);
  const vault = await coreFixture({ now: NOW });
  const credential = server.addToken('grace', { name: 'vault', createdAt: new Date(NOW) });
  const account = await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential });
  return { server, vault, account };
}

describe('generation rules', () => {
  it('a capped Enterprise server: at most today + the cap, no "never expires", the cap named', async () => {
    const { vault, account } = await serverAccount('90 days');
    expect(account.edition).toBe('enterprise');
    expect(await vault.call('tokens.generationRules', { accountId: account.id })).toEqual({
      rolling: false,
      minDate: '2026-11-26',
      maxDate: '2027-02-23',
      noExpirationAllowed: false,
      maxLifetime: '90 days',
    });
    await expect(
      vault.call('tokens.generate', {
        accountId: account.id,
        name: 'too-long',
        type: 'USER_TOKEN',
        expirationDate: '2027-03-01',
      }),
    ).rejects.toThrow(
      'Tokens expiring after 2027-02-23 are not allowed. Please use a valid expiration date.',
    );
  });

  it('an uncapped server allows any future day and no expiration', async () => {
    const { vault, account } = await serverAccount();
    expect(account.edition).toBe('community');
    expect(await vault.call('tokens.generationRules', { accountId: account.id })).toMatchObject({
      maxDate: null,
      noExpirationAllowed: true,
      maxLifetime: null,
    });
  });

  it('Cloud tokens have no date: 60 days after last use', async () => {
    const cloud = await startSonarQubeServer({
      flavour: 'cloud',
      now: NOW,
      organizations: [
        { key: 'acme', name: 'ACME' },
        { key: 'side', name: 'Side project' },
      ],
      projects: [{ key: 'acme_web', name: 'Web', organization: 'acme' }],
      users: [{ login: 'ada', name: 'Ada', organizations: ['acme', 'side'] }],
    });
    servers.push(cloud);
    const vault = await coreFixture({
      now: NOW,
      cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url },
    });
    const credential = cloud.addToken('ada', { name: 'vault', createdAt: new Date(NOW) });

    expect(await vault.call('accounts.organizations', { kind: 'cloud-eu', credential })).toEqual([
      { key: 'acme', name: 'ACME' },
      { key: 'side', name: 'Side project' },
    ]);
    await expect(
      vault.call('accounts.organizations', { kind: 'cloud-us', credential: '0'.repeat(40) }),
    ).rejects.toMatchObject({ code: 'unauthorized' });

    const account = await vault.call('accounts.add', { kind: 'cloud-eu', organization: 'acme', credential });
    expect(account.edition).toBeUndefined();
    expect(await vault.call('tokens.generationRules', { accountId: account.id })).toMatchObject({
      rolling: true,
      maxDate: null,
    });
    expect(await vault.call('projects.search', { accountId: account.id, query: 'web' })).toEqual([
      { key: 'acme_web', name: 'Web' },
    ]);
  });
});

describe('project picker', () => {
  it('finds projects by key or name', async () => {
    const { vault, account } = await serverAccount();
    expect(await vault.call('projects.search', { accountId: account.id, query: 'bill' })).toEqual([
      { key: 'billing', name: 'Billing Service' },
    ]);
    expect(
      (await vault.call('projects.search', { accountId: account.id, query: '' })).map((p) => p.key).sort(),
    ).toEqual(['billing', 'my-app']);
  });
});
