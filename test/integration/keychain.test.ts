/**
 * keytar against a real Secret Service (GNOME Keyring in a private D-Bus session: run through
 * test/support/with-keyring.sh, as `npm test` does), and the failure when there is none.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '@core/ports';
import { KeytarSecretStore, keychainUnavailable } from '@core/storage/keytar-store';
import { MemorySecretStore } from '@core/storage/memory-store';
import { coreFixture } from '../support/core-fixture';
import { startSonarQubeServer } from '../support/sonarqube-server';

const run = promisify(execFile);
const hasSecretService =
  Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']) && process.env['VAULT_KEYRING_READY'] === '1';
// In CI on Linux the keyring must be there: a skip there would hide a broken set-up. (macOS and
// Windows have no Secret Service: their keychains are the OS's, reached by the same keytar calls.)
const linux = process.platform === 'linux';
const requireKeyring = linux && process.env['CI'] === 'true';

describe.skipIf(!hasSecretService && !requireKeyring)('OS keychain through keytar (Secret Service)', () => {
  const service = `Token Vault for SonarQube (test ${randomBytes(4).toString('hex')})`;
  const store = new KeytarSecretStore(service);
  afterAll(async () => {
    for (const key of await store.keys()) await store.delete(key);
  });

  it('round-trips a value: set, get, overwrite, delete', async () => {
    const value = `squ_${randomBytes(20).toString('hex')}`;
    await store.set('token/a/ci', value);
    expect(await store.get('token/a/ci')).toBe(value);
    await store.set('token/a/ci', `${value}2`);
    expect(await store.get('token/a/ci')).toBe(`${value}2`);
    expect(await store.keys()).toEqual(['token/a/ci']);
    expect(await store.delete('token/a/ci')).toBe(true);
    expect(await store.get('token/a/ci')).toBeNull();
    expect(await store.delete('token/a/ci')).toBe(false);
  });

  it('the value is really in the keyring, findable by another client (secret-tool)', async () => {
    const value = `sqp_${randomBytes(20).toString('hex')}`;
    await store.set('token/b/deploy', value);
    const { stdout } = await run('secret-tool', ['lookup', 'service', service, 'account', 'token/b/deploy']);
    expect(stdout.trim()).toBe(value);
    await store.delete('token/b/deploy');
  });

  it('a generated token lands in the real keychain and nowhere on disk', async () => {
    const server = await startSonarQubeServer({
      flavour: 'server',
      users: [{ login: 'grace', name: 'Grace' }],
    });
    try {
      const credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
      const vault = await coreFixture({ secrets: store });
      const account = await vault.call('accounts.add', {
        kind: 'server',
        baseUrl: server.url,
        credential,
        ownCredential: false,
      });
      const { value } = await vault.call('tokens.generate', {
        accountId: account.id,
        name: 'keychain-e2e',
        type: 'USER_TOKEN',
        expirationDate: null,
      });
      expect(await store.get(`token/${account.id}/keychain-e2e`)).toBe(value);
      expect(await store.get(`account/${account.id}/credential`)).toBe(credential);
      const disk = await vault.everythingOnDisk();
      expect(disk).toContain('keychain-e2e');
      expect(disk).not.toContain(value);
      expect(disk).not.toContain(credential);
    } finally {
      await server.close();
    }
  });
});

describe('without a Secret Service', () => {
  it.skipIf(!linux)('fails closed with a message that says what to do, and writes nothing', async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/vault-bus', DISPLAY: '' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/support/keychain-probe.ts'], {
      env,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      ok: boolean;
      code?: string;
      message?: string;
    };
    expect(result.ok).toBe(false);
    expect(result.code).toBe('keychain-unavailable');
    expect(result.message).toMatch(/The OS keychain is not available \(.+\)/);
    expect(result.message).toMatch(/start a Secret Service/);
    expect(result.message).not.toContain('squ_probe');
  });

  const refusing: SecretStore = {
    get: () => Promise.reject(keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))),
    set: () => Promise.reject(keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))),
    delete: () =>
      Promise.reject(keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))),
    keys: () =>
      Promise.reject(keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))),
  };

  it('adding an account stores no account at all', async () => {
    const server = await startSonarQubeServer({
      flavour: 'server',
      users: [{ login: 'grace', name: 'Grace' }],
    });
    try {
      const credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
      const vault = await coreFixture({ secrets: refusing });
      await expect(
        vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential }),
      ).rejects.toMatchObject({
        code: 'keychain-unavailable',
      });
      expect(await vault.call('accounts.list', {})).toEqual([]);
      expect(await vault.everythingOnDisk()).not.toContain(credential);
    } finally {
      await server.close();
    }
  });

  it('a token generated while the keychain refuses is still shown once, marked as not stored', async () => {
    const server = await startSonarQubeServer({
      flavour: 'server',
      users: [{ login: 'grace', name: 'Grace' }],
    });
    try {
      const credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
      const secrets = new MemorySecretStore();
      const vault = await coreFixture({ secrets });
      const account = await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential });
      // The keychain goes away after the account was added (locked, daemon gone).
      secrets.set = (key, value) => refusing.set(key, value);
      const result = await vault.call('tokens.generate', {
        accountId: account.id,
        name: 'while-locked',
        type: 'USER_TOKEN',
        expirationDate: null,
      });
      expect(result.stored).toBe(false);
      expect(result.value).toMatch(/^squ_[0-9a-f]{40}$/);
      expect(result.storeError).toMatch(/keychain is not available/);
      expect(result.token.inVault).toBe(false);
      expect(await vault.everythingOnDisk()).not.toContain(result.value);
    } finally {
      await server.close();
    }
  });
});
