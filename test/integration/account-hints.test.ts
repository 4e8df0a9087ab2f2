/**
 * Adding an account to the wrong place says what is wrong, not just that something is: a Cloud
 * token of the other region, a Server URL that is SonarQube Cloud, a sign-in page or SSO gateway
 * answering in SonarQube's place. Against SonarQube imitations and scripted gateways on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import {
  closedPortUrl,
  startFaultServer,
  startSignInGateway,
  type SignInGatewayStyle,
} from '../support/fault-server';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const SIGN_IN_ADVICE =
  "instead of SonarQube's API: a proxy or single sign-on gateway stands in front of it, and the vault " +
  "does not sign in through web pages. The vault needs SonarQube's API reachable directly, with a " +
  'token: ask your SonarQube administrator for an address that does not go through the sign-in page.';

/** The imitation's record of who each request signed in as, without values: method, path, login. */
function seen(server: TestServer): string[] {
  return server.requests.map((r) => `${r.method} ${r.path} ${r.login ?? '-'}`);
}

async function nothingKept(vault: CoreFixture, ...values: string[]): Promise<void> {
  expect(await vault.call('accounts.list', {})).toEqual([]);
  const disk = await vault.everythingOnDisk();
  for (const value of values) expect(disk).not.toContain(value);
}

