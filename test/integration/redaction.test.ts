/**
 * Text the vault does not write itself (a server's error message, a network failure, the
 * keychain's refusal) reaches the renderer, vault.json and the log sanitized: a token-shaped value
 * in it, of any of the four shapes, is shown, stored and logged as "[token]", at every door.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, type CallInput, type CallName, type CallOutput, type TokenList } from '@contract';
import { createCore, type Core } from '@core/create-core';
import { createFileLogger } from '@core/file-logger';
import { DAY_MS, HOUR_MS } from '@shared/expiry';
import type { Fetch } from '@core/ports';
import { REDACTED } from '@core/redact';
import { MemorySecretStore } from '@core/storage/memory-store';
import { MetadataStore } from '@core/storage/metadata-store';
import { FakeClock } from '../support/fake-clock';
import { MemoryClipboard } from '../support/memory-clipboard';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const hex = () => randomBytes(20).toString('hex');
const SHAPED = [`squ_${hex()}`, `SQA_${hex().toUpperCase()}`, `sqp_${hex()}`, hex()] as const;
/** What a server, a proxy or the OS might say, quoting values. */
const QUOTED = `refused ${SHAPED.join(', ')}.`;
const CLEAN = `refused ${Array(SHAPED.length).fill(REDACTED).join(', ')}.`;
const serverSays = (status: number) =>
  ({
    kind: 'status',
    status,
    contentType: 'application/json',
    body: JSON.stringify({ errors: [{ msg: QUOTED }] }),
  }) as const;

function expectNoValue(text: string): void {
  for (const value of SHAPED) expect(text.toLowerCase()).not.toContain(value.slice(-40).toLowerCase());
}

async function everythingIn(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')),
  );
  return texts.join('\n');
}

/** A core like core-fixture's, with a fetch that can fail on demand and a recording notifier. */
async function vault(dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'vault-redact-')));
  const failures: Error[] = [];
  const fetcher: Fetch = (input, init) => {
    const failure = failures.shift();
    return failure ? Promise.reject(failure) : fetch(input, init);
  };
  const secrets = new MemorySecretStore();
  const notes: { title: string; body: string }[] = [];
  const clock = new FakeClock();
  const core: Core = createCore({
    dataDir: dir,
    secrets,
    clipboard: new MemoryClipboard(),
    fetch: fetcher,
    clock,
    log: createFileLogger(join(dir, 'logs'), () => clock.now()),
    notifier: { notify: ({ title, body }) => void notes.push({ title, body }) },
    requestTimeoutMs: 2_000,
  });
  const pushed: unknown[] = [];
  core.events.subscribe((_event, payload) => pushed.push(payload));
  /** The envelope as the renderer gets it: the error's message, or the value. */
  async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    const envelope = await core.dispatch(name, input);
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return calls[name].output.parse(envelope.value) as CallOutput<K>;
  }
  return { dir, core, call, secrets, failures, notes, pushed };
}

