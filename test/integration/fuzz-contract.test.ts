/**
 * Every contract call with generated payloads, through the one boundary (core.dispatch), on a
 * vault that has a Server account and a Cloud account, held values and a rotation in progress.
 * Each run starts from that same vault, offline: what needs a server fails as data, what does not
 * (settings, stale lists, copy, reveal, forget, remove) succeeds, and nothing reaches a network.
 *
 * Properties: dispatch always answers an envelope; input the call's schema refuses is answered
 * 'invalid-input' and never ok; every ok answer honours the call's output schema; a token-shaped
 * value anywhere in a payload (or in a call name) is in no error message and nowhere on disk.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, type CallName, type Envelope } from '@contract';
import type { Fetch } from '@core/ports';
import { MemorySecretStore } from '@core/storage/memory-store';
import type { CloudHosts } from '@core/sonarqube/regions';
import { FILE_NAME } from '@core/storage/metadata-store';
import {
  anyCall,
  fieldsFor,
  junk,
  mostlyPlausible,
  plausibleFields,
  type KnownValues,
} from '../support/contract-payloads';
import { coreFixture } from '../support/core-fixture';
import { startSonarQubeServer } from '../support/sonarqube-server';
import { carriedBy, leakedPart, tokenShapedIn, tokenValue } from '../support/token-values';

const CALL_NAMES = Object.keys(calls) as CallName[];
/** Names an object lookup could mistake for a call. */
const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  '__lookupSetter__',
  'prototype',
  '',
] as const;

/** What a request meets: a refused connection, at once (never retried), and counted. */
let requestsMade = 0;
const offline: Fetch = () => {
  requestsMade++;
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  return Promise.reject(new TypeError('fetch failed', { cause: refused }));
};

/** The vault every run starts from, built once against local servers. */
interface Template {
  readonly vaultJson: string;
  readonly keychain: readonly (readonly [string, string])[];
  readonly cloudHosts: CloudHosts;
  readonly now: number;
  readonly known: KnownValues;
}

async function buildTemplate(): Promise<Template> {
  const createdAt = new Date();
  const server = await startSonarQubeServer({
    flavour: 'server',
    projects: [{ key: 'my-app', name: 'My App' }],
    users: [
      { login: 'grace', name: 'Grace', admin: true },
      { login: 'alan', name: 'Alan', tokens: [{ name: 'alan-laptop', createdAt }] },
    ],
  });
  const cloud = await startSonarQubeServer({
    flavour: 'cloud',
    organizations: [{ key: 'acme', name: 'ACME' }],
    users: [{ login: 'ada', name: 'Ada', organizations: ['acme'] }],
  });
  const cloudHosts = { 'cloud-eu': cloud.url, 'cloud-us': cloud.url };
  const vault = await coreFixture({ cloudHosts });
  try {
    const credential = server.addToken('grace', { name: 'vault', createdAt });
    const cloudCredential = cloud.addToken('ada', { name: 'vault', createdAt });
    const onServer = await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential });
    const onCloud = await vault.call('accounts.add', {
      kind: 'cloud-eu',
      organization: 'acme',
      credential: cloudCredential,
    });
    const generate = { type: 'USER_TOKEN', expirationDate: null } as const;
    await vault.call('tokens.generate', { ...generate, accountId: onServer.id, name: 'ci' });
    await vault.call('tokens.generate', { ...generate, accountId: onCloud.id, name: 'laptop' });
    const rotated = await vault.call('tokens.rotate', { accountId: onServer.id, name: 'ci' });
    await vault.call('tokens.setKeepAlive', { accountId: onCloud.id, name: 'laptop', enabled: true });
    server.addToken('grace', { name: 'not-held', createdAt });
    await vault.call('tokens.list', { accountId: onServer.id });
    vault.core.stop();
    await Promise.all([vault.core.watcher.settled(), vault.core.rotations.settled()]);
    const store = vault.secrets as MemorySecretStore;
    const keychain = await Promise.all(
      (await store.keys()).map(async (key) => [key, (await store.get(key)) ?? ''] as const),
    );
    return {
      vaultJson: await readFile(join(vault.dataDir, FILE_NAME), 'utf8'),
      keychain,
      cloudHosts,
      now: vault.clock.now(),
      known: {
        accountIds: [onServer.id, onCloud.id],
        tokenNames: ['ci', rotated.token.name, 'laptop', 'not-held', 'vault', 'alan-laptop'],
        keychainKeys: keychain.map(([key]) => key),
        serverUrl: server.url,
      },
    };
  } finally {
    await Promise.all([server.close(), cloud.close(), rm(vault.dataDir, { recursive: true, force: true })]);
  }
}

/**
 * One call on the template vault as it was: one data folder whose vault.json and log are reset
 * before every run, and a core and a keychain of the run's own. Answers the envelope and
 * everything the data folder holds once the call and the work it started are over.
 */
