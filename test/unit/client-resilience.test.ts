/**
 * The client on corporate networks and older servers: retries (with a fake sleep), the basic-auth
 * fallback, the project picker, the lifetime cap, the edition, and TLS with a private CA.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SonarQubeClient, type ClientOptions } from '@core/sonarqube/client';
import { fetchTrusting } from '@core/sonarqube/tls-fetch';
import { closedPortUrl, startFaultServer } from '../support/fault-server';
import { startSonarQubeServer, type TestServer, type TestServerOptions } from '../support/sonarqube-server';
import { createPrivateCa, type PrivateCa } from '../support/tls';

const fetcher = (input: string, init?: RequestInit) => fetch(input, init);
const NOW = Date.parse('2026-09-01T10:15:30Z');
const GRACE = 'squ_' + 'a'.repeat(40);
const ROOT = 'squ_' + 'c'.repeat(40);
const SEARCH = '/api/user_tokens/search';
const GENERATE = '/api/user_tokens/generate';
const REVOKE = '/api/user_tokens/revoke';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** grace (a user with one token) and root (an admin); two projects. */
async function start(overrides: Partial<TestServerOptions> = {}): Promise<TestServer> {
  const server = await startSonarQubeServer({
    flavour: 'server',
    now: NOW,
    projects: [
      { key: 'my-app', name: 'My App' },
      { key: 'billing', name: 'Billing Service' },
    ],
    users: [
      {
        login: 'grace',
        name: 'Grace Hopper',
        tokens: [{ name: 'laptop', value: GRACE, createdAt: new Date(NOW) }],
      },
      {
        login: 'root',
        name: 'Admin',
        admin: true,
        tokens: [{ name: 'admin', value: ROOT, createdAt: new Date(NOW) }],
      },
    ],
    ...overrides,
  });
  servers.push(server);
  return server;
}