describe('free-form text is sanitized wherever it goes', () => {
  let server: TestServer;
  let v: Awaited<ReturnType<typeof vault>>;
  let accountId: string;

  beforeAll(async () => {
    server = await startSonarQubeServer({ flavour: 'server', users: [{ login: 'grace', name: 'Grace' }] });
    const credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
    v = await vault();
    accountId = (await v.call('accounts.add', { kind: 'server', baseUrl: server.url, credential })).id;
    await v.call('tokens.list', { accountId });
  });
  afterAll(() => server.close());

  it("a server's refusal reaches the renderer sanitized (the dispatch's envelope)", async () => {
    server.fault('/api/user_tokens/generate', serverSays(400));
    await expect(
      v.call('tokens.generate', { accountId, name: 'refused', type: 'USER_TOKEN', expirationDate: null }),
    ).rejects.toMatchObject({ code: 'rejected', message: CLEAN });
  });

  it("the keychain's refusal of a generated value (storeError)", async () => {
    const set = v.secrets.set.bind(v.secrets);
    v.secrets.set = () => Promise.reject(new Error(QUOTED));
    try {
      const result = await v.call('tokens.generate', {
        accountId,
        name: 'not-kept',
        type: 'USER_TOKEN',
        expirationDate: null,
      });
      expect(result.stored).toBe(false);
      expect(result.storeError).toBe(CLEAN);
    } finally {
      v.secrets.set = set;
    }
  });

  it('a stale list says why, sanitized: in the answer and in the event', async () => {
    server.fault('/api/user_tokens/search', serverSays(400));
    const list = await v.call('tokens.list', { accountId });
    expect(list).toMatchObject({ stale: true, problem: CLEAN });
    expect((v.pushed.at(-1) as TokenList).problem).toBe(CLEAN);
  });

  it("an unreachable account's status message", async () => {
    const unreachable = () => new TypeError('fetch failed', { cause: new Error(QUOTED) });
    v.failures.push(unreachable(), unreachable(), unreachable());
    await v.call('tokens.list', { accountId });
    const [account] = await v.call('accounts.list', {});
    expect(account).toMatchObject({ status: 'unreachable' });
    expect(account?.statusMessage).toContain(CLEAN.slice(0, -1));
    expectNoValue(JSON.stringify(account));
  });

  it("a rotation's lastError: in vault.json, in the lists, in the events", async () => {
    await v.call('tokens.generate', { accountId, name: 'ci', type: 'USER_TOKEN', expirationDate: null });
    await v.call('tokens.rotate', { accountId, name: 'ci' });
    server.fault('/api/user_tokens/revoke', serverSays(500));
    await expect(v.call('tokens.completeRotation', { accountId, name: 'ci' })).rejects.toMatchObject({
      code: 'server-error',
      message: CLEAN,
    });
    expect((await v.core.store.load()).rotations).toMatchObject([{ predecessor: 'ci', lastError: CLEAN }]);
    const list = await v.call('tokens.list', { accountId });
    expect(list.tokens.find((t) => t.name === 'ci')?.rotation?.lastError).toBe(CLEAN);
  });

  it('nothing of it is anywhere on disk (vault.json, the log) nor in any event', async () => {
    const disk = await everythingIn(v.dir);
    expect(disk).toContain(REDACTED);
    expectNoValue(disk);
    expectNoValue(JSON.stringify(v.pushed));
  });
});

describe('written before sanitizing, or named like a value', () => {
  it('a rotation record an older version wrote is shown sanitized; notifications are too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-redact-'));
    const now = Date.now();
    // A token named like a value, in an account labelled like one, expiring in 2 hours.
    const named = SHAPED[2];
    await new MetadataStore(dir).update((m) => {
      m.accounts.push({
        id: 'acct-legacy-0001',
        kind: 'server',
        label: SHAPED[3],
        baseUrl: 'https://sq.example.com',
        login: 'grace',
        userName: 'Grace',
        isAdmin: false,
        serverVersion: '10.7.0.96327',
        addedAt: now - DAY_MS,
      });
      m.snapshots['acct-legacy-0001'] = {
        refreshedAt: now,
        tokens: [
          {
            accountId: 'acct-legacy-0001',
            name: named,
            createdAt: now - DAY_MS,
            lastUsedAt: null,
            expiresAt: now + 2 * HOUR_MS,
            expiryBasis: 'fixed',
            serverSaysExpired: false,
            inVault: false,
            onServer: true,
            keepAlive: false,
          },
        ],
      };
      m.rotations = [
        {
          accountId: 'acct-legacy-0001',
          predecessor: named,
          successor: 'next',
          startedAt: now,
          revokeAt: null,
          lastError: QUOTED,
        },
      ];
    });
    const v = await vault(dir);
    await v.core.watcher.start();
    v.core.stop();
    expect(v.notes.length).toBeGreaterThan(0);
    expectNoValue(JSON.stringify(v.notes));
    expect(JSON.stringify(v.notes)).toContain(REDACTED);
    // The server cannot be reached: the list shown is the last one, with the rotation state.
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    v.failures.push(new TypeError('fetch failed', { cause: refused }));
    await v.secrets.set('account/acct-legacy-0001/credential', 'squ_' + hex());
    const list = await v.call('tokens.list', { accountId: 'acct-legacy-0001' });
    expect(list.stale).toBe(true);
    expect(list.tokens[0]?.rotation?.lastError).toBe(CLEAN);
    expect((v.pushed.at(-1) as TokenList).tokens[0]?.rotation?.lastError).toBe(CLEAN);
  });
});
