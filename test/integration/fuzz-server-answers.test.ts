/**
 * The Web API client against generated hostile answers from 127.0.0.1: whatever comes back (HTML,
 * truncated or garbled JSON, the wrong shape, any status, a cut or reset connection, a huge or a
 * dripping body), every call settles, with a value or a VaultError of a contract code, promptly and
 * never as another exception; a token-shaped value in the answer reaches the user in no message.
 * And the client follows no redirect: the host a redirect points at hears nothing at all.
 */
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@contract';
import { VaultError } from '@core/errors';
import { SonarQubeClient, type ClientOptions } from '@core/sonarqube/client';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startFaultServer, startRecordingServer, type FaultServer } from '../support/fault-server';
import { hostileAnswer, serveAnswer, type HostileAnswer } from '../support/hostile-answers';
import { startSonarQubeServer } from '../support/sonarqube-server';
import { leakedPart } from '../support/token-values';

const CREDENTIAL = 'squ_' + '5'.repeat(40);
/** A token value the vault holds besides its credential. */
const HELD = 'squ_' + '6'.repeat(40);
const MB = 1024 * 1024;
const noWait = () => Promise.resolve();
const nodeFetch = (input: string, init?: RequestInit) => fetch(input, init);

/** Every call the vault makes, and the path it asks. */
const OPERATIONS = {
  version: { path: '/api/server/version', run: (c: SonarQubeClient) => c.version() },
  currentUser: { path: '/api/users/current', run: (c: SonarQubeClient) => c.currentUser() },
  searchTokens: { path: '/api/user_tokens/search', run: (c: SonarQubeClient) => c.searchTokens() },
  generate: {
    path: '/api/user_tokens/generate',
    run: (c: SonarQubeClient) => c.generateToken({ name: 'ci', type: 'USER_TOKEN' }),
  },
  revoke: { path: '/api/user_tokens/revoke', run: (c: SonarQubeClient) => c.revokeToken('ci') },
  organizations: {
    path: '/api/organizations/search',
    run: (c: SonarQubeClient) => c.memberOrganizations(),
  },
  projects: { path: '/api/projects/search', run: (c: SonarQubeClient) => c.searchProjects('my') },
  lifetime: { path: '/api/settings/values', run: (c: SonarQubeClient) => c.maxTokenLifetime() },
  edition: { path: '/api/navigation/global', run: (c: SonarQubeClient) => c.edition() },
} as const;
type Operation = keyof typeof OPERATIONS;
const operation = fc.constantFrom(...(Object.keys(OPERATIONS) as Operation[]));

/** The outcome of a call: its value, or what it threw (any exception is kept to be judged). */
async function settle(promise: Promise<unknown>): Promise<{ value: unknown } | { thrown: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (thrown: unknown) => ({ thrown }),
  );
}

function expectVaultError(thrown: unknown): asserts thrown is VaultError {
  expect(thrown).toBeInstanceOf(VaultError);
  const error = thrown as VaultError;
  expect(ERROR_CODES).toContain(error.code);
  expect(error.message.trim()).not.toBe('');
}

/** Anything that escapes a call (a rejection nobody awaits) fails the file. */
const escaped: unknown[] = [];
const onEscape = (reason: unknown) => void escaped.push(reason);
beforeAll(() => void process.on('unhandledRejection', onEscape));
afterAll(() => {
  process.off('unhandledRejection', onEscape);
  expect(escaped).toEqual([]);
});