/** A client whose sleep only records: retries cost no time and their delays can be asserted. */
function clientOf(server: { url: string }, options: Partial<ClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = new SonarQubeClient({
    baseUrl: server.url,
    fetch: fetcher,
    token: GRACE,
    timeoutMs: 200,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
  return { client, sleeps };
}

function on(server: TestServer, path: string) {
  return server.requests.filter((r) => r.path === path);
}

describe('retries', () => {
  it('retries a proxy 503 HTML page with growing, jittered delays, then succeeds', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'status', status: 503 }, 2);
    const { client, sleeps } = clientOf(server);
    expect((await client.searchTokens()).tokens.map((t) => t.name)).toEqual(['laptop']);
    expect(on(server, SEARCH).map((r) => r.status)).toEqual([503, 503, 200]);
    expect(sleeps).toHaveLength(2);
    const [first = 0, second = 0] = sleeps;
    expect(first).toBeGreaterThanOrEqual(500);
    expect(first).toBeLessThan(1000);
    expect(second).toBeGreaterThanOrEqual(1000);
    expect(second).toBeLessThan(2000);
  });

  it('gives up after 3 attempts and says so', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'status', status: 504 }, 5);
    const { client, sleeps } = clientOf(server);
    await expect(client.searchTokens()).rejects.toMatchObject({
      code: 'server-error',
      message: /answered 504 Gateway Timeout after 3 attempts: the server or a proxy/,
    });
    expect(on(server, SEARCH)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('honours Retry-After in seconds on 429', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'status', status: 429, retryAfter: '2' });
    const { client, sleeps } = clientOf(server);
    await client.searchTokens();
    expect(sleeps).toEqual([2000]);
    expect(on(server, SEARCH).map((r) => r.status)).toEqual([429, 200]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const server = await start();
    const at = new Date(Date.now() + 5000).toUTCString(); // whole seconds: 4 to 5 s from now
    server.fault(SEARCH, { kind: 'status', status: 503, retryAfter: at });
    const { client, sleeps } = clientOf(server);
    await client.searchTokens();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(3000);
    expect(sleeps[0]).toBeLessThanOrEqual(5000);
  });

  it('fails at once, saying when to try again, when Retry-After is beyond 30 s', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'status', status: 429, retryAfter: '120' });
    const { client, sleeps } = clientOf(server);
    const before = Date.now();
    const error = await client.searchTokens().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'server-error' });
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(
      /busy \(429 Too Many Requests\) and asks to wait 2 min: try again after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$/,
    );
    const when = /after (\S+ \S+) UTC/.exec(message)?.[1] ?? '';
    expect(Date.parse(`${when}Z`) - before).toBeGreaterThan(115_000);
    expect(sleeps).toEqual([]);
    expect(on(server, SEARCH)).toHaveLength(1);
  });

  it('takes malformed JSON for not-SonarQube, without retrying', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'malformed-json' });
    const { client, sleeps } = clientOf(server);
    await expect(client.searchTokens()).rejects.toMatchObject({ code: 'not-sonarqube' });
    expect(on(server, SEARCH)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries after a timeout', async () => {
    const server = await start();
    server.fault('/api/users/current', { kind: 'hang' });
    const { client, sleeps } = clientOf(server);
    expect((await client.currentUser()).login).toBe('grace');
    expect(on(server, '/api/users/current').map((r) => r.fault ?? r.status)).toEqual(['hang', 200]);
    expect(sleeps).toHaveLength(1);
  });

  it('reports a server that keeps hanging as a timeout after 3 attempts', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'hang' }, 3);
    const { client } = clientOf(server);
    await expect(client.searchTokens()).rejects.toMatchObject({
      code: 'timeout',
      message: /did not answer in time after 3 attempts\./,
    });
  });

  it('retries a reset connection, and names the reset when it persists', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'reset' });
    const { client } = clientOf(server);
    await client.searchTokens();
    expect(on(server, SEARCH).map((r) => r.fault ?? r.status)).toEqual(['reset', 200]);
    server.fault(SEARCH, { kind: 'reset' }, 3);
    await expect(client.searchTokens()).rejects.toMatchObject({
      code: 'unreachable',
      message: /ECONNRESET\) after 3 attempts\./,
    });
  });

  it('does not retry what a retry cannot cure: 401, 400, nothing listening', async () => {
    const server = await start();
    const { client, sleeps } = clientOf(server, { token: 'squ_' + 'f'.repeat(40) });
    await expect(client.searchTokens()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(on(server, SEARCH)).toHaveLength(1);
    const { client: own } = clientOf(server);
    await expect(own.generateToken({ name: 'laptop', type: 'USER_TOKEN' })).rejects.toMatchObject({
      code: 'rejected',
    });
    const closed = clientOf({ url: await closedPortUrl() }).client;
    await expect(closed.version()).rejects.toMatchObject({
      code: 'unreachable',
      message: /^Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.$/,
    });
    expect(sleeps).toEqual([]);
  });
});

