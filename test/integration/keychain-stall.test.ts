/**
 * A keychain that stops answering (locked, its unlock prompt never answered), at each step that
 * uses it, through the real dispatch against a SonarQube-compatible server: every call gives up
 * in time and says why, and when the keychain answers after all (after the vault gave up), the
 * vault reconciles, so it ends consistent: no value in the keychain that vault.json does not
 * record, none recorded that the keychain lacks. A rotation never stays half done.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenList } from '@contract';
import type { SecretStore } from '@core/ports';
import { MemorySecretStore } from '@core/storage/memory-store';
import { timeLimited } from '@core/storage/time-limit';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type SeedToken, type TestServer } from '../support/sonarqube-server';

const TIMEOUT_MS = 30;
const STALLED = 'The keychain did not answer in 30 ms; is it locked? Unlock it and try again.';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);
const SUCCESSOR = 'ci-main-2026-11-25';

type Operation = 'get' | 'set' | 'delete';

/**
 * The keychain as the keytar store shows it to the vault (same time limit, a few ms), holding its
 * values in memory. Calls matching `stall` are held: never answered, or answered late by `answer()`.
 */
class StallingKeychain implements SecretStore {
  readonly values = new MemorySecretStore();
  private matches: ((operation: Operation, key: string) => boolean) | null = null;
  private held: (() => void)[] = [];

  stall(matches: (operation: Operation, key: string) => boolean): void {
    this.matches = matches;
  }

  /** Answers every call held so far (after the vault gave up on them) and stops stalling. */
  answer(): void {
    this.matches = null;
    for (const run of this.held.splice(0)) run();
  }

  get(key: string): Promise<string | null> {
    return this.run('get', key, () => this.values.get(key));
  }

  set(key: string, value: string): Promise<void> {
    return this.run('set', key, () => this.values.set(key, value));
  }

  delete(key: string): Promise<boolean> {
    return this.run('delete', key, () => this.values.delete(key));
  }

  keys(): Promise<string[]> {
    return this.values.keys();
  }

  private run<T>(operation: Operation, key: string, call: () => Promise<T>): Promise<T> {
    const answer = this.matches?.(operation, key)
      ? new Promise<T>((resolve, reject) => this.held.push(() => void call().then(resolve, reject)))
      : call();
    return timeLimited(answer, TIMEOUT_MS);
  }
}

