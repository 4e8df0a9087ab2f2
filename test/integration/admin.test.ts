/** An administrator acting for another user: list, generate on their behalf, revoke. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '@contract';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

describe('administrator acting for another user', () => {
  let server: TestServer;
  let vault: CoreFixture;
  let admin: AccountView;
  let plain: AccountView;

  beforeAll(async () => {
    server = await startSonarQubeServer({
      flavour: 'server',
      users: [
        { login: 'grace', name: 'Grace Hopper', admin: true },
        { login: 'alan', name: 'Alan Turing', tokens: [{ name: 'laptop', createdAt: new Date() }] },
      ],
    });
    vault = await coreFixture();
    const adminCredential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
    const plainCredential = server.addToken('alan', { name: 'vault', createdAt: new Date() });
    admin = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: adminCredential,
      ownCredential: false,
      label: 'as grace',
    });
    plain = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: plainCredential,
      ownCredential: false,
      label: 'as alan',
    });
  });
  afterAll(() => server.close());

  it('two accounts on one server, different users, are both fine', () => {
    expect([admin.login, admin.isAdmin, plain.login, plain.isAdmin]).toEqual(['grace', true, 'alan', false]);
  });

  it("lists another user's tokens, marked with their owner", async () => {
    const list = await vault.call('tokens.listFor', { accountId: admin.id, login: 'alan' });
    expect(list.tokens.map((t) => [t.name, t.owner, t.inVault])).toEqual([
      ['laptop', 'alan', false],
      ['vault', 'alan', false],
    ]);
  });

  it('without Administer System, says that permission is missing', async () => {
    await expect(vault.call('tokens.listFor', { accountId: plain.id, login: 'grace' })).rejects.toThrow(
      'alan lacks the Administer System permission on as alan, which acting for grace needs.',
    );
    await expect(vault.call('tokens.listFor', { accountId: admin.id, login: 'nobody' })).rejects.toThrow(
      "User with login 'nobody' doesn't exist",
    );
  });

  it('generates a user token for another user: shown once, kept nowhere', async () => {
    const result = await vault.call('tokens.generate', {
      accountId: admin.id,
      name: 'handed-over',
      type: 'USER_TOKEN',
      expirationDate: null,
      login: 'alan',
    });
    expect(result).toMatchObject({
      stored: false,
      forUser: 'alan',
      token: { owner: 'alan', inVault: false },
    });
    expect(server.tokenNames('alan')).toContain('handed-over');
    expect(await vault.secrets.get(`token/${admin.id}/handed-over`)).toBeNull();
    expect(await vault.everythingOnDisk()).not.toContain(result.value);
  });

  it('only user tokens can be generated for another user, refused before any request', async () => {
    const before = server.requests.length;
    await expect(
      vault.call('tokens.generate', {
        accountId: admin.id,
        name: 'ci',
        type: 'GLOBAL_ANALYSIS_TOKEN',
        expirationDate: null,
        login: 'alan',
      }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: /Only user tokens can be generated for another user/,
    });
    expect(server.requests.length).toBe(before);
  });

  it("revokes another user's token; a plain user cannot", async () => {
    await expect(
      vault.call('tokens.revoke', { accountId: plain.id, name: 'vault', login: 'grace' }),
    ).rejects.toThrow(/lacks the Administer System permission/);
    expect(server.tokenNames('grace')).toContain('vault');
    await vault.call('tokens.revoke', { accountId: admin.id, name: 'laptop', login: 'alan' });
    expect(server.tokenNames('alan')).not.toContain('laptop');
  });
});