describe('the client against generated answers', () => {
  let answer: HostileAnswer | null = null;
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer((request, response) => {
      request.resume(); // a POST's form is read and dropped, so the connection stays usable
      if (answer) serveAnswer(answer, response);
      else response.writeHead(500).end();
    });
  });
  afterAll(() => server.close());

  const clientOf = (options: Partial<ClientOptions> = {}) =>
    new SonarQubeClient({
      baseUrl: server.url,
      fetch: nodeFetch,
      token: CREDENTIAL,
      timeoutMs: 2_000,
      sleep: noWait,
      ...options,
    });

  it('settles every call with a value or a VaultError of a contract code; quotes no page, header or field', async () => {
    // A known version spares the basic-auth probe; an old one takes the fallback's path on a 401.
    const knownVersion = fc.constantFrom(undefined, '10.7.0.96327', '9.9.4.87374');
    await fc.assert(
      fc.asyncProperty(hostileAnswer(), operation, knownVersion, async (generated, op, serverVersion) => {
        answer = generated;
        const outcome = await settle(OPERATIONS[op].run(clientOf({ serverVersion })));
        if ('thrown' in outcome) {
          expectVaultError(outcome.thrown);
          // Only SonarQube's own words (an error msg, the status line) are ever quoted, and the
          // boundary sanitizes those (below); a page, a header or a stray field never is.
          if (!generated.quotable) expect(leakedPart(outcome.thrown.message, generated.value)).toBeNull();
        }
      }),
      { numRuns: 400 },
    );
  });

  it('ends a dripping body with the request timeout, not never', async () => {
    const sonar = await startSonarQubeServer({ flavour: 'server' });
    try {
      await fc.assert(
        fc.asyncProperty(operation, fc.integer({ min: 5, max: 60 }), async (op, everyMs) => {
          sonar.fault(OPERATIONS[op].path, { kind: 'drip', everyMs }, 3);
          const started = Date.now();
          const outcome = await settle(
            OPERATIONS[op].run(
              new SonarQubeClient({
                baseUrl: sonar.url,
                fetch: nodeFetch,
                token: CREDENTIAL,
                timeoutMs: 120,
                sleep: noWait,
                serverVersion: '10.7.0.96327',
              }),
            ),
          );
          // At most three attempts of 120 ms; a revoke does not read its answer and is done at once.
          expect(Date.now() - started).toBeLessThan(1_500);
          if ('thrown' in outcome) {
            expectVaultError(outcome.thrown);
            expect(outcome.thrown.code).toBe('timeout');
          } else {
            expect(op).toBe('revoke');
          }
        }),
        { numRuns: 8 },
      );
    } finally {
      await sonar.close();
    }
  });

  it('refuses a body over 8 MB with the cap message, whatever the status, having read little more', async () => {
    await fc.assert(
      fc.asyncProperty(
        operation,
        fc.constantFrom(200, 400, 403, 404, 500, 503),
        fc.boolean(),
        fc.integer({ min: 8 * MB + 1, max: 48 * MB }),
        async (op, status, declared, bytes) => {
          const sonar = await startSonarQubeServer({ flavour: 'server' });
          try {
            const { path, run } = OPERATIONS[op];
            sonar.fault(path, { kind: 'huge', bytes, status, declared }, 3);
            const outcome = await settle(
              run(
                new SonarQubeClient({
                  baseUrl: sonar.url,
                  fetch: nodeFetch,
                  token: CREDENTIAL,
                  sleep: noWait,
                  serverVersion: '10.7.0.96327',
                }),
              ),
            );
            // A revoke reads no answer it does not need: a 200 is done, unread.
            if (op === 'revoke' && status === 200) {
              expect(outcome).toHaveProperty('value');
              return;
            }
            expect(outcome).toHaveProperty('thrown');
            if (!('thrown' in outcome)) return;
            expectVaultError(outcome.thrown);
            expect(outcome.thrown).toMatchObject({
              code: 'not-sonarqube',
              message: expect.stringMatching(
                /^The answer of 127\.0\.0\.1:\d+ was over 8 MB: not an answer the vault expects from SonarQube\.$/,
              ) as unknown,
            });
            for (const request of sonar.requests) expect(request.bytesSent ?? 0).toBeLessThan(24 * MB);
          } finally {
            await sonar.close();
          }
        },
      ),
      { numRuns: 6 },
    );
  });
});