async function bench(template: Template) {
  const dataDir = await mkdtemp(join(tmpdir(), 'vault-fuzz-'));
  await mkdir(join(dataDir, 'logs'));
  return {
    async dispatch(call: string, payload: unknown): Promise<{ envelope: Envelope<unknown>; disk: string }> {
      await writeFile(join(dataDir, FILE_NAME), template.vaultJson);
      await writeFile(join(dataDir, 'logs', 'vault.log'), '');
      const secrets = new MemorySecretStore();
      for (const [key, value] of template.keychain) await secrets.set(key, value);
      const vault = await coreFixture({
        dataDir,
        secrets,
        cloudHosts: template.cloudHosts,
        now: template.now,
        fetch: offline,
      });
      const settled = () => Promise.all([vault.core.watcher.settled(), vault.core.rotations.settled()]);
      try {
        const envelope = await vault.core.dispatch(call, payload);
        await settled();
        return { envelope, disk: await vault.everythingOnDisk() };
      } finally {
        vault.core.stop();
        await settled();
      }
    },
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
}

let template: Template;
let run: Awaited<ReturnType<typeof bench>>;
beforeAll(async () => {
  template = await buildTemplate();
  run = await bench(template);
}, 30_000);
afterAll(() => run.close());

describe('the boundary with generated payloads', () => {
  it('answers an envelope for any call name and any payload, never an exception', async () => {
    const callName = fc.oneof(
      { arbitrary: fc.constantFrom(...CALL_NAMES), weight: 3 },
      { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES), weight: 2 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...CALL_NAMES), fc.constantFrom(' ', '\u0000', '.', '/x', 'upper'))
          .map(([c, tail]) => (tail === 'upper' ? c.toUpperCase() : c + tail)),
        weight: 1,
      },
      { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
      // The transports pass a string, but the boundary checks the type itself: tried too, with
      // objects String() cannot convert (as JSON or a structured clone can carry them).
      {
        arbitrary: fc.oneof(
          fc.anything({ withNullPrototype: true }),
          fc.constantFrom(Object.create(null) as object, { toString: 1 }, { toString: {}, valueOf: {} }),
        ) as fc.Arbitrary<string>,
        weight: 1,
      },
    );
    const payload = fc.oneof(
      { arbitrary: junk, weight: 2 },
      { arbitrary: anyCall(mostlyPlausible(template.known)).map((c) => c.payload), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(callName, payload, async (call, input) => {
        const { envelope } = await run.dispatch(call, input);
        expect(typeof envelope.ok).toBe('boolean');
        if (!envelope.ok) expect(typeof envelope.error.message).toBe('string');
        if (typeof call !== 'string' || !Object.hasOwn(calls, call)) {
          expect(envelope).toEqual({ ok: false, error: { code: 'invalid-input', message: 'Unknown call.' } });
        }
      }),
      { numRuns: 150 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers input its schema refuses with invalid-input, never ok; every ok answer parses', async () => {
    const seen = { ok: 0, refused: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(anyCall(mostlyPlausible(template.known)), async ({ call, payload }) => {
        const accepted = calls[call].input.safeParse(payload).success;
        const { envelope } = await run.dispatch(call, payload);
        if (!accepted) {
          expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
          seen.refused++;
        } else if (envelope.ok) {
          expect(calls[call].output.safeParse(envelope.value).error?.issues ?? []).toEqual([]);
          seen.ok++;
        } else {
          seen.failed++;
        }
      }),
      { numRuns: 300 },
    );
    // The generated space reaches the handlers, both ways, not only the schema's refusals.
    expect(Math.min(seen.ok, seen.failed, seen.refused)).toBeGreaterThan(20);
    expect(requestsMade).toBeGreaterThan(0);
  });

  /** Whether the answer or the data folder gives away any token-shaped value of the input. */
  async function expectNothingEchoed(call: string, payload: unknown): Promise<void> {
    const values = tokenShapedIn([call, payload]);
    const { envelope, disk } = await run.dispatch(call, payload);
    const message = envelope.ok ? '' : envelope.error.message;
    for (const value of values) {
      expect(leakedPart(message, value), `${value} in the message: ${message}`).toBeNull();
      expect(leakedPart(disk, value), `${value} on disk`).toBeNull();
    }
  }

  it('never echoes a token-shaped value in any field: not in an error message, not on disk', async () => {
    const plausible = plausibleFields(template.known);
    // Every field of every call in turn, the others plausible: a value that passes as an account
    // id (a bare Cloud value) or a name reaches its handler, one that does not is refused.
    for (const call of CALL_NAMES) {
      const shape = calls[call].input.shape as Record<string, Parameters<typeof carriedBy>[0]>;
      for (const [field, schema] of Object.entries(shape)) {
        const input = fc
          .tuple(fieldsFor(call, plausible), carriedBy(schema))
          .map(([fields, carried]) => ({ call, payload: { ...fields, [field]: carried } }));
        await fc.assert(
          fc.asyncProperty(input, (i) => expectNothingEchoed(i.call, i.payload)),
          { numRuns: 12 },
        );
      }
    }
  });

  it('never echoes a token-shaped value given as a key or in a call name', async () => {
    const asKey = fc
      .tuple(anyCall(plausibleFields(template.known)), tokenValue)
      .map(([{ call, payload }, value]) => ({
        call,
        payload:
          payload !== null && typeof payload === 'object' ? { ...payload, [value]: 'x' } : { [value]: 1 },
      }));
    // A call name the log quotes, cut to its first 80 characters: the value straddles the cut.
    const inCallName = fc
      .tuple(
        fc.string({ minLength: 37, maxLength: 79 }),
        tokenValue,
        anyCall(plausibleFields(template.known)),
      )
      .map(([before, value, { payload }]) => ({ call: `${before}${value}`, payload }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(asKey, inCallName), ({ call, payload }) =>
        expectNothingEchoed(call, payload),
      ),
      { numRuns: 150 },
    );
  });
});