const servers: TestServer[] = [];
const vaults: CoreFixture[] = [];
afterEach(async () => {
  for (const vault of vaults.splice(0)) vault.core.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** grace's Server account, with `seeds` as her tokens, their values held by the vault. */
async function stallingVault(seeds: SeedToken[] = []) {
  const server = await startSonarQubeServer({
    flavour: 'server',
    now: NOW,
    users: [{ login: 'grace', name: 'Grace Hopper' }],
    projects: [{ key: 'my-app', name: 'My App' }],
  });
  servers.push(server);
  const credential = server.addToken('grace', { name: 'vault', createdAt: new Date(NOW - DAY) });
  const values = Object.fromEntries(seeds.map((seed) => [seed.name, server.addToken('grace', seed)]));
  const keychain = new StallingKeychain();
  const vault = await coreFixture({ now: NOW, secrets: keychain });
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
  const accountId = account.id;
  const key = (name: string) => `token/${accountId}/${name}`;
  const credentialKey = `account/${accountId}/credential`;
  /**
   * vault.json's records and the keychain's entries say the same, once the vault has reconciled
   * (in the background: a keychain call, a vault.json write) what the keychain answered late.
   */
  async function expectConsistent(): Promise<void> {
    await vi.waitFor(
      async () => {
        const metadata = await vault.core.store.load();
        const recorded = [
          ...metadata.accounts.map((a) => `account/${a.id}/credential`),
          ...metadata.tokens.map((t) => `token/${t.accountId}/${t.name}`),
        ].sort();
        expect((await keychain.values.keys()).sort()).toEqual(recorded);
      },
      { timeout: 2_000 },
    );
    // And the reconciliation's last steps (freeing the entry) are done.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { server, vault, keychain, accountId, credential, values, key, credentialKey, expectConsistent };
}

const ciMain: SeedToken = {
  name: 'ci-main',
  type: 'PROJECT_ANALYSIS_TOKEN',
  projectKey: 'my-app',
  createdAt: new Date(Date.UTC(2026, 10, 15, 10, 15, 30)),
  expirationDate: new Date(Date.UTC(2026, 11, 15)),
};
const row = (list: TokenList, name: string) => list.tokens.find((t) => t.name === name);
const onServer = (server: TestServer, path: string) => server.requests.filter((r) => r.path === path);

describe('a keychain that does not answer', () => {
  it('copy and reveal give up in time and say why; a late answer is never copied', async () => {
    const { vault, keychain, accountId, key } = await stallingVault([ciMain]);
    keychain.stall((op, k) => op === 'get' && k === key('ci-main'));
    const ref = { accountId, name: 'ci-main' };
    await expect(vault.call('tokens.copy', ref)).rejects.toMatchObject({
      code: 'keychain-unavailable',
      message: STALLED,
    });
    await expect(vault.call('tokens.reveal', ref)).rejects.toMatchObject({ message: STALLED });
    keychain.answer();
    expect(vault.clipboard.text).toBe('');
    await vault.call('tokens.copy', ref);
    expect(vault.clipboard.text).not.toBe('');
  });

  it('generate: the value is shown once as not kept; kept late, it is taken out again', async () => {
    const { vault, keychain, accountId, key, expectConsistent } = await stallingVault();
    keychain.stall((op) => op === 'set');
    const result = await vault.call('tokens.generate', {
      accountId,
      name: 'while-locked',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    expect(result).toMatchObject({ stored: false, storeError: STALLED, token: { inVault: false } });
    expect(result.value).toMatch(/^squ_[0-9a-f]{40}$/);
    keychain.answer();
    // The user was told it is not kept: a value landing later does not stay behind unknown.
    await expectConsistent();
    expect(await keychain.values.get(key('while-locked'))).toBeNull();
    expect(row(await vault.call('tokens.list', { accountId }), 'while-locked')?.inVault).toBe(false);
    expect(await vault.everythingOnDisk()).not.toContain(result.value);
  });

  it('import: refused in time, undone if it lands, and the entry takes no second write until then', async () => {
    const { server, vault, keychain, accountId, key, expectConsistent } = await stallingVault();
    const value = server.addToken('grace', { name: 'laptop', createdAt: new Date(NOW) });
    await vault.call('tokens.list', { accountId });
    keychain.stall((op) => op === 'set');
    const input = { accountId, name: 'laptop', value };
    await expect(vault.call('tokens.import', input)).rejects.toMatchObject({ message: STALLED });
    // The write given up on is still queued in the keychain: another one would race it.
    await expect(vault.call('tokens.import', input)).rejects.toMatchObject({
      code: 'keychain-unavailable',
      message:
        'The keychain has not answered an earlier request for this entry yet; is it locked? Unlock it and try again.',
    });
    keychain.answer();
    await expectConsistent();
    expect(await keychain.values.get(key('laptop'))).toBeNull();
    // Once it answered, the import goes through.
    expect((await vault.call('tokens.import', input)).inVault).toBe(true);
    expect(await keychain.values.get(key('laptop'))).toBe(value);
    await expectConsistent();
  });

  it('adding an account: nothing is added, and a credential landing late is removed', async () => {
    const { server, vault, keychain, expectConsistent } = await stallingVault();
    const other = server.addToken('grace', { name: 'second', createdAt: new Date(NOW) });
    await vault.call('accounts.remove', { accountId: (await vault.call('accounts.list', {}))[0]!.id });
    keychain.stall((op) => op === 'set');
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential: other }),
    ).rejects.toMatchObject({ message: STALLED });
    expect(await vault.call('accounts.list', {})).toEqual([]);
    keychain.answer();
    await expectConsistent();
    expect(await keychain.values.keys()).toEqual([]);
  });

  it('replacing the credential: refused in time; landing late, the new (checked) credential is kept', async () => {
    const { server, vault, keychain, accountId, credentialKey, expectConsistent } = await stallingVault();
    const replacement = server.addToken('grace', { name: 'vault-2', createdAt: new Date(NOW) });
    keychain.stall((op) => op === 'set');
    await expect(
      vault.call('accounts.replaceCredential', { accountId, credential: replacement }),
    ).rejects.toMatchObject({ message: STALLED });
    keychain.answer();
    await expectConsistent();
    expect(await keychain.values.get(credentialKey)).toBe(replacement);
    expect((await vault.call('tokens.list', { accountId })).stale).toBe(false);
  });

  it('forget: refused in time; the delete landing late is recorded', async () => {
    const { server, vault, keychain, accountId, key, credential, expectConsistent } = await stallingVault([
      ciMain,
    ]);
    await revokeBehindTheVault(server, credential, 'ci-main');
    keychain.stall((op) => op === 'delete');
    await expect(vault.call('tokens.forget', { accountId, name: 'ci-main' })).rejects.toMatchObject({
      message: STALLED,
    });
    expect((await vault.core.store.load()).tokens).toHaveLength(1);
    keychain.answer();
    await expectConsistent();
    expect(await keychain.values.get(key('ci-main'))).toBeNull();
    expect(row(await vault.call('tokens.list', { accountId }), 'ci-main')).toBeUndefined();
  });

  it('removing an account: refused in time, nothing half removed that a retry does not finish', async () => {
    const { vault, keychain, accountId, key, expectConsistent } = await stallingVault([ciMain]);
    keychain.stall((op, k) => op === 'delete' && k === key('ci-main'));
    await expect(vault.call('accounts.remove', { accountId })).rejects.toMatchObject({ message: STALLED });
    expect(await vault.call('accounts.list', {})).toHaveLength(1);
    keychain.answer();
    await expectConsistent();
    await vault.call('accounts.remove', { accountId });
    expect(await keychain.values.keys()).toEqual([]);
    await expectConsistent();
  });
});

describe('a rotation, whatever step the keychain stalls at', () => {
  it('at the start (the credential): nothing is generated, and the account is free again', async () => {
    const { server, vault, keychain, accountId, credentialKey } = await stallingVault([ciMain]);
    keychain.stall((op, k) => op === 'get' && k === credentialKey);
    await expect(vault.call('tokens.rotate', { accountId, name: 'ci-main' })).rejects.toMatchObject({
      message: STALLED,
    });
    expect(onServer(server, '/api/user_tokens/generate')).toEqual([]);
    expect((await vault.core.store.load()).rotations ?? []).toEqual([]);
    keychain.answer();
    // The account's rotation lock was not held by the stalled call.
    expect((await vault.call('tokens.rotate', { accountId, name: 'ci-main' })).stored).toBe(true);
  });

  it('keeping the successor: shown once, the predecessor not revoked, the record says so; recoverable', async () => {
    const { server, vault, keychain, accountId, key, values, expectConsistent } = await stallingVault([
      ciMain,
    ]);
    await vault.core.start();
    keychain.stall((op, k) => op === 'set' && k === key(SUCCESSOR));
    const result = await vault.call('tokens.rotate', { accountId, name: 'ci-main', revokeOldAfterMs: HOUR });
    const note = `The value of "${SUCCESSOR}" was not kept when it was generated, so "ci-main" is revoked only when you confirm "${SUCCESSOR}" works.`;
    expect(result).toMatchObject({
      stored: false,
      storeError: STALLED,
      predecessor: 'ci-main',
      token: { name: SUCCESSOR, inVault: false, rotation: { revokeAt: null, lastError: note } },
    });
    expect((await vault.core.store.load()).rotations).toEqual([
      expect.objectContaining({
        predecessor: 'ci-main',
        successor: SUCCESSOR,
        revokeAt: null,
        lastError: note,
      }),
    ]);
    // The delay the user asked for passes: the predecessor stays, its value too.
    await vault.clock.advance(3 * HOUR, () => vault.core.rotations.settled());
    expect(onServer(server, '/api/user_tokens/revoke')).toEqual([]);
    expect(server.tokenNames('grace')).toEqual(['vault', 'ci-main', SUCCESSOR]);
    // The keychain answers late: the successor's value, which the user was told is not kept, goes.
    keychain.answer();
    await expectConsistent();
    expect(await keychain.values.get(key('ci-main'))).toBe(values['ci-main']);
    const list = await vault.call('tokens.list', { accountId });
    expect(row(list, 'ci-main')).toMatchObject({
      inVault: true,
      rotation: { role: 'predecessor', lastError: note },
    });
    expect(row(list, SUCCESSOR)).toMatchObject({ inVault: false, rotation: { role: 'successor' } });
    // Recovery: the value copied from the panel is imported, then the rotation completes.
    await vault.call('tokens.import', { accountId, name: SUCCESSOR, value: result.value });
    await vault.call('tokens.completeRotation', { accountId, name: 'ci-main' });
    expect(server.tokenNames('grace')).toEqual(['vault', SUCCESSOR]);
    expect((await vault.core.store.load()).rotations).toEqual([]);
    await expectConsistent();
  });

  it('completing (the credential): not revoked, the record says why; a retry completes', async () => {
    const { server, vault, keychain, accountId, credentialKey, expectConsistent } = await stallingVault([
      ciMain,
    ]);
    await vault.call('tokens.rotate', { accountId, name: 'ci-main' });
    keychain.stall((op, k) => op === 'get' && k === credentialKey);
    await expect(vault.call('tokens.completeRotation', { accountId, name: 'ci-main' })).rejects.toMatchObject(
      {
        message: STALLED,
      },
    );
    expect(server.tokenNames('grace')).toEqual(['vault', 'ci-main', SUCCESSOR]);
    expect((await vault.core.store.load()).rotations).toEqual([
      expect.objectContaining({ predecessor: 'ci-main', lastError: STALLED }),
    ]);
    const pushed = vault.events.filter((e) => e.event === 'tokens.changed').at(-1)?.payload as TokenList;
    expect(row(pushed, 'ci-main')?.rotation?.lastError).toBe(STALLED);
    keychain.answer();
    await vault.call('tokens.completeRotation', { accountId, name: 'ci-main' });
    expect(server.tokenNames('grace')).toEqual(['vault', SUCCESSOR]);
    await expectConsistent();
  });

  it('completing (after the revoke): the rotation is over, the value shown as gone, then forgotten', async () => {
    const { server, vault, keychain, accountId, key, credentialKey, expectConsistent } = await stallingVault([
      ciMain,
    ]);
    await vault.call('tokens.rotate', { accountId, name: 'ci-main' });
    // Once the server has revoked it, nothing answers: not the value's delete, not the refresh.
    const revoked = () => onServer(server, '/api/user_tokens/revoke').length > 0;
    keychain.stall(
      (op, k) =>
        (op === 'delete' && k === key('ci-main')) || (op === 'get' && k === credentialKey && revoked()),
    );
    await expect(vault.call('tokens.completeRotation', { accountId, name: 'ci-main' })).rejects.toMatchObject(
      {
        code: 'keychain-unavailable',
        message: `"ci-main" is revoked. Its value could not be forgotten: ${STALLED} It shows as gone from the server until you forget it.`,
      },
    );
    expect(server.tokenNames('grace')).toEqual(['vault', SUCCESSOR]);
    expect((await vault.core.store.load()).rotations).toEqual([]);
    keychain.stall((op, k) => op === 'delete' && k === key('ci-main'));
    const list = await vault.call('tokens.list', { accountId });
    expect(row(list, 'ci-main')).toMatchObject({ onServer: false, inVault: true });
    expect(row(list, 'ci-main')?.rotation).toBeUndefined();
    expect(row(list, SUCCESSOR)?.rotation).toBeUndefined();
    keychain.answer();
    await expectConsistent();
    expect(row(await vault.call('tokens.list', { accountId }), 'ci-main')).toBeUndefined();
  });
});

async function revokeBehindTheVault(server: TestServer, credential: string, name: string): Promise<void> {
  const response = await fetch(`${server.url}/api/user_tokens/revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name }).toString(),
  });
  expect(response.status).toBe(204);
}