describe('a Cloud token tried in the other region', () => {
  let eu: TestServer;
  let us: TestServer;
  let vault: CoreFixture;
  let euToken: string;
  let usToken: string;

  beforeAll(async () => {
    const cloud = (org: string, login: string) =>
      startSonarQubeServer({
        flavour: 'cloud',
        organizations: [{ key: org, name: org }],
        users: [{ login, name: login, organizations: [org] }],
      });
    [eu, us] = await Promise.all([cloud('acme-eu', 'ada'), cloud('acme-us', 'ada-us')]);
    euToken = eu.addToken('ada', { name: 'vault', createdAt: new Date() });
    usToken = us.addToken('ada-us', { name: 'vault', createdAt: new Date() });
    vault = await coreFixture({ cloudHosts: { 'cloud-eu': eu.url, 'cloud-us': us.url } });
  });
  afterEach(() => {
    eu.requests.length = 0;
    us.requests.length = 0;
  });
  afterAll(() => Promise.all([eu.close(), us.close()]));

  it('a EU token on the US region names the EU region and whom it signs in as; nothing is kept', async () => {
    await expect(
      vault.call('accounts.add', { kind: 'cloud-us', organization: 'acme-us', credential: euToken }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
      message:
        'This token belongs to SonarQube Cloud (EU) (it signs in as ada there), not Cloud (US): choose the EU region.',
    });
    // One question to the other region, and nothing else: no organizations, no generate.
    expect(seen(eu)).toEqual(['GET /api/users/current ada']);
    await nothingKept(vault, euToken);
  });

  it('a US token on the EU region names the US region', async () => {
    await expect(
      vault.call('accounts.add', { kind: 'cloud-eu', organization: 'acme-eu', credential: usToken }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
      message:
        'This token belongs to SonarQube Cloud (US) (it signs in as ada-us there), not Cloud (EU): choose the US region.',
    });
    expect(seen(us)).toEqual(['GET /api/users/current ada-us']);
    await nothingKept(vault, usToken);
  });

  it('"Find my organizations" says the same', async () => {
    await expect(
      vault.call('accounts.organizations', { kind: 'cloud-us', credential: euToken }),
    ).rejects.toThrow(
      'This token belongs to SonarQube Cloud (EU) (it signs in as ada there), not Cloud (US): choose the EU region.',
    );
    expect(seen(eu)).toEqual(['GET /api/users/current ada']);
  });

  it('a token neither region knows keeps the plain 401, after one question to the other region', async () => {
    const unknown = 'f'.repeat(40);
    await expect(
      vault.call('accounts.add', { kind: 'cloud-eu', organization: 'acme-eu', credential: unknown }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/^The server did not accept/) as unknown,
    });
    expect(seen(us)).toEqual(['GET /api/users/current -']);
  });

  it('the right region needs no second opinion', async () => {
    await vault.call('accounts.add', { kind: 'cloud-eu', organization: 'acme-eu', credential: euToken });
    expect(us.requests).toEqual([]);
    const [account] = await vault.call('accounts.list', {});
    await vault.call('accounts.remove', { accountId: account!.id });
  });

  it('the other region out of reach: the plain 401, at once', async () => {
    const cut = await coreFixture({ cloudHosts: { 'cloud-eu': eu.url, 'cloud-us': await closedPortUrl() } });
    await expect(
      cut.call('accounts.add', { kind: 'cloud-eu', organization: 'acme-eu', credential: usToken }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/^The server did not accept/) as unknown,
    });
  });

  it('a Server that refuses a token asks no Cloud region', async () => {
    const server = await startSonarQubeServer({
      flavour: 'server',
      users: [{ login: 'grace', name: 'Grace' }],
    });
    try {
      await expect(
        vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential: euToken }),
      ).rejects.toMatchObject({ code: 'unauthorized' });
      expect([...eu.requests, ...us.requests]).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('a Server URL that is SonarQube Cloud', () => {
  let eu: TestServer;
  let us: TestServer;
  let vault: CoreFixture;
  let token: string;

  beforeAll(async () => {
    const cloud = () =>
      startSonarQubeServer({
        flavour: 'cloud',
        organizations: [{ key: 'acme', name: 'ACME' }],
        users: [{ login: 'ada', name: 'Ada', organizations: ['acme'] }],
      });
    [eu, us] = await Promise.all([cloud(), cloud()]);
    token = eu.addToken('ada', { name: 'vault', createdAt: new Date() });
    vault = await coreFixture({ cloudHosts: { 'cloud-eu': eu.url, 'cloud-us': us.url } });
  });
  afterAll(() => Promise.all([eu.close(), us.close()]));

  it.each([
    ['the EU host', () => eu.url, 'EU'],
    ['the EU host with a page path', () => `${eu.url}/organizations/acme/projects`, 'EU'],
    ['the US host', () => us.url, 'US'],
  ])('%s: "choose the Cloud account type", and nothing is sent', async (_what, url, region) => {
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: url(), credential: token }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: `That is SonarQube Cloud (${region}): choose the Cloud account type, SonarQube Cloud (${region}); SonarQube Server is for a SonarQube your organization runs itself.`,
    });
    expect([...eu.requests, ...us.requests]).toEqual([]);
    await nothingKept(vault, token);
  });

  it('a host that answers as Cloud does is told apart without the token', async () => {
    const elsewhere = await coreFixture({
      cloudHosts: { 'cloud-eu': await closedPortUrl(), 'cloud-us': await closedPortUrl() },
    });
    await expect(
      elsewhere.call('accounts.add', { kind: 'server', baseUrl: eu.url, credential: token }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: `${new URL(eu.url).host} answers as SonarQube Cloud does, not as a SonarQube Server: choose the Cloud account type of your region (EU or US).`,
    });
    // Anonymous questions only: the version, then the page the web app loads first.
    expect(seen(eu)).toEqual(['GET /api/server/version -', 'GET /api/navigation/global -']);
    await nothingKept(elsewhere, token);
  });

  it('an old Server 8.9 (versions like Cloud’s) is still added as a Server', async () => {
    const old = await startSonarQubeServer({
      flavour: 'server',
      version: '8.9.10.61524',
      bearerSupported: false,
      users: [{ login: 'grace', name: 'Grace' }],
    });
    try {
      const credential = old.addToken('grace', { name: 'vault', createdAt: new Date() });
      const account = await vault.call('accounts.add', { kind: 'server', baseUrl: old.url, credential });
      expect(account).toMatchObject({ kind: 'server', serverVersion: '8.9.10.61524', login: 'grace' });
      await vault.call('accounts.remove', { accountId: account.id });
    } finally {
      await old.close();
    }
  });
});

