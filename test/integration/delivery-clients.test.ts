/**
 * The delivery clients (octokit and gitbeaker, for real) against the GitHub and GitLab imitations:
 * values delivered, sealed and opened again by the server's private key, created then updated,
 * confirmed; every fault mapped to its code; no message ever holding a value or a credential.
 * Waits are recorded by an injected sleep instead of being slept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryTarget, ErrorCode } from '@contract';
import { deliveryClient, targetLabel, type DeliveryOptions } from '@core/delivery/clients';
import type { DeliveryClient } from '@core/delivery/http';
import { VaultError } from '@core/errors';
import { closedPortUrl } from '../support/fault-server';
import { startGitHubServer, type GitHubServer, type GitHubServerOptions } from '../support/github-server';
import { startGitLabServer, type GitLabServer } from '../support/gitlab-server';

const fetcher = (input: string, init?: RequestInit) => fetch(input, init);

// Credentials in their services' shapes, which the token redactor alone would not catch.
const GH = 'ghp_R7xQ2mK9vL4nT8wZ1cF6hJ3pB5sD0gY2aE4u';
const GH_READ_ONLY = 'github_pat_11ABCDEFG0readonly_x9Yz8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih';
const GL = 'glpat-x8Kd2LmQ9vRt4WzN1cYh';
const GL_DEVELOPER = 'glpat-dev7Hq3Lp9Zx2Wc5Vb8Nm';
const GL_MAINTAINER = 'glpat-mnt4Rt6Yu8Io0Pa2Sd4Fg';
const GL_READ_API = 'glpat-rd1Qw3Er5Ty7Ui9Op1As';
const VALUE = 'squ_3f9a1c7e5b2d4f608a1b3c5d7e9f0a2b4c6d8e0f';
const VALUE2 = 'squ_0e2d4c6b8a9f7e5d3c1b0a2f4e6d8c0b2a4f6e8d';
/** Not token-shaped: only the explicit scrub keeps it out of messages. */
const PLAIN_VALUE = 'Plain-Value_with.tilde~and:colon@2026';
const SECRETS = [GH, GH_READ_ONLY, GL, GL_DEVELOPER, GL_MAINTAINER, GL_READ_API, VALUE, VALUE2, PLAIN_VALUE];

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function gitHub(overrides: Partial<GitHubServerOptions> = {}): Promise<GitHubServer> {
  const server = await startGitHubServer({
    tokens: {
      [GH]: { repos: ['acme/web'], orgs: ['acme'], environments: { 'acme/web': ['production'] } },
      [GH_READ_ONLY]: { repos: ['acme/web'], readOnly: true },
    },
    ...overrides,
  });
  stops.push(() => server.close());
  return server;
}

async function gitLab(): Promise<GitLabServer> {
  const server = await startGitLabServer({
    tokens: {
      [GL]: { projects: ['group/project'], groups: ['group'] },
      [GL_DEVELOPER]: { projects: ['group/project'], groups: ['group'], role: 'developer' },
      [GL_MAINTAINER]: { projects: ['group/project'], groups: ['group'], role: 'maintainer' },
      [GL_READ_API]: { projects: ['group/project'], scopes: ['read_api'] },
    },
  });
  stops.push(() => server.close());
  return server;
}

type GitHubTarget = Extract<DeliveryTarget, { kind: 'github' }>;
type GitLabTarget = Extract<DeliveryTarget, { kind: 'gitlab' }>;

function repoTarget(server: { url: string }, extra: Partial<GitHubTarget> = {}): GitHubTarget {
  return {
    kind: 'github',
    apiUrl: server.url,
    scope: 'repository',
    owner: 'acme',
    repo: 'web',
    name: 'SONAR_TOKEN',
    ...extra,
  };
}

function projectTarget(server: { url: string }, extra: Partial<GitLabTarget> = {}): GitLabTarget {
  return {
    kind: 'gitlab',
    apiUrl: server.url,
    scope: 'project',
    path: 'group/project',
    key: 'SONAR_TOKEN',
    masked: true,
    protected: false,
    ...extra,
  };
}

