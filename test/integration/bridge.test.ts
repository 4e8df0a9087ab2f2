/** The preview bridge is a local service holding secrets: only its own page may call it. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../support/bridge';
import { coreFixture } from '../support/core-fixture';

/** node:http, because fetch may not set Host or Origin as an attacker's page would. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('test/preview bridge', () => {
  let bridge: Bridge;
  let key: string;
  const invoke = (headers: Record<string, string>) =>
    raw(`${bridge.origin}/__bridge/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ call: 'accounts.list', payload: {} }),
    });

  beforeAll(async () => {
    const rendererDir = await mkdtemp(join(tmpdir(), 'vault-renderer-'));
    await mkdir(join(rendererDir, 'assets'));
    await writeFile(
      join(rendererDir, 'index.html'),
      '<html><head><script type="module" src="/assets/app.js"></script></head></html>',
    );
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'export {}');
    const { core } = await coreFixture();
    bridge = await startBridge(core, rendererDir);
    key = new URL(bridge.url).searchParams.get('k')!;
  });
  afterAll(() => bridge.close());

  it('listens on 127.0.0.1 only', () => {
    expect(new URL(bridge.origin).hostname).toBe('127.0.0.1');
  });

  it('answers its own page, with the key and its own Origin', async () => {
    const answer = await invoke({ Origin: bridge.origin, 'X-Vault-Key': key });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['no key', { Origin: 'self' }],
    ['a wrong key', { Origin: 'self', 'X-Vault-Key': 'guess' }],
    ['another site', { Origin: 'https://evil.example', 'X-Vault-Key': 'key' }],
    ['no Origin', { 'X-Vault-Key': 'key' }],
    ['a rebinding Host', { Origin: 'self', 'X-Vault-Key': 'key', Host: 'evil.example:80' }],
  ])('refuses a call with %s', async (_what, headers: Record<string, string>) => {
    const resolved = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v === 'self' ? bridge.origin : v === 'key' ? key : v]),
    );
    const answer = await invoke(resolved);
    expect([403, 421]).toContain(answer.status);
    expect(answer.body).not.toContain('"ok"');
  });

  it('serves the page only with the key, and injects its client before the app script', async () => {
    expect((await raw(`${bridge.origin}/`)).status).toBe(403);
    const page = await raw(bridge.url);
    expect(page.status).toBe(200);
    expect(page.body.indexOf('/__bridge/client.js')).toBeLessThan(page.body.indexOf('/assets/app.js'));
  });

  it('serves no file outside the renderer folder', async () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../package.json']) {
      expect((await raw(`${bridge.origin}${path}`)).status).toBe(404);
    }
    expect((await raw(`${bridge.origin}/assets/app.js`)).status).toBe(200);
  });

  it('event streams need the key too', async () => {
    expect((await raw(`${bridge.origin}/__bridge/events?k=nope`)).status).toBe(403);
  });
});
