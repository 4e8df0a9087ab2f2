/**
 * A value belongs to one token. SonarQube confirms whose a value is, never which of their tokens:
 * so importing a value the vault already holds, for another token or as a credential, of the
 * same user on the same server (in any of their accounts), is refused, naming where it is held.
 * A legitimate import still passes, and no value or digest goes anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);

describe('importing a value the vault already holds', () => {
  let server: TestServer;
  let cloud: TestServer;
  let vault: CoreFixture;
  let credential: string;
  let bootstrap: string;
  let serverId: string;
  let acmeId: string;
  let labId: string;
  let acmeCredential: string;
  let labCredential: string;
  let adaLaptop: string;

  beforeAll(async () => {
    server = await startSonarQubeServer({
      flavour: 'server',
      now: NOW,
      users: [{ login: 'grace', name: 'Grace' }],
    });
    credential = server.addToken('grace', { name: 'vault', createdAt: new Date(NOW - DAY) });
    bootstrap = server.addToken('grace', { name: 'vault-bootstrap', createdAt: new Date(NOW - DAY) });
    server.addToken('grace', { name: 'forever', createdAt: new Date(NOW - DAY) });
    // The same user in two organizations of one Cloud region: two accounts, one set of tokens.
    cloud = await startSonarQubeServer({
      flavour: 'cloud',
      now: NOW,
      organizations: [
        { key: 'acme', name: 'ACME' },
        { key: 'lab', name: 'Lab' },
      ],
      users: [{ login: 'ada', name: 'Ada', organizations: ['acme', 'lab'] }],
    });
    acmeCredential = cloud.addToken('ada', { name: 'vault-acme', createdAt: new Date(NOW - DAY) });
    labCredential = cloud.addToken('ada', { name: 'vault-lab', createdAt: new Date(NOW - DAY) });
    adaLaptop = cloud.addToken('ada', { name: 'laptop', createdAt: new Date(NOW - DAY) });
    cloud.addToken('ada', { name: 'ci', createdAt: new Date(NOW - DAY) });

    vault = await coreFixture({ now: NOW, cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url } });
    serverId = (
      await vault.call('accounts.add', {
        kind: 'server',
        baseUrl: server.url,
        credential,
        label: 'ACME SonarQube',
        ownCredential: false,
      })
    ).id;
    acmeId = (
      await vault.call('accounts.add', {
        kind: 'cloud-eu',
        organization: 'acme',
        credential: acmeCredential,
        ownCredential: false,
      })
    ).id;
    labId = (
      await vault.call('accounts.add', {
        kind: 'cloud-eu',
        organization: 'lab',
        credential: labCredential,
        ownCredential: false,
      })
    ).id;
    await vault.call('tokens.import', { accountId: serverId, name: 'vault-bootstrap', value: bootstrap });
    await vault.call('tokens.import', { accountId: acmeId, name: 'laptop', value: adaLaptop });
  });
  afterAll(() => Promise.all([server.close(), cloud.close()]));

  const held = async (accountId: string, name: string) => vault.secrets.get(`token/${accountId}/${name}`);

  it("refuses another token's value, naming that token", async () => {
    await expect(
      vault.call('tokens.import', { accountId: serverId, name: 'forever', value: bootstrap }),
    ).rejects.toMatchObject({
      code: 'rejected',
      message: 'This value is already in the vault as "vault-bootstrap": a value belongs to one token.',
    });
    expect(await held(serverId, 'forever')).toBeNull();
    const list = await vault.call('tokens.list', { accountId: serverId });
    expect(list.tokens.filter((t) => t.inVault).map((t) => t.name)).toEqual(['vault-bootstrap']);
  });

  it("refuses the account's own credential", async () => {
    await expect(
      vault.call('tokens.import', { accountId: serverId, name: 'forever', value: ` ${credential} ` }),
    ).rejects.toMatchObject({
      code: 'rejected',
      message:
        'This value is already in the vault as the credential of ACME SonarQube: a value belongs to one token.',
    });
  });

  it("refuses a value held in the same user's other account, naming the token and the account", async () => {
    await expect(
      vault.call('tokens.import', { accountId: labId, name: 'ci', value: adaLaptop }),
    ).rejects.toMatchObject({
      code: 'rejected',
      message: 'This value is already in the vault as "laptop" (acme): a value belongs to one token.',
    });
    await expect(
      vault.call('tokens.import', { accountId: acmeId, name: 'ci', value: labCredential }),
    ).rejects.toMatchObject({
      message: 'This value is already in the vault as the credential of lab: a value belongs to one token.',
    });
    expect(await held(labId, 'ci')).toBeNull();
    expect(await held(acmeId, 'ci')).toBeNull();
  });

  it("still keeps a legitimate value, and the token's own value again", async () => {
    const fresh = server.addToken('grace', { name: 'fresh', createdAt: new Date(NOW) });
    expect(
      await vault.call('tokens.import', { accountId: serverId, name: 'fresh', value: fresh }),
    ).toMatchObject({
      name: 'fresh',
      inVault: true,
    });
    expect(
      (await vault.call('tokens.import', { accountId: serverId, name: 'vault-bootstrap', value: bootstrap }))
        .inVault,
    ).toBe(true);
    expect(await held(serverId, 'fresh')).toBe(fresh);
    // The same user's value in one account is refused in the other only when held: ci's own value goes in.
    const ci = cloud.addToken('ada', { name: 'ci-2', createdAt: new Date(NOW) });
    expect((await vault.call('tokens.import', { accountId: labId, name: 'ci-2', value: ci })).inVault).toBe(
      true,
    );
  });

  it('no value, nor any digest of one, is on disk', async () => {
    const disk = await vault.everythingOnDisk();
    for (const value of [credential, bootstrap, acmeCredential, labCredential, adaLaptop]) {
      expect(disk).not.toContain(value);
      expect(disk).not.toContain(value.slice(-40));
    }
    expect(disk).not.toMatch(/[0-9a-f]{64}/);
  });
});