/** A client whose sleep records the waits asked for, and waits for none of them. */
function clientOf(
  target: DeliveryTarget,
  credential: string,
  options: Partial<DeliveryOptions> = {},
): { client: DeliveryClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = deliveryClient(target, credential, {
    fetch: fetcher,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    timeoutMs: 2_000,
    ...options,
  });
  return { client, sleeps };
}

/** The failure a call ends in: a VaultError with this code, naming no secret at all. */
async function failure(promise: Promise<unknown>, code: ErrorCode): Promise<VaultError> {
  let caught: unknown = null;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the call should have failed').toBeInstanceOf(VaultError);
  const error = caught as VaultError;
  for (const secret of SECRETS) expect(error.message).not.toContain(secret);
  expect(error.message).not.toMatch(/[0-9a-f]{40}/i);
  expect({ code: error.code, message: error.message }).toMatchObject({ code });
  return error;
}

const REPO_SECRET = '/repos/acme/web/actions/secrets/SONAR_TOKEN';
const ENV_SECRET = '/repos/acme/web/environments/production/secrets/SONAR_TOKEN';
const ORG_SECRET = '/orgs/acme/actions/secrets/SONAR_TOKEN';

describe('target labels', () => {
  it('names each kind of target', () => {
    const url = { url: 'https://api.github.com' };
    expect(targetLabel(repoTarget(url))).toBe('GitHub acme/web · SONAR_TOKEN');
    expect(targetLabel(repoTarget(url, { scope: 'environment', environment: 'production' }))).toBe(
      'GitHub acme/web (production) · SONAR_TOKEN',
    );
    expect(targetLabel(repoTarget(url, { scope: 'organization', repo: undefined }))).toBe(
      'GitHub org acme · SONAR_TOKEN',
    );
    expect(targetLabel(projectTarget({ url: 'https://gitlab.com' }))).toBe(
      'GitLab group/project · SONAR_TOKEN',
    );
    expect(targetLabel(projectTarget({ url: 'https://gitlab.com' }, { scope: 'group', path: 'group' }))).toBe(
      'GitLab group group · SONAR_TOKEN',
    );
  });
});

