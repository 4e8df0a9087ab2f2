/**
 * The vault's journey through the real dispatch, against SonarQube-compatible servers on
 * 127.0.0.1: add accounts (and every way that fails), list, generate, copy, reveal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, startFaultServer, type FaultServer } from '../support/fault-server';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;

describe('vault journey', () => {
  let server: TestServer;
  let cloud: TestServer;
  let html: FaultServer;
  let vault: CoreFixture;
  let credential: string;
  let cloudCredential: string;

  beforeAll(async () => {
    server = await startSonarQubeServer({
      flavour: 'server',
      users: [{ login: 'grace', name: 'Grace Hopper', admin: true }],
      projects: [{ key: 'my-app', name: 'My App' }],
    });
    const now = server.clock.now();
    credential = server.addToken('grace', { name: 'vault', createdAt: new Date(now) });
    server.addToken('grace', {
      name: 'ci',
      type: 'GLOBAL_ANALYSIS_TOKEN',
      createdAt: new Date(now - 10 * DAY),
      expirationDate: new Date(Math.floor(now / DAY) * DAY + 5 * DAY),
    });
    cloud = await startSonarQubeServer({
      flavour: 'cloud',
      organizations: [
        { key: 'acme', name: 'ACME' },
        { key: 'other', name: 'Other' },
      ],
      users: [{ login: 'ada', name: 'Ada', organizations: ['acme'] }],
    });
    cloudCredential = cloud.addToken('ada', {
      name: 'vault',
      createdAt: new Date(now - 5 * DAY),
      lastConnectionDate: new Date(now - 2 * DAY),
    });
    html = await startFaultServer((_q, r) =>
      r.writeHead(404, { 'Content-Type': 'text/html' }).end('<p>Nope</p>'),
    );
    vault = await coreFixture({ cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url }, now });
  });
  afterAll(() => Promise.all([server.close(), cloud.close(), html.close()]));

  describe('adding an account explains every failure and stores nothing', () => {
    it.each([
      ['a bad URL', () => ({ baseUrl: 'ftp://example.com' }), 'bad-url'],
      ['an unreachable server', async () => ({ baseUrl: await closedPortUrl() }), 'unreachable'],
      ['a server that is not SonarQube', () => ({ baseUrl: html.url }), 'not-sonarqube'],
      [
        'a wrong token (401)',
        () => ({ baseUrl: server.url, credential: 'squ_' + 'f'.repeat(40) }),
        'unauthorized',
      ],
    ])('%s', async (_what, input, code) => {
      await expect(
        vault.call('accounts.add', { kind: 'server', credential: credential, ...(await input()) }),
      ).rejects.toMatchObject({ code });
      expect(await vault.call('accounts.list', {})).toEqual([]);
      expect(await vault.everythingOnDisk()).not.toContain(credential);
    });

    it('a Cloud organization the user is not a member of', async () => {
      await expect(
        vault.call('accounts.add', { kind: 'cloud-eu', organization: 'other', credential: cloudCredential }),
      ).rejects.toThrow(/ada is not a member of the organization "other".*member of: acme/);
    });
  });

  let serverId = '';
  let cloudId = '';

  it('adds a Server and a Cloud account, detecting identity, admin rights and version', async () => {
    const added = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: `${server.url}/`,
      credential: `  ${credential} `,
      ownCredential: false,
    });
    expect(added).toMatchObject({
      kind: 'server',
      baseUrl: server.url,
      login: 'grace',
      isAdmin: true,
      serverVersion: '10.7.0.96327',
      status: 'ok',
    });
    serverId = added.id;
    const cloudAccount = await vault.call('accounts.add', {
      kind: 'cloud-eu',
      organization: 'acme',
      credential: cloudCredential,
      ownCredential: false,
    });
    expect(cloudAccount).toMatchObject({
      kind: 'cloud-eu',
      organization: 'acme',
      label: 'acme',
      login: 'ada',
      isAdmin: false,
    });
    cloudId = cloudAccount.id;
    expect((await vault.call('accounts.list', {})).map((a) => a.login)).toEqual(['grace', 'ada']);
    expect(await vault.secrets.get(`account/${serverId}/credential`)).toBe(credential);
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential }),
    ).rejects.toThrow(/already in the vault/);
  });

  it('lists the server tokens with their expiry, none in the vault yet', async () => {
    const list = await vault.call('tokens.list', { accountId: serverId });
    const ci = list.tokens.find((t) => t.name === 'ci');
    expect(ci).toMatchObject({ type: 'GLOBAL_ANALYSIS_TOKEN', expiryBasis: 'fixed', inVault: false });
    expect(ci?.expiresAt).toBe(Math.floor(vault.clock.now() / DAY) * DAY + 5 * DAY);
    const cloudList = await vault.call('tokens.list', { accountId: cloudId });
    expect(cloudList.tokens[0]).toMatchObject({ name: 'vault', expiryBasis: 'rolling' });
  });

  let value = '';

  it('generates a token: the value comes back once and goes to the keychain only', async () => {
    const expirationDate = new Date(vault.clock.now() + 30 * DAY).toISOString().slice(0, 10);
    const result = await vault.call('tokens.generate', {
      accountId: serverId,
      name: 'deploy',
      type: 'USER_TOKEN',
      expirationDate,
    });
    value = result.value;
    expect(value).toMatch(/^squ_[0-9a-f]{40}$/);
    expect(result).toMatchObject({
      stored: true,
      token: { name: 'deploy', inVault: true, expiresAt: Date.parse(`${expirationDate}T00:00:00Z`) },
    });
    expect(await vault.secrets.get(`token/${serverId}/deploy`)).toBe(value);
    expect(vault.events.some((e) => e.event === 'tokens.changed')).toBe(true);
    const listed = await vault.call('tokens.list', { accountId: serverId });
    expect(listed.tokens.find((t) => t.name === 'deploy')?.inVault).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(value);
  });

  it('the server rejection of a duplicate name reaches the user as the server words it', async () => {
    await expect(
      vault.call('tokens.generate', {
        accountId: serverId,
        name: 'deploy',
        type: 'USER_TOKEN',
        expirationDate: null,
      }),
    ).rejects.toMatchObject({
      code: 'rejected',
      message: "A user token for login 'grace' and name 'deploy' already exists",
    });
  });

  it('refuses a non-user token on Cloud before asking the server', async () => {
    const before = cloud.requests.length;
    await expect(
      vault.call('tokens.generate', {
        accountId: cloudId,
        name: 'x',
        type: 'GLOBAL_ANALYSIS_TOKEN',
        expirationDate: null,
      }),
    ).rejects.toThrow(/user tokens only/);
    expect(cloud.requests.length).toBe(before);
  });

  it('copy puts the value on the clipboard from the core, and clears it 30 s later', async () => {
    const { clearAfterMs } = await vault.call('tokens.copy', { accountId: serverId, name: 'deploy' });
    expect(clearAfterMs).toBe(30_000);
    expect(vault.clipboard.text).toBe(value);
    await vault.clock.advance(30_000);
    expect(vault.clipboard.text).toBe('');
    expect(vault.events.at(-1)?.event).toBe('clipboard.cleared');
  });

  it('reveal hands the value over with its hide delay; tokens not held are refused', async () => {
    expect(await vault.call('tokens.reveal', { accountId: serverId, name: 'deploy' })).toEqual({
      value,
      hideAfterMs: 10_000,
    });
    await expect(vault.call('tokens.copy', { accountId: serverId, name: 'ci' })).rejects.toMatchObject({
      code: 'not-in-vault',
    });
  });

  it('a credential revoked on the server marks that account only', async () => {
    const http = await fetch(`${cloud.url}/api/user_tokens/revoke`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${cloudCredential}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'name=vault',
    });
    expect(http.status).toBe(204);
    // The last list stays on screen, stale, saying why.
    await expect(vault.call('tokens.list', { accountId: cloudId })).resolves.toMatchObject({
      stale: true,
      problem: expect.stringMatching(/did not accept the token \(401\)/) as unknown,
    });
    const accounts = await vault.call('accounts.list', {});
    expect(accounts.find((a) => a.id === cloudId)?.status).toBe('credential-invalid');
    expect(accounts.find((a) => a.id === serverId)?.status).toBe('ok');
    expect((await vault.call('tokens.list', { accountId: serverId })).tokens.length).toBeGreaterThan(0);
  });

  it('no token value or credential is written to the data folder or the log', async () => {
    const disk = await vault.everythingOnDisk();
    expect(disk).toContain('token generated'); // the log is there and was searched
    for (const secret of [value, credential, cloudCredential]) expect(disk).not.toContain(secret);
  });

  it('removing an account forgets its credential and its values', async () => {
    await vault.call('accounts.remove', { accountId: serverId });
    expect(await vault.secrets.get(`account/${serverId}/credential`)).toBeNull();
    expect(await vault.secrets.get(`token/${serverId}/deploy`)).toBeNull();
    expect((await vault.call('accounts.list', {})).map((a) => a.id)).toEqual([cloudId]);
  });
});
