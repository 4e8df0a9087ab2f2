/**
 * The vault and the servers' truth: three accounts refreshed together while one is down, values
 * held for tokens that disappeared, revoke, import of a pasted value, a replaced credential.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function serverWith(login: string, tokenNames: string[] = []) {
  const server = await startSonarQubeServer({
    flavour: 'server',
    users: [
      { login, name: login, admin: true },
      { login: 'someone-else', name: 'Someone Else' },
    ],
  });
  servers.push(server);
  const credential = server.addToken(login, { name: 'vault', createdAt: new Date() });
  const values = Object.fromEntries(
    tokenNames.map((name) => [name, server.addToken(login, { name, createdAt: new Date(Date.now() - DAY) })]),
  );
  return { server, credential, values };
}

async function addServerAccount(vault: CoreFixture, server: TestServer, credential: string, label: string) {
  return vault.call('accounts.add', {
    kind: 'server',
    baseUrl: server.url,
    credential,
    label,
    ownCredential: false,
  });
}

/** A direct revoke on the server, as another tool or a colleague would do it. */
async function revokeOnServer(server: TestServer, credential: string, name: string) {
  const response = await fetch(`${server.url}/api/user_tokens/revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name }).toString(),
  });
  expect(response.status).toBe(204);
}

describe('reconciliation', () => {
  it('refreshes three accounts at once; the one that is down keeps its last list, marked stale', async () => {
    const vault = await coreFixture();
    const accounts = [];
    const all = [];
    for (const label of ['one', 'two', 'three']) {
      const made = await serverWith(`user-${label}`, [`${label}-ci`]);
      all.push(made);
      accounts.push(await addServerAccount(vault, made.server, made.credential, label));
    }
    expect(await vault.call('tokens.refreshAll', {})).toEqual({ refreshed: 3, failed: 0 });
    const before = await vault.call('tokens.list', { accountId: accounts[1]!.id });

    await all[1]!.server.close();
    expect(await vault.call('tokens.refreshAll', { reason: 'user' })).toEqual({ refreshed: 2, failed: 1 });

    const stale = await vault.call('tokens.list', { accountId: accounts[1]!.id });
    expect(stale.stale).toBe(true);
    expect(stale.problem).toMatch(/Could not reach 127\.0\.0\.1/);
    expect(stale.refreshedAt).toBe(before.refreshedAt);
    expect(stale.tokens.map((t) => t.name).sort()).toEqual(['two-ci', 'vault']);
    const statuses = await vault.call('accounts.list', {});
    expect(statuses.map((a) => a.status)).toEqual(['ok', 'unreachable', 'ok']);
    const fresh = await vault.call('tokens.list', { accountId: accounts[2]!.id });
    expect(fresh.stale).toBe(false);

    // Across accounts, from what the vault holds, without asking the servers.
    const requestsBefore = all.map((a) => a.server.requests.length);
    const everything = await vault.call('tokens.all', {});
    expect(everything.map((l) => [l.accountId, l.stale, l.tokens.length])).toEqual([
      [accounts[0]!.id, false, 2],
      [accounts[1]!.id, true, 2],
      [accounts[2]!.id, false, 2],
    ]);
    expect(all.map((a) => a.server.requests.length)).toEqual(requestsBefore);
  });

  it('an account never reached has nothing to show: the failure is the answer', async () => {
    const vault = await coreFixture();
    const { server, credential } = await serverWith('grace');
    const account = await addServerAccount(vault, server, credential, 'acme');
    await server.close();
    await expect(vault.call('tokens.list', { accountId: account.id })).rejects.toMatchObject({
      code: 'unreachable',
    });
  });

  it('a held value whose token left the server is shown as gone, and can be forgotten', async () => {
    const vault = await coreFixture();
    const { server, credential } = await serverWith('grace');
    const account = await addServerAccount(vault, server, credential, 'acme');
    await vault.call('tokens.generate', {
      accountId: account.id,
      name: 'deploy',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    await revokeOnServer(server, credential, 'deploy');

    const list = await vault.call('tokens.list', { accountId: account.id });
    expect(list.tokens.find((t) => t.name === 'deploy')).toMatchObject({
      onServer: false,
      inVault: true,
      expiresAt: null,
    });
    // The tray and the watcher do not count it: it has no expiry.
    expect(
      (await vault.core.trayModel()).groups.flatMap((g) => g.tokens).map((t) => t.ref.name),
    ).not.toContain('deploy');

    await vault.call('tokens.forget', { accountId: account.id, name: 'deploy' });
    expect(await vault.secrets.get(`token/${account.id}/deploy`)).toBeNull();
    expect((await vault.call('tokens.list', { accountId: account.id })).tokens.map((t) => t.name)).toEqual([
      'vault',
    ]);
  });
});

describe('revoke', () => {
  it('revokes on the server, then forgets the value', async () => {
    const vault = await coreFixture();
    const { server, credential } = await serverWith('grace');
    const account = await addServerAccount(vault, server, credential, 'acme');
    await vault.call('tokens.generate', {
      accountId: account.id,
      name: 'old',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    await vault.call('tokens.revoke', { accountId: account.id, name: 'old' });
    expect(server.tokenNames('grace')).toEqual(['vault']);
    expect(await vault.secrets.get(`token/${account.id}/old`)).toBeNull();
    const revokes = server.requests.filter((r) => r.path === '/api/user_tokens/revoke');
    expect(revokes).toHaveLength(1);
  });

  it('keeps the value when the server does not confirm', async () => {
    const vault = await coreFixture();
    const { server, credential } = await serverWith('grace');
    const account = await addServerAccount(vault, server, credential, 'acme');
    const { value } = await vault.call('tokens.generate', {
      accountId: account.id,
      name: 'kept',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    await server.close();
    await expect(vault.call('tokens.revoke', { accountId: account.id, name: 'kept' })).rejects.toMatchObject({
      code: 'unreachable',
    });
    expect(await vault.secrets.get(`token/${account.id}/kept`)).toBe(value);
  });
});

describe('import a pasted value', () => {
  it('keeps the value only when the token exists and the value signs in as the account user', async () => {
    const vault = await coreFixture();
    const { server, credential, values } = await serverWith('grace', ['from-ci']);
    const account = await addServerAccount(vault, server, credential, 'acme');
    const ref = { accountId: account.id, name: 'from-ci' };

    await expect(
      vault.call('tokens.import', { ...ref, name: 'nope', value: values['from-ci']! }),
    ).rejects.toThrow('grace has no token named "nope" on acme.');
    await expect(
      vault.call('tokens.import', { ...ref, value: 'squ_' + '0'.repeat(40) }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
    });
    const foreign = server.addToken('someone-else', { name: 'theirs', createdAt: new Date() });
    await expect(vault.call('tokens.import', { ...ref, value: foreign })).rejects.toThrow(
      "That value signs in as someone-else, not grace: it is not one of this account's tokens.",
    );
    expect(await vault.secrets.get(`token/${account.id}/from-ci`)).toBeNull();

    const view = await vault.call('tokens.import', { ...ref, value: ` ${values['from-ci']!} ` });
    expect(view).toMatchObject({ name: 'from-ci', inVault: true, onServer: true });
    expect(await vault.secrets.get(`token/${account.id}/from-ci`)).toBe(values['from-ci']);
    await vault.call('tokens.copy', ref);
    expect(vault.clipboard.text).toBe(values['from-ci']);
    expect(await vault.everythingOnDisk()).not.toContain(values['from-ci']!);
  });
});

describe('replace credential', () => {
  it('brings an account whose credential was revoked back, for the same user only', async () => {
    const vault = await coreFixture();
    const { server, credential } = await serverWith('grace');
    const account = await addServerAccount(vault, server, credential, 'acme');
    await vault.call('tokens.list', { accountId: account.id });
    await revokeOnServer(server, credential, 'vault');
    // Nothing else breaks: the last list stays, stale, with the reason.
    await expect(vault.call('tokens.list', { accountId: account.id })).resolves.toMatchObject({
      stale: true,
      problem: expect.stringMatching(/did not accept the token \(401\)/) as unknown,
    });
    expect((await vault.call('accounts.list', {}))[0]?.status).toBe('credential-invalid');

    const foreign = server.addToken('someone-else', { name: 'x', createdAt: new Date() });
    await expect(
      vault.call('accounts.replaceCredential', { accountId: account.id, credential: foreign }),
    ).rejects.toThrow('That token signs in as someone-else, but this account is grace.');
    const fresh = server.addToken('grace', { name: 'vault-2', createdAt: new Date() });
    expect(
      await vault.call('accounts.replaceCredential', { accountId: account.id, credential: fresh }),
    ).toMatchObject({
      status: 'ok',
    });
    expect(await vault.secrets.get(`account/${account.id}/credential`)).toBe(fresh);
    expect((await vault.call('tokens.list', { accountId: account.id })).stale).toBe(false);
  });
});
