/**
 * Keychain leftovers: entries a process killed between its keychain write and its vault.json
 * write left behind. Each test plays that kill by writing the keychain entry itself, then starts
 * the vault on the folder (a restart): a value of a token the account's last list shows is
 * adopted, anything else is reported, never read, sent or deleted until the user forgets it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '@core/storage/memory-store';
import { keychainUnavailable } from '@core/storage/keytar-store';
import { FILE_NAME } from '@core/storage/metadata-store';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const UNKNOWN_ID = '7f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const VALUE = 'squ_1eff0e5000000000000000000000000000000001';

/** Records which keys the vault read: a leftover's value is never read. */
class WatchedKeychain extends MemorySecretStore {
  readonly reads: string[] = [];
  override get(key: string): Promise<string | null> {
    this.reads.push(key);
    return super.get(key);
  }
}

describe('keychain leftovers', () => {
  let server: TestServer;
  let credential: string;
  const vaults: CoreFixture[] = [];
  beforeAll(async () => {
    server = await startSonarQubeServer({ flavour: 'server', users: [{ login: 'grace', name: 'Grace' }] });
    credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
    server.addToken('grace', { name: 'ci', createdAt: new Date() });
  });
  afterAll(() => server.close());
  afterEach(() => {
    for (const vault of vaults.splice(0)) vault.core.stop();
  });

  /** A vault with one account whose last list shows "ci" (not held); restarted by `restart`. */
  async function vaultWithAccount(secrets = new WatchedKeychain()) {
    const first = await coreFixture({ secrets });
    vaults.push(first);
    const account = await first.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential,
      ownCredential: false,
    });
    await first.call('tokens.list', { accountId: account.id });
    first.core.stop();
    /** Everything the restarted vault sends (URL, headers, body): a leftover is never among it. */
    const sent: string[] = [];
    const restart = async () => {
      const vault = await coreFixture({
        secrets,
        dataDir: first.dataDir,
        fetch: (input, init) => {
          sent.push(
            input,
            JSON.stringify(init?.headers ?? {}),
            typeof init?.body === 'string' ? init.body : '',
          );
          return fetch(input, init);
        },
      });
      vaults.push(vault);
      await vault.core.start();
      return vault;
    };
    return { secrets, accountId: account.id, restart, sent };
  }

  it("adopts the value of a token the account's last list shows, as the interrupted write would have", async () => {
    const { secrets, accountId, restart } = await vaultWithAccount();
    await secrets.set(`token/${accountId}/ci`, VALUE); // killed before its record was written

    const vault = await restart();
    expect((await vault.call('app.status', {})).leftovers).toEqual([]);
    const list = await vault.call('tokens.list', { accountId });
    expect(list.tokens.find((t) => t.name === 'ci')).toMatchObject({ inVault: true, onServer: true });
    const stored = JSON.parse(await readFile(join(vault.dataDir, FILE_NAME), 'utf8')) as {
      tokens: { accountId: string; name: string }[];
    };
    expect(stored.tokens).toContainEqual(expect.objectContaining({ accountId, name: 'ci' }));
    expect(secrets.reads).not.toContain(`token/${accountId}/ci`);
    const disk = await vault.everythingOnDisk();
    expect(disk).toContain('keychain value adopted');
    expect(disk).not.toContain(VALUE);
    // The row the renderer shows comes with a fresh list.
    expect(vault.events.some((e) => e.event === 'leftovers.changed')).toBe(true);
  });

  it('reports everything else, untouched: never read, never deleted', async () => {
    const { secrets, accountId, restart, sent } = await vaultWithAccount();
    const leftovers = {
      [`account/${UNKNOWN_ID}/credential`]:
        'A credential for an account that was never saved (interrupted while adding an account)',
      [`token/${UNKNOWN_ID}/deploy`]: 'The value of token "deploy" of an account the vault does not know',
      [`token/${accountId}/nightly`]: `The value of token "nightly" of ${new URL(server.url).host}, which its server's last list does not show`,
      'something/else': 'A keychain entry the vault does not recognize ("something/else")',
    };
    for (const key of Object.keys(leftovers)) await secrets.set(key, VALUE);

    const vault = await restart();
    const status = await vault.call('app.status', {});
    expect(Object.fromEntries(status.leftovers.map((l) => [l.key, l.description]))).toEqual(leftovers);
    for (const key of Object.keys(leftovers)) {
      expect(await secrets.get(key)).toBe(VALUE);
      expect(secrets.reads.filter((k) => k === key)).toHaveLength(1); // this test's own read
    }
    expect(JSON.stringify(status)).not.toContain(VALUE);
    expect(await vault.everythingOnDisk()).not.toContain(VALUE);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.join('\n')).not.toContain(VALUE);
  });

  it('adopts a reported value once a fresh list shows its token', async () => {
    const { secrets, accountId, restart } = await vaultWithAccount();
    await secrets.set(`token/${accountId}/release`, VALUE); // generated, killed before the record
    const vault = await restart();
    expect((await vault.call('app.status', {})).leftovers.map((l) => l.key)).toEqual([
      `token/${accountId}/release`,
    ]);
    server.addToken('grace', { name: 'release', createdAt: new Date() }); // the server lists it now
    const changes = vault.events.length;
    await vault.call('tokens.refreshAll', { reason: 'user' });
    expect(vault.events.slice(changes).some((e) => e.event === 'leftovers.changed')).toBe(true);
    expect((await vault.call('app.status', {})).leftovers).toEqual([]);
    const list = await vault.call('tokens.list', { accountId });
    expect(list.tokens.find((t) => t.name === 'release')).toMatchObject({ inVault: true });
  });

  it('forgets reported entries on request, and only those', async () => {
    const { secrets, accountId, restart } = await vaultWithAccount();
    const orphan = `account/${UNKNOWN_ID}/credential`;
    await secrets.set(orphan, VALUE);
    const vault = await restart();
    expect((await vault.call('app.status', {})).leftovers.map((l) => l.key)).toEqual([orphan]);

    // Keys the vault did not report, or references, are refused, and nothing is deleted.
    for (const keys of [[`account/${accountId}/credential`], [orphan, 'token/x/never-reported']]) {
      await expect(vault.call('app.forgetLeftovers', { keys })).rejects.toMatchObject({ code: 'rejected' });
    }
    expect(await secrets.get(orphan)).toBe(VALUE);
    expect(await secrets.get(`account/${accountId}/credential`)).toBe(credential);

    await vault.call('app.forgetLeftovers', { keys: [orphan] });
    expect(await secrets.get(orphan)).toBeNull();
    expect((await vault.call('app.status', {})).leftovers).toEqual([]);
    expect(await secrets.keys()).toEqual([`account/${accountId}/credential`]);
  });

  it('a write of this run not yet recorded is in flight, not a leftover', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class SlowAfterWrite extends WatchedKeychain {
      override async set(key: string, value: string): Promise<void> {
        await super.set(key, value);
        await gate; // written, and its record not yet
      }
    }
    const secrets = new SlowAfterWrite();
    const vault = await coreFixture({ secrets });
    vaults.push(vault);
    const adding = vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential,
      ownCredential: false,
    });
    await expect.poll(() => secrets.keys()).toHaveLength(1);
    expect((await vault.call('app.status', {})).leftovers).toEqual([]);
    release();
    await adding;
  });

  it('a keychain that does not answer leaves the status and the start working', async () => {
    const unavailable = () => Promise.reject(keychainUnavailable(new Error('no Secret Service')));
    const vault = await coreFixture({
      secrets: { get: unavailable, set: unavailable, delete: unavailable, keys: unavailable },
    });
    vaults.push(vault);
    await vault.core.start();
    expect(await vault.call('app.status', {})).toMatchObject({ leftovers: [], storeProblem: null });
    expect(await vault.everythingOnDisk()).toContain('keychain leftovers not checked');
  });
});
