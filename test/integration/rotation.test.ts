/**
 * Rotation through the real dispatch against SonarQube-compatible servers on 127.0.0.1: a successor
 * with the predecessor's type, project and lifetime; the predecessor revoked on confirmation or
 * after a delay (also across a restart); and an interruption at every step leaving both tokens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TokenList } from '@contract';
import type { SecretStore } from '@core/ports';
import { keychainUnavailable } from '@core/storage/keytar-store';
import { MemorySecretStore } from '@core/storage/memory-store';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type SeedToken, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Both clocks, the vault's and the servers', start here: "today" is 2026-11-25 (UTC). */
const NOW = Date.UTC(2026, 10, 25, 9, 0);
const TODAY = '2026-11-25';

const servers: TestServer[] = [];
const vaults: CoreFixture[] = [];
afterEach(async () => {
  for (const vault of vaults.splice(0)) vault.core.stop();
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => undefined)));
});

/** A Server with grace's vault account and `seeds` as her tokens, whose values the vault holds. */
async function serverVault(
  seeds: SeedToken[],
  options: { secrets?: SecretStore; maxTokenLifetime?: '30 days' } = {},
) {
  const server = await startSonarQubeServer({
    flavour: 'server',
    now: NOW,
    users: [{ login: 'grace', name: 'Grace Hopper' }],
    projects: [{ key: 'my-app', name: 'My App' }],
    maxTokenLifetime: options.maxTokenLifetime,
  });
  servers.push(server);
  const credential = server.addToken('grace', { name: 'vault', createdAt: new Date(NOW - DAY) });
  const values = Object.fromEntries(seeds.map((seed) => [seed.name, server.addToken('grace', seed)]));
  const vault = await coreFixture({ now: NOW, secrets: options.secrets });
  vaults.push(vault);
  const account = await vault.call('accounts.add', {
    kind: 'server',
    baseUrl: server.url,
    credential,
    ownCredential: false,
  });
  for (const [name, value] of Object.entries(values)) {
    await vault.call('tokens.import', { accountId: account.id, name, value });
  }
  return { server, vault, accountId: account.id, credential, values };
}

/** A 30-day project analysis token: created 10 days ago, expiring at the start of 2026-12-15. */
const ciMain: SeedToken = {
  name: 'ci-main',
  type: 'PROJECT_ANALYSIS_TOKEN',
  projectKey: 'my-app',
  createdAt: new Date(Date.UTC(2026, 10, 15, 10, 15, 30)),
  expirationDate: new Date(Date.UTC(2026, 11, 15)),
};

const generateRequests = (server: TestServer) =>
  server.requests.filter((r) => r.path === '/api/user_tokens/generate');
const rotations = async (vault: CoreFixture) => (await vault.core.store.load()).rotations ?? [];
const row = (list: TokenList, name: string) => list.tokens.find((t) => t.name === name);
const settle = (vault: CoreFixture) => () => vault.core.rotations.settled();
const lastPushed = (vault: CoreFixture) =>
  vault.events.filter((e) => e.event === 'tokens.changed').at(-1)?.payload as TokenList;