describe('a sign-in page or gateway in place of SonarQube', () => {
  const servers: { close(): Promise<void> }[] = [];
  let vault: CoreFixture;
  const credential = 'squ_' + 'a'.repeat(40);

  beforeAll(async () => {
    vault = await coreFixture();
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  async function started<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
    const running = await server;
    servers.push(running);
    return running;
  }

  it.each([
    ['redirect', 'a redirect to login.microsoftonline.com'],
    ['form', 'a login form (200)'],
    ['saml', 'a login form (200)'],
    ['negotiate', 'a Negotiate sign-in challenge (401)'],
    ['basic-realm', 'a Basic sign-in challenge (401)'],
  ] satisfies [SignInGatewayStyle, string][])(
    '%s: says a sign-in page answered, and what to do; the token is never sent',
    async (style, evidence) => {
      const gateway = await started(startSignInGateway(style));
      const host = new URL(gateway.url).host;
      await expect(
        vault.call('accounts.add', { kind: 'server', baseUrl: gateway.url, credential }),
      ).rejects.toMatchObject({
        code: 'unreachable',
        message: `${host} answered with a sign-in page (${evidence}) ${SIGN_IN_ADVICE}`,
      });
      expect(gateway.requests.length).toBeGreaterThan(0);
      expect(gateway.requests.every((r) => r.authorization === undefined)).toBe(true);
      await nothingKept(vault, credential);
    },
  );

  it('a gateway that lets the version through but sends API calls to sign in: said the same way', async () => {
    const seenAuth: (string | undefined)[] = [];
    const gateway = await started(
      startFaultServer((request, response) => {
        request.resume();
        seenAuth.push(request.headers.authorization);
        if (request.url === '/api/server/version') return void response.end('10.7.0.96327');
        response.writeHead(302, { Location: 'https://sso.example.com/adfs/ls/?wa=wsignin1.0' }).end();
      }),
    );
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: gateway.url, credential }),
    ).rejects.toMatchObject({
      code: 'unreachable',
      message: `${new URL(gateway.url).host} answered with a sign-in page (a redirect to sso.example.com) ${SIGN_IN_ADVICE}`,
    });
    // The look at where the redirect points goes without the token.
    expect(seenAuth.at(-1)).toBeUndefined();
  });

  it('a redirect to the same API elsewhere names that address', async () => {
    const moved = await started(
      startFaultServer((request, response) => {
        request.resume();
        response.writeHead(301, { Location: `https://sq.example.com/sonarqube${request.url ?? '/'}` }).end();
      }),
    );
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: moved.url, credential }),
    ).rejects.toMatchObject({
      code: 'unreachable',
      message: `${new URL(moved.url).host} answered with a redirect, which the vault does not follow: it points to https://sq.example.com/sonarqube; if that is your SonarQube, enter that address.`,
    });
  });

  it('a redirect to some other page keeps the plain wording', async () => {
    const moved = await started(
      startFaultServer((request, response) => {
        request.resume();
        response.writeHead(302, { Location: '/maintenance.html' }).end();
      }),
    );
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: moved.url, credential }),
    ).rejects.toMatchObject({
      code: 'unreachable',
      message: `${new URL(moved.url).host} answered with a redirect, which the vault does not follow: enter the address your SonarQube is served from, as your browser shows it after the redirect.`,
    });
  });

  it('a web page that is not SonarQube at all keeps "not a SonarQube server"', async () => {
    const page = await started(
      startFaultServer((request, response) => {
        request.resume();
        response
          .writeHead(200, { 'Content-Type': 'text/html' })
          .end('<html><h1>Welcome to our intranet</h1></html>');
      }),
    );
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: page.url, credential }),
    ).rejects.toMatchObject({
      code: 'not-sonarqube',
      message: `${new URL(page.url).host} answered (200), but not as a SonarQube server does. Check the URL, including any context path such as /sonarqube.`,
    });
  });

  it('SonarQube’s own 401 (no challenge) is still "token not accepted"', async () => {
    const sonar = await started(
      startSonarQubeServer({ flavour: 'server', users: [{ login: 'grace', name: 'Grace' }] }),
    );
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: sonar.url, credential }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('a sign-in page put in front of an account later: unreachable, saying why, not "token not accepted"', async () => {
    const sonar = await started(
      startSonarQubeServer({ flavour: 'server', users: [{ login: 'grace', name: 'Grace' }] }),
    );
    const token = sonar.addToken('grace', { name: 'vault', createdAt: new Date() });
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: sonar.url,
      credential: token,
    });
    await vault.call('tokens.list', { accountId: account.id });
    sonar.fault('/api/user_tokens/search', {
      kind: 'status',
      status: 200,
      contentType: 'text/html',
      body: '<form action="/login" method="post"><input name="user"><input type="password" name="pw"></form>',
    });
    const list = await vault.call('tokens.list', { accountId: account.id });
    expect(list).toMatchObject({
      stale: true,
      problem: expect.stringContaining('a sign-in page') as unknown,
    });
    const [shown] = await vault.call('accounts.list', {});
    expect(shown).toMatchObject({
      status: 'unreachable',
      statusMessage: expect.stringContaining('answered with a sign-in page (a login form (200))') as unknown,
    });
  });
});
