/**
 * Answers are read with a cap (8 MB): a server that sends more, as a JSON answer or as an error
 * answer, is cut off and refused, without the client ever holding the whole body; one that sends
 * slowly is bounded by the request's timeout. Through Node's fetch and through the private-CA fetch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SonarQubeClient, type ClientOptions } from '@core/sonarqube/client';
import { fetchTrusting } from '@core/sonarqube/tls-fetch';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';
import { createPrivateCa } from '../support/tls';

const MB = 1024 * 1024;
const GRACE = 'squ_' + 'a'.repeat(40);
const SEARCH = '/api/user_tokens/search';
const TOO_LARGE =
  /^The answer of 127\.0\.0\.1:\d+ was over 8 MB: not an answer the vault expects from SonarQube\.$/;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(tls?: { key: string; cert: string }): Promise<TestServer> {
  const server = await startSonarQubeServer({
    flavour: 'server',
    users: [
      { login: 'grace', name: 'Grace', tokens: [{ name: 'laptop', value: GRACE, createdAt: new Date() }] },
    ],
    tls,
  });
  servers.push(server);
  return server;
}

function clientOf(server: TestServer, options: Partial<ClientOptions> = {}): SonarQubeClient {
  return new SonarQubeClient({
    baseUrl: server.url,
    fetch: (input, init) => fetch(input, init),
    token: GRACE,
    timeoutMs: 10_000,
    sleep: () => Promise.resolve(),
    ...options,
  });
}

const sentFor = (server: TestServer, path: string) =>
  server.requests.filter((r) => r.path === path).map((r) => r.bytesSent ?? 0);

describe('answer bodies are capped', () => {
  it('refuses a 100 MB JSON answer after reading a little over 8 MB, never the whole of it', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'huge', bytes: 100 * MB });
    const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    await expect(clientOf(server).searchTokens()).rejects.toMatchObject({
      code: 'not-sonarqube',
      message: expect.stringMatching(TOO_LARGE) as unknown,
    });
    const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    // The server streams only as fast as it is read: it stopped soon after the cap.
    const [sent = 0] = sentFor(server, SEARCH);
    expect(sent).toBeGreaterThan(8 * MB);
    expect(sent).toBeLessThan(24 * MB);
    // Nowhere near the 100 MB it offered (the chunks read up to the cap may still be in the heap).
    expect(heapAfter - heapBefore).toBeLessThan(40 * MB);
    // Not retried: the next call is served normally.
    expect((await clientOf(server).searchTokens()).tokens.map((t) => t.name)).toEqual(['laptop']);
  });

  it('refuses a huge error answer the same way (the server message is not read whole)', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'huge', bytes: 100 * MB, status: 400 });
    await expect(clientOf(server).searchTokens()).rejects.toMatchObject({
      code: 'not-sonarqube',
      message: expect.stringMatching(TOO_LARGE) as unknown,
    });
    expect(sentFor(server, SEARCH)[0]).toBeLessThan(24 * MB);
  });

  it('refuses at once an answer whose Content-Length is over the cap, reading none of it', async () => {
    const server = await start();
    server.fault('/api/server/version', { kind: 'huge', bytes: 100 * MB, declared: true });
    await expect(clientOf(server).version()).rejects.toMatchObject({
      message: expect.stringMatching(TOO_LARGE) as unknown,
    });
    expect(sentFor(server, '/api/server/version')[0]).toBeLessThan(16 * MB);
  });

  it('reads answers up to the cap; the cap is injectable and named in the refusal', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'huge', bytes: 64 * 1024, status: 403 });
    // 64 KB of error answer is read whole: it is the server's message.
    await expect(clientOf(server).searchTokens()).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/^x{1000}/) as unknown,
    });
    server.fault(SEARCH, { kind: 'huge', bytes: 64 * 1024 });
    await expect(clientOf(server, { maxBodyBytes: 32 * 1024 }).searchTokens()).rejects.toMatchObject({
      code: 'not-sonarqube',
      message: expect.stringMatching(
        /was over 32 KB: not an answer the vault expects from SonarQube\.$/,
      ) as unknown,
    });
  });

  it('a body that drips forever ends with the request timeout, not never', async () => {
    const server = await start();
    server.fault(SEARCH, { kind: 'drip', everyMs: 20 });
    const started = Date.now();
    await expect(clientOf(server, { timeoutMs: 300 }).searchTokens()).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('through the private-CA fetch too (node:https, streamed)', async () => {
    const ca = await createPrivateCa();
    const server = await start(ca.server);
    server.fault(SEARCH, { kind: 'huge', bytes: 100 * MB });
    await expect(clientOf(server, { fetch: fetchTrusting(ca.caPem) }).searchTokens()).rejects.toMatchObject({
      message: expect.stringMatching(/was over 8 MB/) as unknown,
    });
    const [sent = 0] = sentFor(server, SEARCH);
    expect(sent).toBeGreaterThan(8 * MB);
    expect(sent).toBeLessThan(24 * MB);
  });
});
