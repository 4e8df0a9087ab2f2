import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SonarQubeClient } from '@core/sonarqube/client';
import { closedPortUrl, startFaultServer, type FaultServer } from '../support/fault-server';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const fetcher = (input: string, init?: RequestInit) => fetch(input, init);

describe('SonarQube client against a SonarQube-compatible server', () => {
  let server: TestServer;
  let adminToken: string;
  let userToken: string;

  beforeAll(async () => {
    server = await startSonarQubeServer({
      flavour: 'server',
      contextPath: '/sonar',
      projects: [{ key: 'my-app', name: 'My App' }],
      users: [
        { login: 'grace', name: 'Grace Hopper', admin: true, tokens: [] },
        { login: 'alan', name: 'Alan Turing', tokens: [] },
      ],
    });
    adminToken = server.addToken('grace', { name: 'vault', createdAt: new Date(server.clock.now()) });
    userToken = server.addToken('alan', { name: 'vault', createdAt: new Date(server.clock.now()) });
  });
  afterAll(() => server.close());

  const client = (token?: string) => new SonarQubeClient({ baseUrl: server.url, fetch: fetcher, token });

  it('reads the version without authentication, under a context path', async () => {
    expect(await client().version()).toBe('10.7.0.96327');
  });

  it('knows who the token belongs to and whether they administer the system', async () => {
    expect(await client(adminToken).currentUser()).toEqual({
      login: 'grace',
      name: 'Grace Hopper',
      isAdmin: true,
    });
    expect((await client(userToken).currentUser()).isAdmin).toBe(false);
  });

  it('reports an unknown token as unauthorized, never as anonymous success', async () => {
    await expect(client('squ_' + '0'.repeat(40)).currentUser()).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(client().currentUser()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('generates, lists and revokes, sending form parameters', async () => {
    const generated = await client(userToken).generateToken({
      name: '  ci-main  ',
      type: 'PROJECT_ANALYSIS_TOKEN',
      projectKey: 'my-app',
      expirationDate: new Date(server.clock.now() + 10 * 86_400_000).toISOString().slice(0, 10),
    });
    expect(generated.token).toMatch(/^sqp_[0-9a-f]{40}$/);
    expect(generated.name).toBe('ci-main');
    const listed = await client(userToken).searchTokens();
    const token = listed.tokens.find((t) => t.name === 'ci-main');
    expect(token).toMatchObject({ type: 'PROJECT_ANALYSIS_TOKEN', project: { key: 'my-app' } });
    expect(token?.expirationDate).toMatch(/T00:00:00\+0000$/);
    await client(userToken).revokeToken('ci-main');
    expect((await client(userToken).searchTokens()).tokens.map((t) => t.name)).not.toContain('ci-main');
  });

  it('passes the server validation messages through word for word', async () => {
    await expect(
      client(userToken).generateToken({ name: 'vault', type: 'USER_TOKEN' }),
    ).rejects.toMatchObject({
      code: 'rejected',
      message: "A user token for login 'alan' and name 'vault' already exists",
    });
    await expect(
      client(userToken).generateToken({ name: 'p', type: 'PROJECT_ANALYSIS_TOKEN' }),
    ).rejects.toMatchObject({ message: 'A projectKey is needed when creating Project Analysis Token' });
  });

  it('says forbidden when a non-admin lists another user tokens, not-found for an unknown user', async () => {
    await expect(client(userToken).searchTokens('grace')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(client(adminToken).searchTokens('nobody')).rejects.toMatchObject({
      code: 'not-found',
      message: "User with login 'nobody' doesn't exist",
    });
    expect((await client(adminToken).searchTokens('alan')).login).toBe('alan');
  });

  it('never sends the token in a URL', async () => {
    const urls: string[] = [];
    const recording = new SonarQubeClient({
      baseUrl: server.url,
      token: adminToken,
      fetch: (input, init) => (urls.push(input), fetcher(input, init)),
    });
    await recording.searchTokens();
    expect(urls).toHaveLength(1);
    expect(urls.join()).not.toContain(adminToken);
    // The server log redacts token-shaped values: any redaction would mean one travelled as a parameter.
    expect(server.requests.flatMap((r) => Object.values(r.params))).not.toContain('<redacted>');
  });
});

describe('SonarQube client against broken or foreign servers', () => {
  const servers: FaultServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  async function fault(answer: Parameters<typeof startFaultServer>[0]) {
    const server = await startFaultServer(answer);
    servers.push(server);
    // Retries are covered in client-resilience.test.ts; here they must not wait.
    return new SonarQubeClient({
      baseUrl: server.url,
      fetch: fetcher,
      token: 'squ_x',
      timeoutMs: 300,
      sleep: () => Promise.resolve(),
    });
  }

  it('a web page that is not SonarQube is reported as such', async () => {
    const client = await fault((_q, r) =>
      r.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>'),
    );
    await expect(client.version()).rejects.toMatchObject({
      code: 'not-sonarqube',
      message: /not as a SonarQube server/,
    });
    await expect(client.currentUser()).rejects.toMatchObject({ code: 'not-sonarqube' });
  });

  it('a site answering 200 HTML everywhere is not SonarQube either', async () => {
    const client = await fault((_q, r) =>
      r.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Welcome</html>'),
    );
    await expect(client.version()).rejects.toMatchObject({ code: 'not-sonarqube' });
    await expect(client.searchTokens()).rejects.toMatchObject({ code: 'not-sonarqube' });
  });

  it('malformed JSON is not taken for an answer', async () => {
    const client = await fault((_q, r) =>
      r.writeHead(200, { 'Content-Type': 'application/json' }).end('{"userTokens": ['),
    );
    await expect(client.searchTokens()).rejects.toMatchObject({ code: 'not-sonarqube' });
  });

  it('a proxy 502 with an HTML body becomes a server error naming the status', async () => {
    const client = await fault((_q, r) =>
      r.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/html' }).end('<html>nginx</html>'),
    );
    await expect(client.searchTokens()).rejects.toMatchObject({
      code: 'server-error',
      message: /502 Bad Gateway after 3 attempts/,
    });
  });

  it('a server that never answers times out', async () => {
    const client = await fault(() => undefined);
    await expect(client.version()).rejects.toMatchObject({
      code: 'timeout',
      message: /did not answer in time after 3 attempts/,
    });
  });

  it('nothing listening is unreachable, with the reason', async () => {
    const client = new SonarQubeClient({ baseUrl: await closedPortUrl(), fetch: fetcher });
    await expect(client.version()).rejects.toMatchObject({ code: 'unreachable', message: /ECONNREFUSED/ });
  });
});
