/**
 * Browser sign-in's loopback end, spoken to as SonarQube's page and as everyone else would: only
 * the SonarQube's origin is answered, one token is taken, checked with the server before anything
 * is kept, and the port is closed when the sign-in ends however it ends.
 */
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenForToken } from '@core/sign-in/loopback';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

let server: TestServer;
let old: TestServer;
let vault: CoreFixture;
let opened: string[];

beforeAll(async () => {
  server = await startSonarQubeServer({
    flavour: 'server',
    users: [{ login: 'grace', name: 'Grace Hopper' }],
    browserUser: 'grace',
  });
  old = await startSonarQubeServer({ flavour: 'server', version: '9.6.1.59531', users: [] });
});
afterAll(() => Promise.all([server.close(), old.close()]));
afterEach(() => vault?.core.stop());

async function start() {
  opened = [];
  vault = await coreFixture({ openBrowser: (url) => Promise.resolve(void opened.push(url)) });
  const started = await vault.call('accounts.signIn', { kind: 'server', baseUrl: server.url });
  const port = Number(new URL(started.url).searchParams.get('port'));
  return { ...started, port, local: `http://127.0.0.1:${port}` };
}

const origin = () => new URL(server.url).origin;

/** A POST naming another Host (fetch will not set that header). */
function statusWithHost(local: string, host: string, body: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const sent = request(
      `${local}/sonarlint/api/token`,
      { method: 'POST', headers: { Host: host, Origin: origin() } },
      (answer) => {
        answer.resume();
        resolve(answer.statusCode);
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}
const token = (name: string) => server.addToken('grace', { name, createdAt: new Date() });

describe('browser sign-in', () => {
  it('opens SonarQube’s sign-in page and answers it, and only it', async () => {
    const { url, port, local } = await start();
    expect(opened).toEqual([url]);
    expect(url).toBe(`${server.url}/sonarlint/auth?ideName=Token%20Vault%20for%20SonarQube&port=${port}`);
    expect(port).toBeGreaterThanOrEqual(64120);
    expect(port).toBeLessThanOrEqual(64130);

    const status = await fetch(`${local}/sonarlint/api/status`, { headers: { Origin: origin() } });
    expect(status.headers.get('access-control-allow-origin')).toBe(origin());
    expect(await status.json()).toMatchObject({ ideName: 'Token Vault for SonarQube', needsToken: true });
    const elsewhere = await fetch(`${local}/sonarlint/api/status`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = await fetch(`${local}/sonarlint/api/token`, {
      method: 'OPTIONS',
      headers: { Origin: origin(), 'Access-Control-Request-Private-Network': 'true' },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      'access-control-allow-origin': origin(),
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-private-network': 'true',
    });
    const foreignPreflight = await fetch(`${local}/sonarlint/api/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreignPreflight.status).toBe(403);
  });

  it('takes one token, from the SonarQube only, checks it, and the account is added with it', async () => {
    const { signInId, local } = await start();
    const waiting = vault.call('accounts.signInResult', { signInId });
    const value = token('from-the-browser');
    const post = (headers: Record<string, string>) =>
      fetch(`${local}/sonarlint/api/token`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ token: value }),
      });

    expect((await post({ Origin: 'https://evil.example' })).status).toBe(403); // another page
    expect((await post({})).status).toBe(403); // a local program, no Origin
    // DNS rebinding: a page of another site resolved to 127.0.0.1 still names its own host.
    expect(await statusWithHost(local, 'attacker.example', JSON.stringify({ token: value }))).toBe(421);

    const accepted = await post({ Origin: origin(), 'Content-Type': 'text/plain' });
    expect(accepted.status).toBe(200);
    expect(await waiting).toEqual({ login: 'grace', userName: 'Grace Hopper', organizations: null });
    await expect(post({ Origin: origin() })).rejects.toThrow(); // the door is closed

    const account = await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, signInId });
    expect(account.login).toBe('grace');
    expect(await vault.secrets.get(`account/${account.id}/credential`)).toBe(value);
    // Once: the same sign-in cannot add a second account.
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: server.url, signInId }),
    ).rejects.toThrow('browser sign-in is over');
    expect(await vault.everythingOnDisk()).not.toContain(value);
  });

  it('a sign-in adds an account on its own server only', async () => {
    const { signInId, local } = await start();
    const waiting = vault.call('accounts.signInResult', { signInId });
    await fetch(`${local}/sonarlint/api/token`, {
      method: 'POST',
      headers: { Origin: origin() },
      body: JSON.stringify({ token: token('for-this-server') }),
    });
    await waiting;
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: `${server.url}/elsewhere`, signInId }),
    ).rejects.toThrow('That browser sign-in was for another server');
    expect(await vault.call('accounts.list', {})).toEqual([]);
  });

  it('a token that does not sign in is refused, and nothing is kept', async () => {
    const { signInId, local } = await start();
    const waiting = vault.call('accounts.signInResult', { signInId });
    await fetch(`${local}/sonarlint/api/token`, {
      method: 'POST',
      headers: { Origin: origin() },
      body: JSON.stringify({ token: `squ_${'0'.repeat(40)}` }),
    });
    await expect(waiting).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: server.url, signInId }),
    ).rejects.toThrow();
  });

  it('ends after 5 minutes, or when cancelled, and stops listening', async () => {
    const first = await start();
    const result = vault.call('accounts.signInResult', { signInId: first.signInId }).then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    await vault.clock.advance(5 * 60_000);
    // Over when the 5 minutes are: a real second more is plenty, and a wait past it is a failure.
    const late = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000));
    expect(await Promise.race([result, late])).toBe('timeout');
    await expect(fetch(`${first.local}/sonarlint/api/status`)).rejects.toThrow();

    const second = await vault.call('accounts.signIn', { kind: 'server', baseUrl: server.url });
    const cancelled = vault.call('accounts.signInResult', { signInId: second.signInId });
    await vault.call('accounts.signInCancel', { signInId: second.signInId });
    await expect(cancelled).rejects.toThrow('cancelled');
  });

  it('a Server before 9.7 is told which version browser sign-in needs', async () => {
    vault = await coreFixture();
    await expect(vault.call('accounts.signIn', { kind: 'server', baseUrl: old.url })).rejects.toThrow(
      /Browser sign-in needs SonarQube Server 9\.7 or later; 127\.0\.0\.1:\d+ runs 9\.6\. Paste a token instead\./,
    );
  });

  it('every port of the range taken: said plainly', async () => {
    const taken = await listenForToken({
      origin: 'http://x',
      ideName: 'a',
      description: 'b',
      ports: { first: 64131, last: 64131 },
    });
    await expect(
      listenForToken({
        origin: 'http://x',
        ideName: 'a',
        description: 'b',
        ports: { first: 64131, last: 64131 },
      }),
    ).rejects.toThrow('Every port the sign-in may use (64131-64131 on this computer) is taken');
    taken.close();
  });
});
