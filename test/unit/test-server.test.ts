import { afterEach, describe, expect, it } from 'vitest';
import { startSonarQubeServer } from '../support/sonarqube-server';
import type { TestServer, TestServerOptions } from '../support/sonarqube-server';
import { createPrivateCa } from '../support/tls';

const NOW = Date.parse('2026-09-01T10:15:30Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GRACE = 'squ_' + 'a'.repeat(40);
const ALAN = 'squ_' + 'b'.repeat(40);
const ADMIN = 'squ_' + 'c'.repeat(40);
const SQ_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server with grace (two tokens), alan and an admin; options override the defaults. */
async function start(overrides: Partial<TestServerOptions> = {}): Promise<TestServer> {
  const server = await startSonarQubeServer({
    flavour: 'server',
    now: NOW,
    projects: [{ key: 'my-app', name: 'My App' }],
    users: [
      {
        login: 'grace',
        name: 'Grace Hopper',
        email: 'grace@example.com',
        tokens: [
          { name: 'laptop', value: GRACE, createdAt: '2026-08-01T00:00:00+0000' },
          {
            name: 'ci-main',
            type: 'PROJECT_ANALYSIS_TOKEN',
            projectKey: 'my-app',
            createdAt: new Date(NOW - DAY),
            expirationDate: '2026-12-01T00:00:00Z',
          },
        ],
      },
      {
        login: 'alan',
        name: 'Alan Turing',
        tokens: [{ name: 'main', value: ALAN, createdAt: new Date(NOW) }],
      },
      {
        login: 'root',
        name: 'Admin',
        admin: true,
        tokens: [{ name: 'admin', value: ADMIN, createdAt: new Date(NOW) }],
      },
    ],
    ...overrides,
  });
  servers.push(server);
  return server;
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

function get(server: TestServer, path: string, token?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: token === undefined ? {} : bearer(token) });
}

function post(
  server: TestServer,
  path: string,
  token: string,
  form: Record<string, string>,
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: bearer(token),
    body: new URLSearchParams(form),
  });
}

async function errorMsg(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { errors?: { msg: string }[] };
  return body.errors?.[0]?.msg;
}

interface TokenJson {
  name: string;
  type?: string;
  project?: { key: string; name: string };
  createdAt: string;
  lastConnectionDate?: string;
  expirationDate?: string;
  isExpired?: boolean;
}

async function tokensOf(server: TestServer, token: string, login?: string): Promise<TokenJson[]> {
  const query = login === undefined ? '' : `?login=${login}`;
  const response = await get(server, `/api/user_tokens/search${query}`, token);
  expect(response.status).toBe(200);
  return ((await response.json()) as { userTokens: TokenJson[] }).userTokens;
}

async function generate(server: TestServer, token: string, form: Record<string, string>): Promise<Response> {
  return post(server, '/api/user_tokens/generate', token, form);
}