describe('rotation', () => {
  it('rotates a 30-day project token, then revokes the predecessor on confirmation', async () => {
    const { server, vault, accountId, values } = await serverVault([ciMain]);
    const successor = `ci-main-${TODAY}`;

    const result = await vault.call('tokens.rotate', { accountId, name: 'ci-main' });
    expect(result).toMatchObject({
      predecessor: 'ci-main',
      stored: true,
      token: {
        name: successor,
        type: 'PROJECT_ANALYSIS_TOKEN',
        projectKey: 'my-app',
        expiresAt: Date.UTC(2026, 11, 25),
        inVault: true,
        rotation: { role: 'successor', partner: 'ci-main', revokeAt: null },
      },
    });
    expect(result.value).toMatch(/^sqp_[0-9a-f]{40}$/);
    expect(generateRequests(server).map((r) => r.params)).toEqual([
      {
        name: successor,
        type: 'PROJECT_ANALYSIS_TOKEN',
        projectKey: 'my-app',
        expirationDate: '2026-12-25',
      },
    ]);
    // Both exist and both values are held; the new one is kept, and nowhere on disk.
    expect(server.tokenNames('grace')).toEqual(['vault', 'ci-main', successor]);
    expect(await vault.secrets.get(`token/${accountId}/${successor}`)).toBe(result.value);
    expect(await vault.secrets.get(`token/${accountId}/ci-main`)).toBe(values['ci-main']);
    expect(await vault.everythingOnDisk()).not.toContain(result.value);

    const list = await vault.call('tokens.list', { accountId });
    expect(row(list, 'ci-main')).toMatchObject({
      inVault: true,
      rotation: { role: 'predecessor', partner: successor, revokeAt: null },
    });
    expect(row(list, successor)).toMatchObject({
      inVault: true,
      expiresAt: Date.UTC(2026, 11, 25),
      rotation: { role: 'successor', partner: 'ci-main', revokeAt: null },
    });
    expect(row(list, 'vault')?.rotation).toBeUndefined();
    expect(row(lastPushed(vault), 'ci-main')?.rotation?.role).toBe('predecessor');

    await vault.call('tokens.completeRotation', { accountId, name: 'ci-main' });
    expect(server.tokenNames('grace')).toEqual(['vault', successor]);
    expect(await vault.secrets.get(`token/${accountId}/ci-main`)).toBeNull();
    expect(await vault.secrets.get(`token/${accountId}/${successor}`)).toBe(result.value);
    expect(await rotations(vault)).toEqual([]);
    const after = await vault.call('tokens.list', { accountId });
    expect(after.tokens.map((t) => [t.name, t.inVault, t.rotation])).toEqual([
      ['vault', false, undefined],
      [successor, true, undefined],
    ]);
    await expect(vault.call('tokens.completeRotation', { accountId, name: 'ci-main' })).rejects.toMatchObject(
      {
        code: 'not-found',
        message: 'No rotation of "ci-main" is in progress.',
      },
    );
  });

  it('names the successor after the predecessor without its date, avoiding names in use', async () => {
    const long = 'a'.repeat(100);
    const { server, vault, accountId } = await serverVault([
      { name: 'x-2026-01-01', createdAt: new Date(NOW - 300 * DAY) },
      { name: 'nightly', createdAt: new Date(NOW - DAY) },
      { name: `nightly-${TODAY}`, createdAt: new Date(NOW - HOUR) },
      { name: `release-${TODAY}-2`, createdAt: new Date(NOW - HOUR) },
      { name: long, createdAt: new Date(NOW - DAY) },
    ]);
    const rotate = async (name: string) => (await vault.call('tokens.rotate', { accountId, name })).token;

    // Never-expiring tokens stay never-expiring: no date is sent.
    const x = await rotate('x-2026-01-01');
    expect(x).toMatchObject({
      name: `x-${TODAY}`,
      type: 'USER_TOKEN',
      expiresAt: null,
      expiryBasis: 'never',
    });
    expect(generateRequests(server)[0]?.params).toEqual({ name: `x-${TODAY}`, type: 'USER_TOKEN' });
    expect((await rotate('nightly')).name).toBe(`nightly-${TODAY}-2`);
    // A collision counter after the date goes too: "release-<today>-2" rotates to "release-<today>".
    expect((await rotate(`release-${TODAY}-2`)).name).toBe(`release-${TODAY}`);
    const trimmed = (await rotate(long)).name;
    expect(trimmed).toBe(`${'a'.repeat(89)}-${TODAY}`);
    expect(trimmed).toHaveLength(100);
  });

  it('keeps within the lifetime cap the administrator set since', async () => {
    const { server, vault, accountId } = await serverVault(
      [{ name: 'deploy', createdAt: new Date(NOW - DAY), expirationDate: new Date(Date.UTC(2027, 1, 23)) }],
      { maxTokenLifetime: '30 days' },
    );
    const { token } = await vault.call('tokens.rotate', { accountId, name: 'deploy' });
    expect(token.expiresAt).toBe(Date.UTC(2026, 11, 25));
    expect(generateRequests(server)[0]?.params['expirationDate']).toBe('2026-12-25');
  });

  it('rotates a SonarQube Cloud token into a user token without a date', async () => {
    const cloud = await startSonarQubeServer({
      flavour: 'cloud',
      now: NOW,
      organizations: [{ key: 'acme', name: 'ACME' }],
      users: [{ login: 'ada', name: 'Ada', organizations: ['acme'] }],
    });
    servers.push(cloud);
    const credential = cloud.addToken('ada', { name: 'vault', createdAt: new Date(NOW - DAY) });
    cloud.addToken('ada', { name: 'laptop-2026-09-01', createdAt: new Date(NOW - 20 * DAY) });
    const vault = await coreFixture({
      cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url },
      now: NOW,
    });
    vaults.push(vault);
    const account = await vault.call('accounts.add', {
      kind: 'cloud-eu',
      organization: 'acme',
      credential,
      ownCredential: false,
    });

    const result = await vault.call('tokens.rotate', { accountId: account.id, name: 'laptop-2026-09-01' });
    expect(result.value).toMatch(/^[0-9a-f]{40}$/);
    expect(result.token).toMatchObject({
      name: `laptop-${TODAY}`,
      type: 'USER_TOKEN',
      expiryBasis: 'rolling',
      expiresAt: NOW + 60 * DAY,
    });
    expect(generateRequests(cloud)[0]?.params).toEqual({ name: `laptop-${TODAY}`, type: 'USER_TOKEN' });
    expect(cloud.tokenNames('ada')).toEqual(['vault', 'laptop-2026-09-01', `laptop-${TODAY}`]);
  });

  it('refuses a token the account does not have, or one already being rotated, before generating', async () => {
    const { server, vault, accountId } = await serverVault([ciMain]);
    await expect(vault.call('tokens.rotate', { accountId, name: 'nope' })).rejects.toThrow(
      'grace has no token named "nope" on',
    );
    await vault.call('tokens.rotate', { accountId, name: 'ci-main' });
    for (const name of ['ci-main', `ci-main-${TODAY}`]) {
      await expect(vault.call('tokens.rotate', { accountId, name })).rejects.toMatchObject({
        code: 'rejected',
        message: `"ci-main" is already being replaced by "ci-main-${TODAY}": complete or cancel that rotation first.`,
      });
    }
    expect(generateRequests(server)).toHaveLength(1);
  });

  it('a rotation whose predecessor left the server another way is over', async () => {
    const { server, vault, accountId, credential } = await serverVault([ciMain]);
    await vault.call('tokens.rotate', { accountId, name: 'ci-main' });
    const response = await fetch(`${server.url}/api/user_tokens/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'ci-main' }).toString(),
    });
    expect(response.status).toBe(204);
    const list = await vault.call('tokens.list', { accountId });
    expect(list.tokens.filter((t) => t.rotation)).toEqual([]);
    expect(await rotations(vault)).toEqual([]);
  });

  it('cancelling leaves both tokens and no rotation; nothing is revoked later', async () => {
    const { server, vault, accountId, values } = await serverVault([ciMain]);
    await vault.core.start();
    await vault.call('tokens.rotate', { accountId, name: 'ci-main', revokeOldAfterMs: 2 * HOUR });
    await vault.call('tokens.cancelRotation', { accountId, name: 'ci-main' });
    expect(await rotations(vault)).toEqual([]);
    await vault.clock.advance(3 * HOUR, settle(vault));
    expect(server.tokenNames('grace')).toEqual(['vault', 'ci-main', `ci-main-${TODAY}`]);
    expect(await vault.secrets.get(`token/${accountId}/ci-main`)).toBe(values['ci-main']);
    const list = await vault.call('tokens.list', { accountId });
    expect(list.tokens.filter((t) => t.rotation)).toEqual([]);
    expect(server.requests.filter((r) => r.path === '/api/user_tokens/revoke')).toEqual([]);
    await expect(vault.call('tokens.cancelRotation', { accountId, name: 'ci-main' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('rotation interrupted at each step', () => {
  it.each([
    ['a proxy answers 503', { kind: 'status', status: 503 } as const, 'server-error'],
    ['the connection is reset', { kind: 'reset' } as const, 'unreachable'],
  ])('generate fails (%s): one request, no record, predecessor intact', async (_why, fault, code) => {
    const { server, vault, accountId, values } = await serverVault([ciMain]);
    server.fault('/api/user_tokens/generate', fault);
    await expect(vault.call('tokens.rotate', { accountId, name: 'ci-main' })).rejects.toMatchObject({ code });
    expect(generateRequests(server)).toHaveLength(1);
    expect(await rotations(vault)).toEqual([]);
    expect(server.tokenNames('grace')).toEqual(['vault', 'ci-main']);
    expect(await vault.secrets.get(`token/${accountId}/ci-main`)).toBe(values['ci-main']);
    const list = await vault.call('tokens.list', { accountId });
    expect(row(list, 'ci-main')).toMatchObject({ inVault: true, onServer: true });
    expect(row(list, 'ci-main')?.rotation).toBeUndefined();
  });

  it('the keychain refuses the successor: its value still comes back, the rotation is recorded', async () => {
    const secrets = new MemorySecretStore();
    const { server, vault, accountId, values } = await serverVault([ciMain], { secrets });
    // The keychain goes away after the account and the predecessor were kept (locked, daemon gone).
    secrets.set = () => Promise.reject(keychainUnavailable(new Error('The keyring is locked')));

    const result = await vault.call('tokens.rotate', { accountId, name: 'ci-main' });
    expect(result.stored).toBe(false);
    expect(result.storeError).toMatch(/keychain is not available \(The keyring is locked\)/);
    expect(result.value).toMatch(/^sqp_[0-9a-f]{40}$/);
    expect(result.token).toMatchObject({ inVault: false, rotation: { role: 'successor' } });
    expect(await rotations(vault)).toMatchObject([{ predecessor: 'ci-main', successor: `ci-main-${TODAY}` }]);
    expect(server.tokenNames('grace')).toEqual(['vault', 'ci-main', `ci-main-${TODAY}`]);
    expect(await secrets.get(`token/${accountId}/ci-main`)).toBe(values['ci-main']);
    const list = await vault.call('tokens.list', { accountId });
    expect(row(list, `ci-main-${TODAY}`)).toMatchObject({ inVault: false, rotation: { partner: 'ci-main' } });
    expect(row(list, 'ci-main')).toMatchObject({ inVault: true, rotation: { partner: `ci-main-${TODAY}` } });
    expect(await vault.everythingOnDisk()).not.toContain(result.value);
  });

  it('completing while the server is unreachable keeps both tokens and says why; a retry completes', async () => {
    const { server, vault, accountId, values } = await serverVault([ciMain]);
    const { value } = await vault.call('tokens.rotate', { accountId, name: 'ci-main' });
    server.fault('/api/user_tokens/revoke', { kind: 'reset' });
    // The list that follows fails too: the stale list still carries the reason.
    server.fault('/api/user_tokens/search', { kind: 'status', status: 500 });

    await expect(vault.call('tokens.completeRotation', { accountId, name: 'ci-main' })).rejects.toMatchObject(
      { code: 'unreachable', message: /Could not reach 127\.0\.0\.1/ },
    );
    expect(server.tokenNames('grace')).toEqual(['vault', 'ci-main', `ci-main-${TODAY}`]);
    expect(await vault.secrets.get(`token/${accountId}/ci-main`)).toBe(values['ci-main']);
    expect(await vault.secrets.get(`token/${accountId}/ci-main-${TODAY}`)).toBe(value);
    const pushed = lastPushed(vault);
    expect(pushed.stale).toBe(true);
    expect(row(pushed, 'ci-main')?.rotation?.lastError).toMatch(/Could not reach 127\.0\.0\.1/);
    const list = await vault.call('tokens.list', { accountId });
    expect(list.stale).toBe(false);
    expect(row(list, 'ci-main')?.rotation).toMatchObject({
      role: 'predecessor',
      lastError: expect.stringMatching(/Could not reach/) as unknown,
    });
    expect(row(list, `ci-main-${TODAY}`)?.rotation?.lastError).toMatch(/Could not reach/);

    await vault.call('tokens.completeRotation', { accountId, name: 'ci-main' });
    expect(server.tokenNames('grace')).toEqual(['vault', `ci-main-${TODAY}`]);
    expect(await vault.secrets.get(`token/${accountId}/ci-main`)).toBeNull();
    expect(await rotations(vault)).toEqual([]);
  });

  it('a delayed rotation is completed by the scheduler, retried 15 minutes after a failure', async () => {
    const { server, vault, accountId } = await serverVault([ciMain]);
    await vault.core.start();
    const { token } = await vault.call('tokens.rotate', {
      accountId,
      name: 'ci-main',
      revokeOldAfterMs: 2 * HOUR,
    });
    expect(token.rotation).toEqual({ role: 'successor', partner: 'ci-main', revokeAt: NOW + 2 * HOUR });

    await vault.clock.advance(2 * HOUR - MINUTE, settle(vault));
    expect(server.tokenNames('grace')).toContain('ci-main');
    // The first attempt meets a proxy error: kept, with the reason, and tried again later.
    server.fault('/api/user_tokens/revoke', { kind: 'status', status: 502 });
    await vault.clock.advance(MINUTE, settle(vault));
    expect(server.tokenNames('grace')).toContain('ci-main');
    expect(await rotations(vault)).toMatchObject([
      {
        predecessor: 'ci-main',
        revokeAt: NOW + 2 * HOUR + 15 * MINUTE,
        lastError: expect.stringMatching(/502/) as unknown,
      },
    ]);
    const list = await vault.call('tokens.list', { accountId });
    expect(row(list, 'ci-main')?.rotation?.lastError).toMatch(/502/);

    await vault.clock.advance(15 * MINUTE, settle(vault));
    expect(server.tokenNames('grace')).toEqual(['vault', `ci-main-${TODAY}`]);
    expect(await vault.secrets.get(`token/${accountId}/ci-main`)).toBeNull();
    expect(await rotations(vault)).toEqual([]);
  });

  it('a delayed rotation survives a restart, and one due while the app was off completes at start', async () => {
    const { server, vault, accountId } = await serverVault([
      ciMain,
      { name: 'deploy', createdAt: new Date(NOW - DAY), expirationDate: new Date(Date.UTC(2026, 11, 1)) },
    ]);
    await vault.core.start();
    await vault.call('tokens.rotate', { accountId, name: 'ci-main', revokeOldAfterMs: 2 * HOUR });
    await vault.call('tokens.rotate', { accountId, name: 'deploy', revokeOldAfterMs: 5 * HOUR });
    vault.core.stop();
    vaults.splice(vaults.indexOf(vault), 1);

    // Off for 3 hours: ci-main's time has passed, deploy's has not.
    const again = await coreFixture({ dataDir: vault.dataDir, secrets: vault.secrets, now: NOW + 3 * HOUR });
    vaults.push(again);
    await again.core.start();
    await again.clock.advance(0, settle(again));
    expect(server.tokenNames('grace')).not.toContain('ci-main');
    expect(server.tokenNames('grace')).toContain('deploy');
    const list = await again.call('tokens.list', { accountId });
    expect(row(list, 'deploy')?.rotation).toEqual({
      role: 'predecessor',
      partner: `deploy-${TODAY}`,
      revokeAt: NOW + 5 * HOUR,
    });

    await again.clock.advance(2 * HOUR, settle(again));
    expect(server.tokenNames('grace')).toEqual(['vault', `ci-main-${TODAY}`, `deploy-${TODAY}`]);
    expect(await again.secrets.get(`token/${accountId}/deploy`)).toBeNull();
    expect(await rotations(again)).toEqual([]);
  });
});
