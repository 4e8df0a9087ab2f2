/**
 * The page's origin is the app's own: app://vault/, served from the package by the app's
 * protocol handler (nothing outside the renderer build), and no environment variable can move it
 * (or the data folder) in an installed app.
 */
import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProtocolAnswer } from '../support/electron-double/protocol';
import { expect, test } from './fixtures';

const overrides = () => ({
  ELECTRON_RENDERER_URL: 'https://attacker.example/vault.html',
  VAULT_DATA_DIR: mkdtempSync(join(tmpdir(), 'vault-override-')),
});

test('app://vault/ is a standard, secure scheme, registered before ready, serving the build only', async ({
  vault,
}) => {
  await vault.window();
  const registered = vault.recorded('protocol.registerSchemesAsPrivileged')[0]!.detail!;
  expect(registered).toEqual({
    beforeReady: true,
    schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
  });
  expect(vault.recorded('window.load')[0]!.detail).toMatchObject({ url: 'app://vault/index.html' });

  const get = (url: string) => vault.request({ op: 'protocol', url }) as Promise<ProtocolAnswer>;
  const page = await get('app://vault/index.html');
  expect(page.status).toBe(200);
  expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  expect(page.headers['x-content-type-options']).toBe('nosniff');

  // Out of the renderer build: the package's own files, the disk, another host.
  for (const url of [
    'app://vault/..%2f..%2fpackage.json',
    'app://vault/%2e%2e/%2e%2e/package.json',
    'app://vault/assets/..%5c..%5c..%5cpackage.json',
    'app://vault/..%2f..%2fmain%2findex.js',
    'app://vault/%2fetc%2fpasswd',
    'app://vault/x%00.html',
    'app://other/index.html',
  ]) {
    expect((await get(url)).status, url).toBe(404);
  }
});

for (const isPackaged of [true, false]) {
  test.describe(isPackaged ? 'an installed app' : 'a development run', () => {
    const env = overrides();
    test.use({ boot: { isPackaged, env } });

    test(`ELECTRON_RENDERER_URL and VAULT_DATA_DIR are ${isPackaged ? 'ignored' : 'honoured'}`, async ({
      vault,
    }) => {
      const load = await vault.waitFor('window.load');
      if (isPackaged) {
        expect(load.detail).toMatchObject({ url: 'app://vault/index.html' });
        await expect.poll(() => vault.log()).toContain('"message":"started"');
        expect(await readdir(env['VAULT_DATA_DIR'])).toEqual([]);
      } else {
        expect(load.detail).toMatchObject({ url: env['ELECTRON_RENDERER_URL'] });
        await expect.poll(async () => (await readdir(env['VAULT_DATA_DIR'])).length).toBeGreaterThan(0);
      }
    });
  });
}
