/**
 * The vault's own credential, through the real dispatch against SonarQube-compatible servers on
 * 127.0.0.1: made on add (capped Server, uncapped Server, Cloud), opted out of, refused by the
 * server; recorded from a browser sign-in; marked in every list; guarded against a revoke; adopted
 * by an existing account in one call, with the offer to revoke the pasted token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenList } from '@contract';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type MaxLifetime, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
/** Both clocks, the vault's and the servers', start here: "today" is 2026-11-25 (UTC). */
const NOW = Date.UTC(2026, 10, 25, 9, 0);
const OWN = 'Token Vault (test-laptop)';

const servers: TestServer[] = [];
const vaults: CoreFixture[] = [];
afterEach(async () => {
  for (const vault of vaults.splice(0)) vault.core.stop();
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function serverWith(maxTokenLifetime?: MaxLifetime) {
  const server = await startSonarQubeServer({
    flavour: 'server',
    now: NOW,
    maxTokenLifetime,
    users: [
      { login: 'grace', name: 'Grace Hopper', admin: true },
      { login: 'alan', name: 'Alan Turing' },
    ],
  });
  servers.push(server);
  const pasted = server.addToken('grace', {
    name: 'pasted',
    createdAt: new Date(NOW - 3 * DAY),
    lastConnectionDate: new Date(NOW - DAY),
  });
  server.addToken('grace', { name: 'laptop', createdAt: new Date(NOW - 9 * DAY) });
  return { server, pasted };
}

async function newVault() {
  const vault = await coreFixture({ now: NOW });
  vaults.push(vault);
  return vault;
}

const generates = (server: TestServer) =>
  server.requests.filter((r) => r.path === '/api/user_tokens/generate' && r.status === 200);
const row = (list: TokenList, name: string) => list.tokens.find((t) => t.name === name);
const credentialOf = (vault: CoreFixture, accountId: string) =>
  vault.secrets.get(`account/${accountId}/credential`);

describe('own credential on add', () => {
  it('a capped Server: the longest lifetime allowed, verified, in the keychain instead of the pasted token', async () => {
    const { server, pasted } = await serverWith('90 days');
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
      label: 'ACME',
    });

    const expiresAt = Date.UTC(2027, 1, 23); // 2026-11-25 + 90 days, the start of that UTC day
    const lifetime = expiresAt - NOW;
    expect(account.ownCredential).toEqual({ name: OWN, expiresAt, renewAt: expiresAt - lifetime / 3 });
    expect(account.pastedCredentialLeft).toBe(true);
    expect(account.ownCredentialUnavailable).toBeUndefined();
    expect(generates(server).map((r) => r.params)).toEqual([
      { name: OWN, type: 'USER_TOKEN', expirationDate: '2027-02-23' },
    ]);
    // Verified as grace with the new value before it replaced the pasted one.
    const verified = server.requests.filter((r) => r.path === '/api/users/current');
    expect(verified.at(-1)?.login).toBe('grace');
    const credential = await credentialOf(vault, account.id);
    expect(credential).not.toBe(pasted);
    expect(credential).toMatch(/^squ_[0-9a-f]{40}$/);
    expect(server.tokenNames('grace')).toEqual(['pasted', 'laptop', OWN]);

    // Nothing of the switch is left: no held waypoint, no state; no value on disk.
    const metadata = await vault.core.store.load();
    expect(metadata.tokens).toEqual([]);
    expect(metadata.accounts[0]?.ownCredentialState).toEqual({ pastedLeft: true });
    expect(metadata.accounts[0]?.ownCredential).toMatchObject({ name: OWN, origin: 'generated', expiresAt });
    const disk = await vault.everythingOnDisk();
    expect(disk).not.toContain(credential!);
    expect(disk).not.toContain(pasted);

    // Marked in the list; the server list of the vault's requests since then shows the new token.
    const list = await vault.call('tokens.list', { accountId: account.id });
    expect(row(list, OWN)).toMatchObject({ ownCredential: true, inVault: false, expiresAt });
    expect(row(list, 'pasted')?.ownCredential).toBeUndefined();
    expect(server.requests.at(-1)).toMatchObject({ path: '/api/user_tokens/search', login: 'grace' });

    // The offer: the pasted token, picked by the user, revoked as any token is; the account works on.
    await vault.call('tokens.revoke', { accountId: account.id, name: 'pasted' });
    await vault.call('accounts.dismissPastedCredential', { accountId: account.id });
    const [after] = await vault.call('accounts.list', {});
    expect(after).toMatchObject({ status: 'ok', pastedCredentialLeft: false, ownCredential: { name: OWN } });
    expect(server.tokenNames('grace')).toEqual(['laptop', OWN]);
    expect(await vault.call('tokens.refreshAll', { reason: 'user' })).toEqual({ refreshed: 1, failed: 0 });
  });

  it('an uncapped Server: a token that never expires, never renewed', async () => {
    const { server, pasted } = await serverWith();
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
    });
    expect(account.ownCredential).toEqual({ name: OWN, expiresAt: null, renewAt: null });
    expect(generates(server).map((r) => r.params)).toEqual([{ name: OWN, type: 'USER_TOKEN' }]);
    const list = await vault.call('tokens.list', { accountId: account.id });
    expect(row(list, OWN)).toMatchObject({ ownCredential: true, expiresAt: null, expiryBasis: 'never' });
  });

  it('a name of its own: another vault of this computer already made one', async () => {
    const { server, pasted } = await serverWith();
    server.addToken('grace', { name: OWN, createdAt: new Date(NOW - DAY) });
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
    });
    expect(account.ownCredential?.name).toBe(`${OWN} 2`);
  });

  it('Cloud: no date (60 days after its last use), kept alive by the vault’s own refreshes', async () => {
    const cloud = await startSonarQubeServer({
      flavour: 'cloud',
      now: NOW,
      organizations: [{ key: 'acme', name: 'ACME' }],
      users: [{ login: 'ada', name: 'Ada Lovelace', organizations: ['acme'] }],
    });
    servers.push(cloud);
    const pasted = cloud.addToken('ada', { name: 'pasted', createdAt: new Date(NOW - DAY) });
    const vault = await coreFixture({
      now: NOW,
      cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url },
    });
    vaults.push(vault);
    const account = await vault.call('accounts.add', {
      kind: 'cloud-eu',
      organization: 'acme',
      credential: pasted,
    });
    expect(account.ownCredential).toEqual({ name: OWN, expiresAt: null, renewAt: null });
    expect(generates(cloud).map((r) => r.params)).toEqual([{ name: OWN, type: 'USER_TOKEN' }]);
    expect(await credentialOf(vault, account.id)).toMatch(/^[0-9a-f]{40}$/);

    // 100 days on, refreshing daily: the vault's use moves the 60 days on; nothing is renewed.
    for (let day = 1; day <= 100; day++) {
      cloud.clock.set(NOW + day * DAY);
      await vault.clock.advance(DAY, () => vault.core.ownCredentials.settled());
      expect(await vault.call('tokens.refreshAll', { reason: 'user' })).toEqual({ refreshed: 1, failed: 0 });
    }
    const list = await vault.call('tokens.list', { accountId: account.id });
    expect(row(list, OWN)).toMatchObject({ ownCredential: true, expiryBasis: 'rolling' });
    expect(row(list, OWN)!.expiresAt).toBeGreaterThan(NOW + 150 * DAY);
    expect(generates(cloud)).toHaveLength(1);
    expect(cloud.tokenNames('ada')).toEqual([OWN]); // the pasted one, unused, was removed at 60 days
  });

  it('opted out: no token is made; one call adopts one later, with the same offer', async () => {
    const { server, pasted } = await serverWith('30 days');
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
      ownCredential: false,
    });
    expect(account.ownCredential).toBeUndefined();
    expect(account.ownCredentialUnavailable).toBeUndefined();
    expect(account.pastedCredentialLeft).toBe(false);
    expect(generates(server)).toEqual([]);
    expect(await credentialOf(vault, account.id)).toBe(pasted);
    const before = await vault.call('tokens.list', { accountId: account.id });
    expect(before.tokens.some((t) => t.ownCredential)).toBe(false);

    const adopted = await vault.call('accounts.adoptOwnCredential', { accountId: account.id });
    expect(adopted.ownCredential).toMatchObject({ name: OWN, expiresAt: Date.UTC(2026, 11, 25) });
    expect(adopted.pastedCredentialLeft).toBe(true);
    expect(await credentialOf(vault, account.id)).not.toBe(pasted);
    await expect(vault.call('accounts.adoptOwnCredential', { accountId: account.id })).rejects.toMatchObject({
      code: 'rejected',
      message: `The vault already signs in to ${new URL(server.url).host} with its own token.`,
    });
  });

  it('a server that refuses: the account is added with the pasted token, and says why', async () => {
    const { server, pasted } = await serverWith('90 days');
    server.fault('/api/user_tokens/generate', {
      kind: 'status',
      status: 403,
      body: JSON.stringify({ errors: [{ msg: 'Insufficient privileges' }] }),
      contentType: 'application/json',
    });
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
    });
    expect(account.status).toBe('ok');
    expect(account.ownCredential).toBeUndefined();
    expect(account.ownCredentialUnavailable).toBe(
      'The vault could not make its own token: Insufficient privileges',
    );
    expect(await credentialOf(vault, account.id)).toBe(pasted);
    expect(server.tokenNames('grace')).toEqual(['pasted', 'laptop']);
    expect((await vault.core.store.load()).accounts[0]?.ownCredentialState?.switch).toBeUndefined();

    // Once the server allows it, the account adopts one, and the reason goes.
    const adopted = await vault.call('accounts.adoptOwnCredential', { accountId: account.id });
    expect(adopted.ownCredential?.name).toBe(OWN);
    expect(adopted.ownCredentialUnavailable).toBeUndefined();
  });
});