describe('GitHub Actions secrets', () => {
  it('delivers a repository secret: sealed to the public key, opened by the server, confirmed', async () => {
    const server = await gitHub();
    const { client } = clientOf(repoTarget(server), GH);
    await client.check();
    await client.deliver(VALUE);
    expect(server.secret(REPO_SECRET)).toBe(VALUE);
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(put).toMatchObject({ path: REPO_SECRET, answer: 201 });
    // What travelled was sealed: the value is nowhere in the body.
    expect(JSON.stringify(put?.body)).not.toContain(VALUE);
    expect(server.requests.every((r) => r.auth !== 'none')).toBe(true);
    // Key, secret before, PUT, secret after.
    expect(server.requests.slice(1).map((r) => `${r.method} ${r.answer}`)).toEqual([
      'GET 200',
      'GET 404',
      'PUT 201',
      'GET 200',
    ]);
  });

  it('delivers twice: the second write updates (204) and its updated_at moved', async () => {
    const server = await gitHub();
    const { client } = clientOf(repoTarget(server), GH);
    await client.deliver(VALUE);
    const first = server.stored(REPO_SECRET);
    await client.deliver(VALUE2);
    const second = server.stored(REPO_SECRET);
    expect(server.secret(REPO_SECRET)).toBe(VALUE2);
    expect(server.requests.filter((r) => r.method === 'PUT').map((r) => r.answer)).toEqual([201, 204]);
    expect(Date.parse(second!.updated_at)).toBeGreaterThan(Date.parse(first!.updated_at));
    expect(second!.created_at).toBe(first!.created_at);
  });

  it('delivers an environment secret, and only there', async () => {
    const server = await gitHub();
    const { client } = clientOf(repoTarget(server, { scope: 'environment', environment: 'production' }), GH);
    await client.check();
    await client.deliver(PLAIN_VALUE);
    expect(server.secret(ENV_SECRET)).toBe(PLAIN_VALUE);
    expect(server.secret(REPO_SECRET)).toBeUndefined();
  });

  it('delivers an organization secret with the visibility asked, private by default, kept when unsaid', async () => {
    const server = await gitHub();
    const org = repoTarget(server, { scope: 'organization', repo: undefined });
    await clientOf(org, GH).client.deliver(VALUE);
    expect(server.stored(ORG_SECRET)).toMatchObject({ value: VALUE, visibility: 'private' });
    await clientOf({ ...org, visibility: 'all' }, GH).client.deliver(VALUE2);
    expect(server.stored(ORG_SECRET)).toMatchObject({ value: VALUE2, visibility: 'all' });
    await clientOf(org, GH).client.deliver(VALUE);
    expect(server.stored(ORG_SECRET)).toMatchObject({ value: VALUE, visibility: 'all' });
  });

  it('works under a GitHub Enterprise Server base path (/api/v3)', async () => {
    const server = await gitHub();
    await clientOf(repoTarget({ url: `${server.url}/api/v3` }), GH).client.deliver(VALUE);
    expect(server.secret(REPO_SECRET)).toBe(VALUE);
    expect(server.requests[0]?.path.startsWith('/api/v3/repos/')).toBe(true);
  });

  it('writes again a second later when GitHub’s whole-second updated_at could not show the write', async () => {
    let clock = Date.parse('2026-03-01T10:00:00.200Z');
    const server = await gitHub({ clock: 'seconds', now: () => clock });
    const target = repoTarget(server);
    const advancing = (ms: number) => {
      clock += ms;
      return Promise.resolve();
    };
    await clientOf(target, GH, { sleep: advancing }).client.deliver(VALUE);
    await clientOf(target, GH, { sleep: advancing }).client.deliver(VALUE2);
    expect(server.secret(REPO_SECRET)).toBe(VALUE2);
    expect(server.requests.filter((r) => r.method === 'PUT').map((r) => r.answer)).toEqual([201, 204, 204]);

    // A clock that never moves: the write cannot be confirmed, and says so.
    const stuck = clientOf(target, GH); // its sleep does not move the server's clock
    const error = await failure(stuck.client.deliver(VALUE), 'server-error');
    expect(error.message).toContain(
      'GitHub accepted GitHub acme/web · SONAR_TOKEN but the secret did not change',
    );
    expect(stuck.sleeps).toHaveLength(1);
  });

  it('check() fails with 401 for a wrong token and 404 for what the token cannot see', async () => {
    const server = await gitHub();
    const wrong = await failure(
      clientOf(repoTarget(server), 'ghp_wrongwrongwrongwrongwrongwrongwrong').client.check(),
      'unauthorized',
    );
    expect(wrong.message).toContain('GitHub refused the access token for acme/web');

    const repo = await failure(clientOf(repoTarget(server, { repo: 'api' }), GH).client.check(), 'not-found');
    expect(repo.message).toContain('no repository acme/api');
    const env = await failure(
      clientOf(repoTarget(server, { scope: 'environment', environment: 'staging' }), GH).client.check(),
      'not-found',
    );
    expect(env.message).toContain('no environment staging in acme/web');
    const org = await failure(
      clientOf(
        repoTarget(server, { scope: 'organization', owner: 'globex', repo: undefined }),
        GH,
      ).client.check(),
      'not-found',
    );
    expect(org.message).toContain('no organization globex');
  });

  it('says which permission a token that may not write lacks (403)', async () => {
    const server = await gitHub();
    const { client } = clientOf(repoTarget(server), GH_READ_ONLY);
    await client.check();
    const error = await failure(client.deliver(VALUE), 'forbidden');
    expect(error.message).toContain('"Secrets: write"');
    expect(error.message).toContain('Resource not accessible by personal access token');
    expect(server.secret(REPO_SECRET)).toBeUndefined();
  });

  it('surfaces the service’s own words for a 422, without the value or the credential they echo', async () => {
    const server = await gitHub();
    server.fault('PUT /repos/acme/web/actions/secrets/', {
      status: 422,
      body: { message: `Invalid request: ${PLAIN_VALUE} for ${GH} is not valid sealed data`, status: '422' },
    });
    const error = await failure(clientOf(repoTarget(server), GH).client.deliver(PLAIN_VALUE), 'rejected');
    expect(error.message).toContain(
      'GitHub refused to store GitHub acme/web · SONAR_TOKEN (422): Invalid request:',
    );
    expect(error.message).toContain('[secret]');
  });

  it('waits out a rate limit (429, Retry-After: 1) and succeeds', async () => {
    const server = await gitHub();
    server.fault('/actions/secrets/public-key', { status: 429, headers: { 'Retry-After': '1' } });
    const { client, sleeps } = clientOf(repoTarget(server), GH);
    await client.deliver(VALUE);
    expect(sleeps).toEqual([1_000]);
    expect(server.secret(REPO_SECRET)).toBe(VALUE);
  });

  it('waits for the reset of a used-up primary rate limit (403, x-ratelimit-remaining: 0)', async () => {
    const server = await gitHub();
    const reset = Math.floor(Date.now() / 1000) + 3;
    server.fault('PUT ', {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for user ID 1.' },
    });
    const { client, sleeps } = clientOf(repoTarget(server), GH);
    await client.deliver(VALUE);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
    expect(sleeps[0]).toBeLessThanOrEqual(4_000);
    expect(server.secret(REPO_SECRET)).toBe(VALUE);
  });

  it('waits a minute for a secondary rate limit GitHub names only in words (403)', async () => {
    const server = await gitHub();
    server.fault('PUT ', {
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      },
    });
    const { client, sleeps } = clientOf(repoTarget(server), GH);
    await client.deliver(VALUE);
    expect(sleeps).toEqual([60_000]);
    expect(server.secret(REPO_SECRET)).toBe(VALUE);
  });

  it('fails clearly, without waiting, when the rate limit asks for longer than maxRetryWaitMs', async () => {
    const server = await gitHub();
    server.fault('/public-key', { status: 429, headers: { 'Retry-After': '120' } });
    const { client, sleeps } = clientOf(repoTarget(server), GH, { maxRetryWaitMs: 60_000 });
    const error = await failure(client.deliver(VALUE), 'rejected');
    expect(error.message).toMatch(
      /asks to wait 2 min: try GitHub acme\/web · SONAR_TOKEN again after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    expect(sleeps).toEqual([]);
    expect(server.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('gives up after 3 attempts when the rate limit persists', async () => {
    const server = await gitHub();
    server.fault('/public-key', { status: 429, headers: { 'Retry-After': '1' } }, 5);
    const { client, sleeps } = clientOf(repoTarget(server), GH);
    await failure(client.check(), 'rejected');
    expect(sleeps).toEqual([1_000, 1_000]);
    expect(server.requests).toHaveLength(3);
  });

  it('a connection cut (before an answer, or in the middle of one) is unreachable, and not retried', async () => {
    const server = await gitHub();
    server.fault('PUT ', { kind: 'cut' });
    const cut = await failure(clientOf(repoTarget(server), GH).client.deliver(VALUE), 'unreachable');
    expect(cut.message).toContain('the connection was cut');
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);

    server.fault('/public-key', { kind: 'cut', afterHeaders: true });
    await failure(clientOf(repoTarget(server), GH).client.check(), 'unreachable');
  });

  it('a server that does not answer is a timeout; a refused connection is unreachable', async () => {
    const server = await gitHub();
    server.fault('/public-key', { kind: 'hang' });
    const slow = await failure(
      clientOf(repoTarget(server), GH, { timeoutMs: 300 }).client.check(),
      'timeout',
    );
    expect(slow.message).toContain('did not answer in time');
    const closed = await closedPortUrl();
    await failure(clientOf(repoTarget({ url: closed }), GH).client.check(), 'unreachable');
  });

  it('a 5xx is a server error, sent once', async () => {
    const server = await gitHub();
    server.fault('/public-key', { status: 502, body: '<html>Bad gateway</html>' });
    const error = await failure(clientOf(repoTarget(server), GH).client.check(), 'server-error');
    expect(error.message).toContain('502');
    expect(server.requests).toHaveLength(1);
  });

  it('a write the secret list does not show afterwards is not confirmed', async () => {
    const server = await gitHub();
    let reads = 0;
    server.fault((r) => r.method === 'GET' && r.path === REPO_SECRET && ++reads === 2, {
      status: 404,
      body: { message: 'Not Found' },
    });
    const error = await failure(clientOf(repoTarget(server), GH).client.deliver(VALUE), 'server-error');
    expect(error.message).toContain('does not list the secret afterwards');
  });

  it('refuses to send a credential over plain http to another host', async () => {
    const { client } = clientOf(repoTarget({ url: 'http://github.example.com/api/v3' }), GH);
    const error = await failure(client.check(), 'bad-url');
    expect(error.message).toContain('https');
  });
});

describe('GitLab CI/CD variables', () => {
  it('creates a project variable, masked as asked, then updates it; each read back', async () => {
    const server = await gitLab();
    const { client } = clientOf(projectTarget(server), GL);
    await client.check();
    await client.deliver(VALUE);
    expect(server.variable('project', 'group/project', 'SONAR_TOKEN')).toMatchObject({
      value: VALUE,
      masked: true,
      protected: false,
      environment_scope: '*',
    });
    await client.deliver(VALUE2);
    expect(server.variable('project', 'group/project', 'SONAR_TOKEN')?.value).toBe(VALUE2);
    const writes = server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.answer}`);
    expect(writes).toEqual(['POST 201', 'PUT 200']);
    expect(server.requests.every((r) => r.auth === 'private-token')).toBe(true);
    // The path travels URL-encoded, as one segment.
    expect(server.requests[0]?.path).toBe('/api/v4/projects/group%2Fproject');
  });

  it('addresses a project by its numeric id too', async () => {
    const server = await gitLab();
    const id = String(server.projectId('group/project'));
    await clientOf(projectTarget(server, { path: id, masked: false }), GL).client.deliver(PLAIN_VALUE);
    expect(server.variable('project', 'group/project', 'SONAR_TOKEN')).toMatchObject({
      value: PLAIN_VALUE,
      masked: false,
    });
  });

  it('creates a group variable, protected and unmasked as asked, then updates it', async () => {
    const server = await gitLab();
    const { client } = clientOf(
      projectTarget(server, { scope: 'group', path: 'group', masked: false, protected: true }),
      GL,
    );
    await client.check();
    await client.deliver(VALUE);
    expect(server.variable('group', 'group', 'SONAR_TOKEN')).toMatchObject({
      value: VALUE,
      masked: false,
      protected: true,
    });
    await client.deliver(VALUE2);
    expect(server.variable('group', 'group', 'SONAR_TOKEN')).toMatchObject({
      value: VALUE2,
      protected: true,
    });
    expect(server.requests.filter((r) => r.method !== 'GET').map((r) => r.method)).toEqual(['POST', 'PUT']);
  });

  it('updates a masked and hidden variable, whose value GitLab never gives back', async () => {
    const server = await gitLab();
    const created = await fetch(`${server.url}/api/v4/projects/group%2Fproject/variables`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': GL, 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: 'SONAR_TOKEN', value: VALUE, masked_and_hidden: true }),
    });
    expect(created.status).toBe(201);
    await clientOf(projectTarget(server), GL).client.deliver(VALUE2);
    expect(server.variable('project', 'group/project', 'SONAR_TOKEN')).toMatchObject({
      value: VALUE2,
      hidden: true,
    });
  });

  it('refuses, before sending, a value GitLab could not mask', async () => {
    const server = await gitLab();
    const error = await failure(clientOf(projectTarget(server), GL).client.deliver('short'), 'rejected');
    expect(error.message).toContain('GitLab cannot mask this value');
    expect(server.requests).toHaveLength(0);
  });

  it('the imitation enforces GitLab’s masking rule itself, in GitLab’s words', async () => {
    const server = await gitLab();
    const response = await fetch(`${server.url}/api/v4/projects/group%2Fproject/variables`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': GL, 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: 'X', value: 'has spaces in it', masked: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: { value: ['is invalid'] } });
  });

  it('surfaces GitLab’s own words for a 400', async () => {
    const server = await gitLab();
    server.fault('POST ', { status: 400, body: { message: { value: ['is invalid'] } } });
    const error = await failure(clientOf(projectTarget(server), GL).client.deliver(VALUE), 'rejected');
    expect(error.message).toContain(
      'GitLab refused to store GitLab group/project · SONAR_TOKEN (400): value is invalid',
    );
  });

  it('edits a variable created meanwhile by someone else', async () => {
    const server = await gitLab();
    await clientOf(projectTarget(server), GL).client.deliver(VALUE);
    // The next look finds nothing (as if it were created just after), so the client POSTs, and GitLab refuses.
    server.fault((r) => r.method === 'GET' && r.path.endsWith('/variables/SONAR_TOKEN'), {
      status: 404,
      body: { message: '404 Variable Not Found' },
    });
    await clientOf(projectTarget(server), GL).client.deliver(VALUE2);
    expect(server.variable('project', 'group/project', 'SONAR_TOKEN')?.value).toBe(VALUE2);
    expect(server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.answer}`)).toEqual([
      'POST 201',
      'POST 400',
      'PUT 200',
    ]);
  });

  it('check() fails with 401 for a wrong token and 404 for a project or group it cannot see', async () => {
    const server = await gitLab();
    const wrong = await failure(
      clientOf(projectTarget(server), 'glpat-wrongwrongwrongwrong').client.check(),
      'unauthorized',
    );
    expect(wrong.message).toContain('GitLab refused the access token for group/project');
    const project = await failure(
      clientOf(projectTarget(server, { path: 'group/other' }), GL).client.check(),
      'not-found',
    );
    expect(project.message).toContain('no project group/other');
    const group = await failure(
      clientOf(projectTarget(server, { scope: 'group', path: 'elsewhere' }), GL).client.check(),
      'not-found',
    );
    expect(group.message).toContain('no group elsewhere');
  });

  it('says which role and scope are needed (403)', async () => {
    const server = await gitLab();
    const developer = await failure(
      clientOf(projectTarget(server), GL_DEVELOPER).client.check(),
      'forbidden',
    );
    expect(developer.message).toContain('"api" scope');
    expect(developer.message).toContain('Maintainer role');
    const maintainer = await failure(
      clientOf(projectTarget(server, { scope: 'group', path: 'group' }), GL_MAINTAINER).client.check(),
      'forbidden',
    );
    expect(maintainer.message).toContain('Owner role');
    // read_api reads (check passes) but cannot write.
    const readApi = clientOf(projectTarget(server), GL_READ_API).client;
    await readApi.check();
    const scope = await failure(readApi.deliver(VALUE), 'forbidden');
    expect(scope.message).toContain('higher privileges');
  });

  it('waits out a 429 (Retry-After: 1) itself: gitbeaker retries nothing of its own', async () => {
    const server = await gitLab();
    server.fault('POST ', { status: 429, headers: { 'Retry-After': '1' }, body: { message: 'Retry later' } });
    const { client, sleeps } = clientOf(projectTarget(server), GL);
    await client.deliver(VALUE);
    expect(sleeps).toEqual([1_000]);
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.answer)).toEqual([429, 201]);
  });

  it('fails clearly when GitLab asks to wait longer than maxRetryWaitMs', async () => {
    const server = await gitLab();
    server.fault('GET ', { status: 429, headers: { 'Retry-After': '90' } });
    const { client, sleeps } = clientOf(projectTarget(server), GL, { maxRetryWaitMs: 30_000 });
    const error = await failure(client.check(), 'rejected');
    expect(error.message).toContain('asks to wait 90 s');
    expect(sleeps).toEqual([]);
  });

  it('a connection cut is unreachable; a 5xx a server error', async () => {
    const server = await gitLab();
    server.fault('PUT ', { kind: 'cut' });
    await clientOf(projectTarget(server), GL).client.deliver(VALUE);
    const cut = await failure(clientOf(projectTarget(server), GL).client.deliver(VALUE2), 'unreachable');
    expect(cut.message).toContain('the connection was cut');
    server.fault('GET ', { status: 503, body: { message: 'GitLab is not responding' } });
    const down = await failure(clientOf(projectTarget(server), GL).client.check(), 'server-error');
    expect(down.message).toContain('503');
  });

  it('a variable that reads back different is not confirmed, and the message holds no value', async () => {
    const server = await gitLab();
    let reads = 0;
    server.fault((r) => r.method === 'GET' && r.path.endsWith('/variables/SONAR_TOKEN') && ++reads === 2, {
      status: 200,
      body: { key: 'SONAR_TOKEN', value: VALUE2, masked: true, protected: false },
    });
    const error = await failure(clientOf(projectTarget(server), GL).client.deliver(VALUE), 'server-error');
    expect(error.message).toContain('holds another value afterwards');
  });
});