describe('generate is never sent twice', () => {
  it.each([
    ['a proxy 503', { kind: 'status', status: 503 }, 'server-error'],
    ['a 429 with a short Retry-After', { kind: 'status', status: 429, retryAfter: '1' }, 'server-error'],
    ['a reset connection', { kind: 'reset' }, 'unreachable'],
  ] as const)('%s', async (_what, fault, code) => {
    const server = await start();
    server.fault(GENERATE, fault, 3);
    const { client, sleeps } = clientOf(server);
    await expect(client.generateToken({ name: 'ci', type: 'USER_TOKEN' })).rejects.toMatchObject({ code });
    expect(on(server, GENERATE)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a timeout, saying the token may exist anyway', async () => {
    const server = await start();
    server.fault(GENERATE, { kind: 'hang' }, 3);
    const { client } = clientOf(server);
    await expect(client.generateToken({ name: 'ci', type: 'USER_TOKEN' })).rejects.toMatchObject({
      code: 'timeout',
      message: /did not answer in time\. The token may have been created anyway: refresh the list/,
    });
    expect(on(server, GENERATE)).toHaveLength(1);
  });
});

describe('revoke retries only what the server refused before acting', () => {
  it('retries 503 and 429', async () => {
    const server = await start();
    server.addToken('grace', { name: 'old', createdAt: new Date(NOW) });
    server.fault(REVOKE, { kind: 'status', status: 503 });
    server.fault(REVOKE, { kind: 'status', status: 429, retryAfter: '1' });
    const { client, sleeps } = clientOf(server);
    await client.revokeToken('old');
    expect(on(server, REVOKE).map((r) => r.status)).toEqual([503, 429, 204]);
    expect(sleeps.at(-1)).toBe(1000);
    expect(server.tokenNames('grace')).toEqual(['laptop']);
  });

  it.each([
    ['502', { kind: 'status', status: 502 }, 'server-error'],
    ['a timeout', { kind: 'hang' }, 'timeout'],
  ] as const)('not %s', async (_what, fault, code) => {
    const server = await start();
    server.fault(REVOKE, fault, 3);
    const { client } = clientOf(server);
    await expect(client.revokeToken('laptop')).rejects.toMatchObject({ code });
    expect(on(server, REVOKE)).toHaveLength(1);
  });
});

describe('basic auth for Servers before 10.0', () => {
  const OLD = { version: '9.9.0.65466', bearerSupported: false } as const;

  it('falls back once after a Bearer 401, then keeps basic; the token never travels in a URL', async () => {
    const server = await start(OLD);
    const urls: string[] = [];
    const { client } = clientOf(server, { fetch: (input, init) => (urls.push(input), fetcher(input, init)) });
    expect(client.authScheme).toBe('bearer');
    expect((await client.searchTokens()).login).toBe('grace');
    expect(client.authScheme).toBe('basic');
    await client.currentUser();
    expect(server.requests.map((r) => [r.path, r.status, r.login])).toEqual([
      [SEARCH, 401, null],
      ['/api/server/version', 200, null],
      [SEARCH, 200, 'grace'],
      ['/api/users/current', 200, 'grace'],
    ]);
    expect(urls.join()).not.toContain(GRACE);
    expect(server.requests.flatMap((r) => Object.values(r.params))).not.toContain('<redacted>');
  });

  it('skips the version probe when the version is known, and generates exactly once', async () => {
    const server = await start(OLD);
    const { client } = clientOf(server, { serverVersion: '9.9.0.65466' });
    await client.generateToken({ name: 'ci', type: 'USER_TOKEN' });
    expect(server.requests.map((r) => [r.path, r.status])).toEqual([
      [GENERATE, 401],
      [GENERATE, 200],
    ]);
    expect(server.tokenNames('grace')).toEqual(['laptop', 'ci']);
  });

  it('starts with basic when told so, and still says unauthorized for a bad token', async () => {
    const server = await start(OLD);
    const { client } = clientOf(server, { authScheme: 'basic' });
    await client.currentUser();
    expect(server.requests).toHaveLength(1);
    const bad = clientOf(server, { token: 'squ_' + 'f'.repeat(40) }).client;
    await expect(bad.searchTokens()).rejects.toMatchObject({
      code: 'unauthorized',
      message: /did not accept the token \(401\)/,
    });
  });

  it('keeps Bearer on 10.0 and later: a 401 there is the token', async () => {
    const server = await start();
    const { client } = clientOf(server, { token: 'squ_' + 'f'.repeat(40) });
    await expect(client.searchTokens()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(client.authScheme).toBe('bearer');
    expect(server.requests.map((r) => r.path)).toEqual([SEARCH, '/api/server/version']);
  });

  it('also when an old server takes a Bearer request as anonymous (isLoggedIn false)', async () => {
    const basic = `Basic ${Buffer.from(`${GRACE}:`).toString('base64')}`;
    const old = await startFaultServer((request, response) => {
      if (request.url === '/api/server/version') return void response.end('9.9.0.65466');
      const user =
        request.headers.authorization === basic
          ? { isLoggedIn: true, login: 'grace' }
          : { isLoggedIn: false };
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(user));
    });
    try {
      const { client } = clientOf(old);
      expect((await client.currentUser()).login).toBe('grace');
      expect(client.authScheme).toBe('basic');
    } finally {
      await old.close();
    }
  });
});

describe('project picker', () => {
  it('uses api/projects/search for administrators', async () => {
    const server = await start();
    const { client } = clientOf(server, { token: ROOT });
    expect(await client.searchProjects('bill')).toEqual([{ key: 'billing', name: 'Billing Service' }]);
    expect(server.requests.map((r) => [r.path, r.params])).toEqual([
      ['/api/projects/search', { q: 'bill', ps: '50' }],
    ]);
  });

  it('falls back to api/components/search on 403', async () => {
    const server = await start();
    const { client } = clientOf(server);
    expect(await client.searchProjects('app')).toEqual([{ key: 'my-app', name: 'My App' }]);
    expect(server.requests.map((r) => [r.path, r.status])).toEqual([
      ['/api/projects/search', 403],
      ['/api/components/search', 200],
    ]);
    expect(on(server, '/api/components/search')[0]?.params).toEqual({
      qualifiers: 'TRK',
      q: 'app',
      ps: '50',
    });
  });

  it('filters one-letter queries itself (components/search refuses them) and lists all for none', async () => {
    const server = await start();
    const { client } = clientOf(server);
    expect(await client.searchProjects('B')).toEqual([{ key: 'billing', name: 'Billing Service' }]);
    expect((await client.searchProjects('  ')).map((p) => p.key)).toEqual(['my-app', 'billing']);
  });

  it('scopes to the organization on Cloud, on both services', async () => {
    const cloudToken = 'd'.repeat(40);
    const server = await start({
      flavour: 'cloud',
      organizations: [
        { key: 'acme', name: 'Acme' },
        { key: 'globex', name: 'Globex' },
      ],
      projects: [
        { key: 'acme_web', name: 'Web', organization: 'acme' },
        { key: 'globex_web', name: 'Web', organization: 'globex' },
      ],
      users: [
        {
          login: 'ada',
          name: 'Ada',
          organizations: ['acme'],
          tokens: [{ name: 't', value: cloudToken, createdAt: new Date(NOW) }],
        },
      ],
    });
    const { client } = clientOf(server, { token: cloudToken });
    expect(await client.searchProjects('web', 'acme')).toEqual([{ key: 'acme_web', name: 'Web' }]);
    expect(server.requests.map((r) => r.params['organization'])).toEqual(['acme', 'acme']);
  });
});

describe('max token lifetime', () => {
  it.each(['30 days', '90 days', '1 year', 'No expiration'] as const)('%s', async (lifetime) => {
    const server = await start({ edition: 'enterprise', maxTokenLifetime: lifetime });
    expect(await clientOf(server).client.maxTokenLifetime()).toBe(lifetime);
  });

  it('is "No expiration" where the setting is absent, hidden or unknown', async () => {
    const capped = await start({ maxTokenLifetime: '30 days' });
    const { client } = clientOf(capped);
    capped.fault('/api/settings/values', {
      kind: 'status',
      status: 403,
      contentType: 'application/json',
      body: '{"errors":[{"msg":"Insufficient privileges"}]}',
    });
    expect(await client.maxTokenLifetime()).toBe('No expiration');
    capped.fault('/api/settings/values', {
      kind: 'status',
      status: 404,
      contentType: 'application/json',
      body: '{"errors":[{"msg":"Unknown url : /api/settings/values"}]}',
    });
    expect(await client.maxTokenLifetime()).toBe('No expiration');
    expect(await client.maxTokenLifetime()).toBe('30 days'); // the faults were what made the difference
    const community = await start();
    expect(await clientOf(community).client.maxTokenLifetime()).toBe('No expiration');
    expect(on(community, '/api/settings/values')[0]?.status).toBe(200);
  });

  it('still fails on a real failure', async () => {
    const server = await start({ maxTokenLifetime: '90 days' });
    server.fault('/api/settings/values', { kind: 'status', status: 500 });
    await expect(clientOf(server).client.maxTokenLifetime()).rejects.toMatchObject({ code: 'server-error' });
  });
});

describe('edition', () => {
  it('reads it from api/navigation/global: Server only', async () => {
    expect(await clientOf(await start()).client.edition()).toBe('community');
    expect(await clientOf(await start({ edition: 'datacenter' })).client.edition()).toBe('datacenter');
    const cloud = await start({ flavour: 'cloud', projects: [], users: [] });
    expect(await clientOf(cloud, { token: undefined }).client.edition()).toBeNull();
  });

  it('is null on a server without that service (JSON 404)', async () => {
    const server = await start({ edition: 'developer' });
    server.fault('/api/navigation/global', {
      kind: 'status',
      status: 404,
      contentType: 'application/json',
      body: '{"errors":[{"msg":"Unknown url : /api/navigation/global"}]}',
    });
    const { client } = clientOf(server);
    expect(await client.edition()).toBeNull();
    expect(await client.edition()).toBe('developer');
  });
});

describe('TLS with a private CA', () => {
  let ca: PrivateCa;
  let other: PrivateCa;
  let server: TestServer;

  beforeAll(async () => {
    [ca, other] = await Promise.all([createPrivateCa(), createPrivateCa()]);
    server = await startSonarQubeServer({
      flavour: 'server',
      tls: ca.server,
      users: [
        {
          login: 'grace',
          name: 'Grace',
          tokens: [{ name: 'laptop', value: GRACE, createdAt: new Date(NOW) }],
        },
      ],
    });
  });
  afterAll(() => server.close());

  it('serves HTTPS', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('is refused by a plain fetch, naming the certificate problem, without retrying', async () => {
    const { client, sleeps } = clientOf(server);
    await expect(client.version()).rejects.toMatchObject({
      code: 'unreachable',
      message:
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE: its certificate is not signed by an authority this computer trusts/,
    });
    expect(sleeps).toEqual([]);
  });

  it('works with fetchTrusting(the CA): reads, form posts, revokes', async () => {
    const { client } = clientOf(server, { fetch: fetchTrusting(ca.caPem) });
    expect(await client.version()).toMatch(/^10\./);
    expect((await client.currentUser()).login).toBe('grace');
    const generated = await client.generateToken({ name: 'ci', type: 'USER_TOKEN' });
    expect(generated.token).toMatch(/^squ_[0-9a-f]{40}$/);
    await client.revokeToken('ci');
    expect(server.tokenNames('grace')).toEqual(['laptop']);
  });

  it('still refuses the server when trusting another CA', async () => {
    const { client } = clientOf(server, { fetch: fetchTrusting(other.caPem) });
    await expect(client.version()).rejects.toMatchObject({ code: 'unreachable', message: /certificate/ });
  });

  it('times out and retries through fetchTrusting', async () => {
    server.fault('/api/server/version', { kind: 'hang' });
    const { client, sleeps } = clientOf(server, { fetch: fetchTrusting(ca.caPem) });
    expect(await client.version()).toMatch(/^10\./);
    expect(sleeps).toHaveLength(1);
  });

  it('refuses text that is not a PEM certificate', () => {
    const body = ca.caPem.split('\n').slice(1, -2).join('\n');
    for (const garbage of [
      'hello',
      ca.server.key,
      `-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n`,
      body,
    ]) {
      expect(() => fetchTrusting(garbage)).toThrow(
        expect.objectContaining({
          code: 'invalid-input',
          message: expect.stringMatching(/not a PEM certificate/) as unknown,
        }),
      );
    }
    expect(() => fetchTrusting(`${other.caPem}\n${ca.caPem}`)).not.toThrow();
  });
});

describe("Electron's net.fetch failures", () => {
  const failing = (message: string) => () => Promise.reject(new Error(message));

  it('name a certificate problem from net::ERR_CERT_… and do not retry it', async () => {
    const { client, sleeps } = clientOf(
      { url: 'https://sq.example.com' },
      { fetch: failing('net::ERR_CERT_AUTHORITY_INVALID') },
    );
    await expect(client.version()).rejects.toMatchObject({
      code: 'unreachable',
      message: /\(ERR_CERT_AUTHORITY_INVALID: its certificate is not signed by an authority/,
    });
    expect(sleeps).toEqual([]);
  });

  it('retry a dropped connection but not a refused one', async () => {
    const dropped = clientOf(
      { url: 'https://sq.example.com' },
      { fetch: failing('net::ERR_CONNECTION_RESET') },
    );
    await expect(dropped.client.version()).rejects.toMatchObject({ message: /after 3 attempts/ });
    expect(dropped.sleeps).toHaveLength(2);
    const refused = clientOf(
      { url: 'https://sq.example.com' },
      { fetch: failing('net::ERR_CONNECTION_REFUSED') },
    );
    await expect(refused.client.version()).rejects.toMatchObject({ code: 'unreachable' });
    expect(refused.sleeps).toEqual([]);
  });
});