describe('own credential, verified before it is used', () => {
  it('a new token the server does not accept is revoked; the pasted one stays the credential', async () => {
    const { server, pasted } = await serverWith('90 days');
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
      ownCredential: false,
    });
    // The one api/users/current of an adoption is the new token's check.
    server.fault('/api/users/current', { kind: 'status', status: 401 });
    await expect(vault.call('accounts.adoptOwnCredential', { accountId: account.id })).rejects.toMatchObject({
      code: 'rejected',
      message: `The server did not accept the vault's new token "${OWN}": it was revoked.`,
    });
    expect(await credentialOf(vault, account.id)).toBe(pasted);
    expect(server.tokenNames('grace')).toEqual(['pasted', 'laptop']);
    const metadata = await vault.core.store.load();
    expect(metadata.tokens).toEqual([]);
    expect(metadata.accounts[0]?.ownCredential).toBeUndefined();
    expect(metadata.accounts[0]?.ownCredentialState?.switch).toBeUndefined();
    expect(await vault.secrets.keys()).toEqual([`account/${account.id}/credential`]);
  });
});

describe('own credential from a browser sign-in', () => {
  async function signIn(server: TestServer, vault: CoreFixture, body: Record<string, string>) {
    const started = await vault.call('accounts.signIn', { kind: 'server', baseUrl: server.url });
    const waiting = vault.call('accounts.signInResult', { signInId: started.signInId });
    const port = new URL(started.url).searchParams.get('port');
    const answer = await fetch(`http://127.0.0.1:${port}/sonarlint/api/token`, {
      method: 'POST',
      headers: { Origin: new URL(server.url).origin, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
    await waiting;
    return vault.call('accounts.add', { kind: 'server', baseUrl: server.url, signInId: started.signInId });
  }

  it('is recorded as the own credential, as the server named it, and nothing is generated', async () => {
    const { server } = await serverWith('90 days');
    const expirationDate = new Date(Date.UTC(2027, 1, 23));
    const value = server.addToken('grace', { name: 'IDE', createdAt: new Date(NOW), expirationDate });
    const vault = await newVault();
    const account = await signIn(server, vault, {
      token: value,
      name: 'IDE',
      expirationDate: '2027-02-23T00:00:00+0000',
    });
    expect(account.ownCredential).toMatchObject({ name: 'IDE', expiresAt: expirationDate.getTime() });
    expect(account.pastedCredentialLeft).toBe(false);
    expect(generates(server)).toEqual([]);
    expect((await vault.core.store.load()).accounts[0]?.ownCredential?.origin).toBe('signed-in');
  });

  it('a sign-in that names nothing: the user’s most recently created token', async () => {
    const { server } = await serverWith('90 days');
    const expirationDate = new Date(Date.UTC(2027, 1, 23));
    const value = server.addToken('grace', { name: 'made-now', createdAt: new Date(NOW), expirationDate });
    const vault = await newVault();
    const account = await signIn(server, vault, { token: value });
    expect(account.ownCredential).toMatchObject({ name: 'made-now', expiresAt: expirationDate.getTime() });
    const list = await vault.call('tokens.list', { accountId: account.id });
    expect(list.tokens.filter((t) => t.ownCredential).map((t) => t.name)).toEqual(['made-now']);
  });
});

describe('own credential, marked and guarded', () => {
  it('is refused a revoke without confirmation; confirmed, the account has none and says its token is refused', async () => {
    const { server, pasted } = await serverWith('90 days');
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
      label: 'ACME',
    });
    await expect(vault.call('tokens.revoke', { accountId: account.id, name: OWN })).rejects.toMatchObject({
      code: 'rejected',
      message: `"${OWN}" is the token the vault signs in with for ACME: revoked, the account stops working until it gets a new credential. Confirm that this is what you want.`,
    });
    expect(server.tokenNames('grace')).toContain(OWN);
    // Nor through another door: an administrator's revoke naming their own login.
    await expect(
      vault.call('tokens.revoke', { accountId: account.id, name: OWN, login: 'grace' }),
    ).rejects.toMatchObject({ code: 'rejected' });

    await vault.call('tokens.revoke', { accountId: account.id, name: OWN, ownCredentialConfirmed: true });
    expect(server.tokenNames('grace')).not.toContain(OWN);
    const [after] = await vault.call('accounts.list', {});
    expect(after?.ownCredential).toBeUndefined();
    expect(after?.status).toBe('credential-invalid');
  });

  it('is marked in tokens.all and in an administrator’s list of their own tokens, not in another user’s', async () => {
    const { server, pasted } = await serverWith();
    server.addToken('alan', { name: OWN, createdAt: new Date(NOW - DAY) });
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
    });
    const [all] = await vault.call('tokens.all', {});
    expect(all?.tokens.filter((t) => t.ownCredential).map((t) => t.name)).toEqual([OWN]);
    const mine = await vault.call('tokens.listFor', { accountId: account.id, login: 'grace' });
    expect(mine.tokens.filter((t) => t.ownCredential).map((t) => t.name)).toEqual([OWN]);
    const alans = await vault.call('tokens.listFor', { accountId: account.id, login: 'alan' });
    expect(alans.tokens.map((t) => [t.name, t.ownCredential])).toEqual([[OWN, undefined]]);
    // Alan's token of the same name is his: revoking it needs no confirmation.
    await vault.call('tokens.revoke', { accountId: account.id, name: OWN, login: 'alan' });
    expect(server.tokenNames('alan')).toEqual([]);
  });
});

describe('replacing the credential by hand', () => {
  it('the pasted replacement is the credential now: no own one is claimed, and one can be made again', async () => {
    const { server, pasted } = await serverWith('90 days');
    const vault = await newVault();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: pasted,
    });
    expect(account.ownCredential?.name).toBe(OWN);

    const replacement = server.addToken('grace', { name: 'by-hand', createdAt: new Date(NOW) });
    const replaced = await vault.call('accounts.replaceCredential', {
      accountId: account.id,
      credential: replacement,
    });
    expect(replaced.ownCredential).toBeUndefined();
    expect(await credentialOf(vault, account.id)).toBe(replacement);
    const list = await vault.call('tokens.list', { accountId: account.id });
    expect(row(list, OWN)?.ownCredential).toBeFalsy(); // an ordinary token again, revocable

    const adopted = await vault.call('accounts.adoptOwnCredential', { accountId: account.id });
    expect(adopted.ownCredential?.name).toMatch(/^Token Vault \(test-laptop\)/);
  });
});