describe('generated answers through the vault', () => {
  let answer: HostileAnswer | null = null;
  let server: FaultServer;
  /** Cloud answers the same, from another origin: a Server URL on Cloud's host is refused. */
  let cloud: FaultServer;
  let vault: CoreFixture;
  let accountId: string;

  /** Before any answer is generated: just enough SonarQube to add the account. */
  const SETUP: Readonly<Record<string, string>> = {
    '/api/server/version': '10.7.0.96327',
    '/api/users/current':
      '{"isLoggedIn":true,"login":"grace","name":"Grace","permissions":{"global":["admin"]}}',
    '/api/navigation/global': '{"edition":"enterprise"}',
    '/api/user_tokens/search':
      '{"login":"grace","userTokens":[{"name":"ci","createdAt":"2026-01-01T00:00:00+0000"}]}',
  };

  beforeAll(async () => {
    const hostile: Parameters<typeof startFaultServer>[0] = (request, response) => {
      request.resume();
      if (answer) return serveAnswer(answer, response);
      const path = (request.url ?? '').split('?')[0] ?? '';
      response
        .writeHead(SETUP[path] ? 200 : 404, { 'Content-Type': 'application/json' })
        .end(SETUP[path] ?? '');
    };
    [server, cloud] = await Promise.all([startFaultServer(hostile), startFaultServer(hostile)]);
    vault = await coreFixture({ cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url } });
    accountId = (
      await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential: CREDENTIAL })
    ).id;
    await vault.call('tokens.import', { accountId, name: 'ci', value: HELD });
  });
  afterAll(async () => {
    vault.core.stop();
    await Promise.all([server.close(), cloud.close(), rm(vault.dataDir, { recursive: true, force: true })]);
  });
  afterEach(() => {
    answer = null;
  });

  it('answers every call with an envelope; no message, list or event quotes the value', async () => {
    const serverCalls = [
      ['tokens.list', () => ({ accountId })],
      ['tokens.generate', () => ({ accountId, name: 'new', type: 'USER_TOKEN', expirationDate: null })],
      ['tokens.revoke', () => ({ accountId, name: 'ci' })],
      ['tokens.import', () => ({ accountId, name: 'ci', value: 'squ_' + '7'.repeat(40) })],
      ['tokens.listFor', () => ({ accountId, login: 'alan' })],
      ['tokens.generationRules', () => ({ accountId })],
      ['projects.search', () => ({ accountId, query: 'my' })],
      ['accounts.replaceCredential', () => ({ accountId, credential: CREDENTIAL })],
      ['accounts.organizations', () => ({ kind: 'cloud-eu', credential: CREDENTIAL })],
      ['accounts.add', () => ({ kind: 'server', baseUrl: `${server.url}/other`, credential: CREDENTIAL })],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        hostileAnswer({ prompt: true }),
        fc.constantFrom(...serverCalls),
        async (generated, [name, input]) => {
          answer = generated;
          const events = vault.events.length;
          const envelope = await vault.core.dispatch(name, input());
          if (!envelope.ok) {
            expect(ERROR_CODES).toContain(envelope.error.code);
            expect(leakedPart(envelope.error.message, generated.value)).toBeNull();
          } else if (name !== 'tokens.generate') {
            // A generate answers the new value: the one answer meant to carry one.
            expect(leakedPart(JSON.stringify(envelope.value), generated.value)).toBeNull();
          }
          const since = JSON.stringify(vault.events.slice(events));
          expect(leakedPart(since, generated.value)).toBeNull();
          const accounts = await vault.core.dispatch('accounts.list', {});
          expect(leakedPart(JSON.stringify(accounts), generated.value)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
    const disk = await vault.everythingOnDisk();
    for (const value of [CREDENTIAL, HELD]) expect(leakedPart(disk, value)).toBeNull();
  });
});

describe('redirects', () => {
  let sonar: FaultServer;
  let elsewhere: Awaited<ReturnType<typeof startRecordingServer>>;
  let status = 301;
  beforeAll(async () => {
    elsewhere = await startRecordingServer();
    // Another port on 127.0.0.1 is another origin: what a redirect to another host looks like.
    sonar = await startFaultServer((request, response) => {
      request.resume();
      response.writeHead(status, { Location: `${elsewhere.url}${request.url ?? '/'}` }).end();
    });
  });
  afterAll(() => Promise.all([sonar.close(), elsewhere.close()]));

  it.each([
    [301, 'currentUser'],
    [302, 'searchTokens'],
    [307, 'currentUser'],
    [308, 'searchTokens'],
    [301, 'generate'],
    [302, 'revoke'],
    [307, 'generate'],
    [308, 'revoke'],
  ] as const)('a %i on %s is followed nowhere: the other host hears nothing', async (code, op) => {
    status = code;
    const client = new SonarQubeClient({
      baseUrl: sonar.url,
      fetch: nodeFetch,
      token: CREDENTIAL,
      sleep: noWait,
    });
    const outcome = await settle(OPERATIONS[op].run(client));
    expect(elsewhere.requests).toEqual([]);
    expect(outcome).toHaveProperty('thrown');
    if (!('thrown' in outcome)) return;
    expectVaultError(outcome.thrown);
    expect(outcome.thrown.message).toMatch(
      /^127\.0\.0\.1:\d+ answered with a redirect, which the vault does not follow/,
    );
  });
});