describe('authentication', () => {
  it('accepts a token as Bearer and as basic login with an empty password', async () => {
    const server = await start();
    const viaBearer = await get(server, '/api/users/current', GRACE);
    expect(await viaBearer.json()).toMatchObject({
      isLoggedIn: true,
      login: 'grace',
      name: 'Grace Hopper',
      email: 'grace@example.com',
    });
    const basic = (s: string) => ({ Authorization: `Basic ${Buffer.from(s).toString('base64')}` });
    const viaBasic = await fetch(`${server.url}/api/users/current`, { headers: basic(`${GRACE}:`) });
    expect(((await viaBasic.json()) as { login: string }).login).toBe('grace');
    const withPassword = await fetch(`${server.url}/api/users/current`, {
      headers: basic(`${GRACE}:secret`),
    });
    expect(withPassword.status).toBe(401);
  });

  it('answers 401 with an empty body for an unknown token, but validate says {"valid":false}', async () => {
    const server = await start();
    const unknown = 'squ_' + 'f'.repeat(40);
    for (const path of ['/api/users/current', '/api/user_tokens/search']) {
      const response = await get(server, path, unknown);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
    const validate = await get(server, '/api/authentication/validate', unknown);
    expect(validate.status).toBe(200);
    expect(await validate.json()).toEqual({ valid: false });
    expect(await (await get(server, '/api/authentication/validate', GRACE)).json()).toEqual({ valid: true });
  });

  it('treats a request without credentials as anonymous', async () => {
    const server = await start();
    expect(await (await get(server, '/api/authentication/validate')).json()).toEqual({ valid: false });
    const current = await get(server, '/api/users/current');
    expect(current.status).toBe(200);
    expect(await current.json()).toEqual({ isLoggedIn: false, permissions: { global: [] } });
    expect((await get(server, '/api/user_tokens/search')).status).toBe(401);
  });

  it('grants "admin" only to admins and "scan" to everyone', async () => {
    const server = await start();
    const permissions = async (token: string) =>
      (
        (await (await get(server, '/api/users/current', token)).json()) as {
          permissions: { global: string[] };
        }
      ).permissions.global;
    expect(await permissions(ADMIN)).toEqual(expect.arrayContaining(['admin', 'scan']));
    expect(await permissions(GRACE)).toEqual(['scan']);
  });

  it('serves version and status without auth, with JSON content type', async () => {
    const server = await start();
    const version = await get(server, '/api/server/version');
    expect(version.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await version.text()).toBe('10.7.0.96327');
    const status = await get(server, '/api/system/status');
    expect(status.headers.get('content-type')).toBe('application/json');
    expect(await status.json()).toMatchObject({ version: '10.7.0.96327', status: 'UP' });
    const cloud = await start({ flavour: 'cloud', projects: [], users: [] });
    expect(await (await get(cloud, '/api/server/version')).text()).toBe('8.0.0.12345');
  });
});

describe('api/user_tokens/search', () => {
  it('lists own tokens with server fields in the +0000 date form', async () => {
    const server = await start();
    const [laptop, ci] = await tokensOf(server, GRACE);
    expect(laptop).toMatchObject({
      name: 'laptop',
      type: 'USER_TOKEN',
      createdAt: '2026-08-01T00:00:00+0000',
      isExpired: false,
    });
    expect(laptop?.lastConnectionDate).toBe('2026-09-01T10:15:30+0000'); // the search itself used it
    expect(laptop?.expirationDate).toBeUndefined();
    expect(ci).toMatchObject({
      name: 'ci-main',
      type: 'PROJECT_ANALYSIS_TOKEN',
      project: { key: 'my-app', name: 'My App' },
      expirationDate: '2026-12-01T00:00:00+0000',
      isExpired: false,
    });
    expect(ci?.createdAt).toMatch(SQ_DATE);
    expect(ci?.lastConnectionDate).toBeUndefined(); // never used
  });

  it("refuses another user's tokens to non-admins, and 404s an unknown login for admins", async () => {
    const server = await start();
    const denied = await get(server, '/api/user_tokens/search?login=alan', GRACE);
    expect(denied.status).toBe(403);
    expect(await errorMsg(denied)).toBe('Insufficient privileges');
    expect((await tokensOf(server, ADMIN, 'alan')).map((t) => t.name)).toEqual(['main']);
    const missing = await get(server, '/api/user_tokens/search?login=nobody', ADMIN);
    expect(missing.status).toBe(404);
    expect(await errorMsg(missing)).toBe("User with login 'nobody' doesn't exist");
  });
});

describe('api/user_tokens/generate (server)', () => {
  it('generates squ_/sqa_/sqp_ values that authenticate at once', async () => {
    const server = await start();
    const cases: Array<Record<string, string> & { prefix: string; type: string }> = [
      { type: 'USER_TOKEN', prefix: 'squ_' },
      { type: 'GLOBAL_ANALYSIS_TOKEN', prefix: 'sqa_' },
      { type: 'PROJECT_ANALYSIS_TOKEN', prefix: 'sqp_', projectKey: 'my-app' },
    ];
    for (const { prefix, ...form } of cases) {
      const response = await generate(server, GRACE, { name: `t-${prefix}`, ...form });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, string>;
      expect(body['token']).toMatch(new RegExp(`^${prefix}[0-9a-f]{40}$`));
      expect(body).toMatchObject({
        login: 'grace',
        name: `t-${prefix}`,
        type: form.type,
        createdAt: '2026-09-01T10:15:30+0000',
      });
      expect(body['projectKey']).toBe(form.projectKey);
      expect(body['expirationDate']).toBeUndefined();
      expect((await get(server, '/api/authentication/validate', body['token'] ?? '')).status).toBe(200);
      expect(await (await get(server, '/api/users/current', body['token'] ?? '')).json()).toMatchObject({
        login: 'grace',
      });
    }
  });

  it('trims the name, rejects duplicates, missing and over-long names with the server wording', async () => {
    const server = await start();
    expect((await generate(server, GRACE, { name: '  fresh  ' })).status).toBe(200);
    const duplicate = await generate(server, GRACE, { name: 'fresh' });
    expect(duplicate.status).toBe(400);
    expect(await errorMsg(duplicate)).toBe("A user token for login 'grace' and name 'fresh' already exists");
    expect(await errorMsg(await generate(server, GRACE, {}))).toBe("The 'name' parameter is missing");
    const long = await generate(server, GRACE, { name: 'x'.repeat(101) });
    expect(long.status).toBe(400);
    expect(await errorMsg(long)).toBe("'name' length (101) is longer than the maximum authorized (100)");
    expect(server.tokenNames('grace')).toEqual(['laptop', 'ci-main', 'fresh']);
  });

  it('needs a known projectKey for a project analysis token', async () => {
    const server = await start();
    const missing = await generate(server, GRACE, { name: 'p', type: 'PROJECT_ANALYSIS_TOKEN' });
    expect(missing.status).toBe(400);
    expect(await errorMsg(missing)).toBe('A projectKey is needed when creating Project Analysis Token');
    const unknown = await generate(server, GRACE, {
      name: 'p',
      type: 'PROJECT_ANALYSIS_TOKEN',
      projectKey: 'nope',
    });
    expect(unknown.status).toBe(404);
    expect(await errorMsg(unknown)).toBe("Project key 'nope' not found");
  });

  it('checks the expiration date format and that it is after today (UTC)', async () => {
    const server = await start({ now: Date.parse('2026-09-01T23:30:00Z') });
    const badFormat = await generate(server, GRACE, { name: 'a', expirationDate: '2026-9-30' });
    expect(await errorMsg(badFormat)).toBe(
      'Supplied date format for parameter expirationDate is wrong. Please supply date in the ISO 8601 date format (YYYY-MM-DD)',
    );
    const today = await generate(server, GRACE, { name: 'a', expirationDate: '2026-09-01' });
    expect(today.status).toBe(400);
    expect(await errorMsg(today)).toBe('The minimum value for parameter expirationDate is 2026-09-02.');
    const tomorrow = await generate(server, GRACE, { name: 'a', expirationDate: '2026-09-02' });
    expect(await tomorrow.json()).toMatchObject({ expirationDate: '2026-09-02T00:00:00+0000' });
  });

  it('enforces the max lifetime cap, with and without a date, and reports it in settings', async () => {
    const server = await start({ maxTokenLifetime: '30 days' });
    const setting = await get(
      server,
      '/api/settings/values?keys=sonar.auth.token.max.allowed.lifetime',
      GRACE,
    );
    expect(await setting.json()).toEqual({
      settings: [{ key: 'sonar.auth.token.max.allowed.lifetime', value: '30 days' }],
    });
    const noDate = await generate(server, GRACE, { name: 'a' });
    expect(noDate.status).toBe(400);
    expect(await errorMsg(noDate)).toBe(
      'Tokens expiring after 2026-10-01 are not allowed. Please use an expiration date.',
    );
    const tooLate = await generate(server, GRACE, { name: 'a', expirationDate: '2026-10-02' });
    expect(await errorMsg(tooLate)).toBe(
      'Tokens expiring after 2026-10-01 are not allowed. Please use a valid expiration date.',
    );
    expect((await generate(server, GRACE, { name: 'a', expirationDate: '2026-10-01' })).status).toBe(200);
  });

  it('lets only admins generate for another user, and then only user tokens', async () => {
    const server = await start();
    const denied = await generate(server, GRACE, { name: 'x', login: 'alan' });
    expect(denied.status).toBe(403);
    const ok = await generate(server, ADMIN, { name: 'x', login: 'alan' });
    expect(await ok.json()).toMatchObject({ login: 'alan', name: 'x', type: 'USER_TOKEN' });
    const global = await generate(server, ADMIN, { name: 'y', login: 'alan', type: 'GLOBAL_ANALYSIS_TOKEN' });
    expect(global.status).toBe(400);
    expect(await errorMsg(global)).toBe('A Global Analysis Token cannot be generated for another user.');
    const project = await generate(server, ADMIN, {
      name: 'y',
      login: 'alan',
      type: 'PROJECT_ANALYSIS_TOKEN',
      projectKey: 'my-app',
    });
    expect(await errorMsg(project)).toBe('A Project Analysis Token cannot be generated for another user.');
    expect(server.tokenNames('alan')).toEqual(['main', 'x']);
  });

  it('refuses GET on a POST-only action with 405', async () => {
    const server = await start();
    const response = await get(server, '/api/user_tokens/generate?name=x', GRACE);
    expect(response.status).toBe(405);
    expect(await errorMsg(response)).toBe('HTTP method GET is not supported');
    expect(server.tokenNames('grace')).not.toContain('x');
  });
});

describe('cloud flavour', () => {
  async function startCloud(): Promise<TestServer> {
    return start({
      flavour: 'cloud',
      organizations: [
        { key: 'acme', name: 'Acme' },
        { key: 'globex', name: 'Globex' },
        { key: 'initech', name: 'Initech' },
      ],
      projects: [
        { key: 'acme_web', name: 'Web', organization: 'acme' },
        { key: 'acme_api', name: 'API', organization: 'acme' },
        { key: 'globex_app', name: 'App', organization: 'globex' },
      ],
      users: [
        {
          login: 'grace',
          name: 'Grace',
          organizations: ['acme', 'globex'],
          tokens: [{ name: 'laptop', value: 'a'.repeat(40), createdAt: new Date(NOW) }],
        },
      ],
    });
  }

  it('generates 40-hex user tokens only, without expiration fields', async () => {
    const server = await startCloud();
    const ok = await generate(server, 'a'.repeat(40), { name: 'new', expirationDate: '2026-09-02' });
    const body = (await ok.json()) as Record<string, string>;
    expect(body['token']).toMatch(/^[0-9a-f]{40}$/);
    expect(body['type']).toBe('USER_TOKEN');
    expect(body['expirationDate']).toBeUndefined();
    const global = await generate(server, 'a'.repeat(40), { name: 'g', type: 'GLOBAL_ANALYSIS_TOKEN' });
    expect(global.status).toBe(400);
    expect(await errorMsg(global)).toMatch(/type/);
    const listed = await tokensOf(server, body['token'] ?? '');
    expect(listed.map((t) => t.name)).toEqual(['laptop', 'new']);
    for (const token of listed) {
      expect(token.expirationDate).toBeUndefined();
      expect(token.isExpired ?? false).toBe(false);
    }
  });

  it('pages member organizations and requires an organization for projects (admins) and components', async () => {
    const server = await startCloud();
    const token = 'a'.repeat(40);
    const page2 = await get(server, '/api/organizations/search?member=true&p=2&ps=1', token);
    expect(await page2.json()).toEqual({
      organizations: [{ key: 'globex', name: 'Globex' }],
      paging: { pageIndex: 2, pageSize: 1, total: 2 },
    });
    const capped = await get(server, '/api/organizations/search?member=true&ps=9999', token);
    expect(((await capped.json()) as { paging: { pageSize: number } }).paging.pageSize).toBe(500);
    const noOrg = await get(server, '/api/projects/search', token);
    expect(noOrg.status).toBe(400);
    expect(await errorMsg(noOrg)).toBe("The 'organization' parameter is missing");
    const notAdmin = await get(server, '/api/projects/search?organization=acme&q=we', token);
    expect(notAdmin.status).toBe(403);
    expect(await errorMsg(notAdmin)).toBe('Insufficient privileges');
    const admin = 'f'.repeat(40);
    server.addUser({
      login: 'boss',
      name: 'Boss',
      admin: true,
      organizations: ['acme'],
      tokens: [{ name: 't', value: admin, createdAt: new Date(NOW) }],
    });
    const projects = await get(server, '/api/projects/search?organization=acme&q=we', admin);
    expect(await projects.json()).toEqual({
      paging: { pageIndex: 1, pageSize: 100, total: 1 },
      components: [{ key: 'acme_web', name: 'Web', qualifier: 'TRK' }],
    });
    const components = await get(
      server,
      '/api/components/search?organization=acme&qualifiers=TRK&q=we',
      token,
    );
    expect(await components.json()).toEqual({
      paging: { pageIndex: 1, pageSize: 100, total: 1 },
      components: [
        { organization: 'acme', key: 'acme_web', qualifier: 'TRK', name: 'Web', project: 'acme_web' },
      ],
    });
    const noOrgComponents = await get(server, '/api/components/search?qualifiers=TRK', token);
    expect(await errorMsg(noOrgComponents)).toBe("The 'organization' parameter is missing");
  });

  it('removes a token 60 days after its last use, each use renewing the window', async () => {
    const server = await startCloud();
    const used = 'a'.repeat(40);
    server.addToken('grace', { name: 'idle', createdAt: new Date(NOW) });
    server.clock.advance(59 * DAY);
    expect((await get(server, '/api/users/current', used)).status).toBe(200); // renews 'laptop'
    server.clock.advance(DAY);
    expect(server.tokenNames('grace')).toEqual(['laptop']); // 'idle' reached 60 days unused
    server.clock.advance(58 * DAY); // 59 days after the last use
    expect((await get(server, '/api/users/current', used)).status).toBe(200);
    server.clock.advance(60 * DAY);
    const gone = await get(server, '/api/users/current', used);
    expect(gone.status).toBe(401);
    expect(server.tokenNames('grace')).toEqual([]);
  });
});

describe('token lifecycle', () => {
  it('revokes a token (204, lenient on unknown names) so it no longer authenticates', async () => {
    const server = await start();
    const created = (await (await generate(server, GRACE, { name: 'tmp' })).json()) as { token: string };
    const revoked = await post(server, '/api/user_tokens/revoke', GRACE, { name: 'tmp' });
    expect(revoked.status).toBe(204);
    expect(await revoked.text()).toBe('');
    expect((await get(server, '/api/users/current', created.token)).status).toBe(401);
    expect(server.tokenNames('grace')).not.toContain('tmp');
    expect((await post(server, '/api/user_tokens/revoke', GRACE, { name: 'never-existed' })).status).toBe(
      204,
    );
    expect(
      (await post(server, '/api/user_tokens/revoke', GRACE, { name: 'main', login: 'alan' })).status,
    ).toBe(403);
    expect(server.tokenNames('alan')).toEqual(['main']);
  });

  it('expires a server token at the start of its day in UTC', async () => {
    const server = await start();
    const created = (await (
      await generate(server, GRACE, { name: 'short', expirationDate: '2026-09-03' })
    ).json()) as {
      token: string;
    };
    server.clock.set(Date.parse('2026-09-03T00:00:00Z') - 1);
    expect((await get(server, '/api/users/current', created.token)).status).toBe(200);
    server.clock.set(new Date('2026-09-03T00:00:00Z'));
    const expired = await get(server, '/api/users/current', created.token);
    expect(expired.status).toBe(401);
    const short = (await tokensOf(server, GRACE)).find((t) => t.name === 'short');
    expect(short).toMatchObject({ expirationDate: '2026-09-03T00:00:00+0000', isExpired: true });
    expect(server.tokenNames('grace')).toContain('short'); // expired server tokens stay listed
  });

  it('updates lastConnectionDate at most once an hour', async () => {
    const server = await start();
    const lastUse = async () => (await tokensOf(server, ADMIN, 'alan'))[0]?.lastConnectionDate;
    await get(server, '/api/authentication/validate', ALAN);
    expect(await lastUse()).toBe('2026-09-01T10:15:30+0000');
    server.clock.advance(59 * 60_000);
    await get(server, '/api/authentication/validate', ALAN);
    expect(await lastUse()).toBe('2026-09-01T10:15:30+0000');
    server.clock.advance(60_000);
    await get(server, '/api/authentication/validate', ALAN);
    expect(await lastUse()).toBe('2026-09-01T11:15:30+0000');
  });

  it('seeds users and tokens at runtime in the flavour format', async () => {
    const server = await start();
    server.addUser({
      login: 'ada',
      name: 'Ada',
      tokens: [{ name: 'one', type: 'GLOBAL_ANALYSIS_TOKEN', createdAt: new Date(NOW) }],
    });
    const value = server.addToken('ada', { name: 'two', createdAt: '2026-08-31T00:00:00+0000' });
    expect(value).toMatch(/^squ_[0-9a-f]{40}$/);
    expect(await (await get(server, '/api/users/current', value)).json()).toMatchObject({ login: 'ada' });
    expect(server.tokenNames('ada')).toEqual(['one', 'two']);
    expect(() => server.addToken('ada', { name: 'two', createdAt: new Date(NOW) })).toThrow();
    expect(() => server.addUser({ login: 'ada', name: 'Again' })).toThrow();
  });
});

describe('HTTP surface', () => {
  it('serves everything under the context path only', async () => {
    const server = await start({ contextPath: '/sonar' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sonar$/);
    expect(await (await get(server, '/api/users/current', GRACE)).json()).toMatchObject({ login: 'grace' });
    const outside = await fetch(server.url.replace(/\/sonar$/, '/api/server/version'));
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toMatch(/^text\/html/);
    expect(server.requests[0]).toEqual({
      method: 'GET',
      path: '/api/users/current',
      params: {},
      status: 200,
      login: 'grace',
    });
  });

  it('answers HTML 404 outside the API, JSON 404 for unknown API URLs, and 413 for huge bodies', async () => {
    const server = await start();
    const page = await get(server, '/projects');
    expect(page.status).toBe(404);
    expect(await page.text()).toMatch(/<html/i);
    const unknownApi = await get(server, '/api/nope/nothing', GRACE);
    expect(unknownApi.status).toBe(404);
    expect(await errorMsg(unknownApi)).toBe('Unknown url : /api/nope/nothing');
    expect((await get(server, '/api/organizations/search', GRACE)).status).toBe(404); // cloud-only
    const huge = await post(server, '/api/user_tokens/generate', GRACE, { name: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('logs every request with params, status and login, but never a token value', async () => {
    const server = await start();
    const created = (await (
      await generate(server, GRACE, { name: 'logged', expirationDate: '2026-09-10' })
    ).json()) as {
      token: string;
    };
    await get(server, `/api/users/current?leak=${created.token}`, created.token);
    await get(server, '/api/users/current', 'squ_' + 'e'.repeat(40));
    expect(server.requests.map(({ method, path, status, login }) => [method, path, status, login])).toEqual([
      ['POST', '/api/user_tokens/generate', 200, 'grace'],
      ['GET', '/api/users/current', 200, 'grace'],
      ['GET', '/api/users/current', 401, null],
    ]);
    expect(server.requests[0]?.params).toEqual({ name: 'logged', expirationDate: '2026-09-10' });
    const log = JSON.stringify(server.requests);
    for (const value of [created.token, GRACE, 'e'.repeat(40)]) expect(log).not.toContain(value);
  });
});

describe('faults, editions, older servers and TLS', () => {
  it('answers the next requests on a path with queued faults, logs them, then serves normally', async () => {
    const server = await start({ contextPath: '/sonar' });
    server.fault('/api/users/current', { kind: 'status', status: 503, retryAfter: '7' }, 2);
    server.fault('api/users/current', { kind: 'malformed-json' });
    const first = await get(server, '/api/users/current', GRACE);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.headers.get('content-type')).toBe('text/html');
    expect(await first.text()).toMatch(/<h1>503 Service Unavailable<\/h1>/);
    expect((await get(server, '/api/users/current', GRACE)).status).toBe(503);
    const malformed = await get(server, '/api/users/current', GRACE);
    expect(malformed.headers.get('content-type')).toBe('application/json');
    await expect(malformed.json()).rejects.toThrow();
    expect(await (await get(server, '/api/users/current', GRACE)).json()).toMatchObject({ login: 'grace' });
    expect(server.requests.map((r) => [r.path, r.status, r.login, r.fault])).toEqual([
      ['/api/users/current', 503, null, 'status'],
      ['/api/users/current', 503, null, 'status'],
      ['/api/users/current', 200, null, 'malformed-json'],
      ['/api/users/current', 200, 'grace', undefined],
    ]);
  });

  it('can answer a fault with a chosen body, and touches only its path', async () => {
    const server = await start();
    const body = '{"errors":[{"msg":"Insufficient privileges"}]}';
    server.fault('/api/settings/values', {
      kind: 'status',
      status: 403,
      body,
      contentType: 'application/json',
    });
    expect((await get(server, '/api/users/current', GRACE)).status).toBe(200);
    const faulted = await get(server, '/api/settings/values', GRACE);
    expect(faulted.status).toBe(403);
    expect(await errorMsg(faulted)).toBe('Insufficient privileges');
  });

  it('resets the connection or never answers', async () => {
    const server = await start();
    server.fault('/api/server/version', { kind: 'reset' });
    server.fault('/api/server/version', { kind: 'hang' });
    await expect(get(server, '/api/server/version')).rejects.toMatchObject({
      cause: { code: 'ECONNRESET' },
    });
    await expect(
      fetch(`${server.url}/api/server/version`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(server.requests.map((r) => [r.status, r.fault])).toEqual([
      [0, 'reset'],
      [0, 'hang'],
    ]);
    expect(() => server.fault('/x', { kind: 'hang' }, 0)).toThrow(/count/);
  });

  it('imitates a Server before 10.0: Bearer is refused with 401, basic works', async () => {
    const server = await start({ version: '9.9.0.65466', bearerSupported: false });
    expect((await get(server, '/api/users/current', GRACE)).status).toBe(401);
    const basic = `Basic ${Buffer.from(`${GRACE}:`).toString('base64')}`;
    const viaBasic = await fetch(`${server.url}/api/users/current`, { headers: { Authorization: basic } });
    expect(await viaBasic.json()).toMatchObject({ login: 'grace' });
    expect(await (await get(server, '/api/server/version', GRACE)).text()).toBe('9.9.0.65466');
    await expect(start({ bearerSupported: false })).rejects.toThrow(/before 10\.0/);
  });

  it('reports the edition in api/navigation/global, and the lifetime setting only where it exists', async () => {
    const lifetime = '/api/settings/values?keys=sonar.auth.token.max.allowed.lifetime';
    const community = await start();
    expect(await (await get(community, '/api/navigation/global')).json()).toMatchObject({
      edition: 'community',
      version: '10.7.0.96327',
    });
    expect(await (await get(community, lifetime, GRACE)).json()).toEqual({ settings: [] });
    const enterprise = await start({ edition: 'enterprise' });
    expect(await (await get(enterprise, lifetime, GRACE)).json()).toEqual({
      settings: [{ key: 'sonar.auth.token.max.allowed.lifetime', value: 'No expiration', inherited: true }],
    });
    const capped = await start({ maxTokenLifetime: '1 year' });
    expect(await (await get(capped, '/api/navigation/global')).json()).toMatchObject({
      edition: 'enterprise',
    });
    const cloud = await start({ flavour: 'cloud', projects: [], users: [] });
    const global = (await (await get(cloud, '/api/navigation/global')).json()) as Record<string, unknown>;
    expect(global['edition']).toBeUndefined();
    await expect(start({ edition: 'developer', maxTokenLifetime: '30 days' })).rejects.toThrow(/Enterprise/);
  });

  it('lists projects to admins only, and browsable components to everyone', async () => {
    const server = await start();
    expect((await get(server, '/api/projects/search', GRACE)).status).toBe(403);
    expect(await (await get(server, '/api/projects/search?q=app', ADMIN)).json()).toMatchObject({
      components: [{ key: 'my-app', name: 'My App', qualifier: 'TRK' }],
    });
    expect(await (await get(server, '/api/components/search?qualifiers=TRK&q=my', GRACE)).json()).toEqual({
      paging: { pageIndex: 1, pageSize: 100, total: 1 },
      components: [{ key: 'my-app', qualifier: 'TRK', name: 'My App', project: 'my-app' }],
    });
    const short = await get(server, '/api/components/search?qualifiers=TRK&q=m', GRACE);
    expect(await errorMsg(short)).toBe("'q' length (1) is shorter than the minimum authorized (2)");
    expect((await get(server, '/api/components/search', GRACE)).status).toBe(400);
  });

  it('serves HTTPS with a certificate from a private CA', async () => {
    const ca = await createPrivateCa();
    const server = await start({ tls: ca.server });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expect(get(server, '/api/server/version')).rejects.toMatchObject({
      cause: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    });
  });
});
