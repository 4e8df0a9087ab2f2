/**
 * The real app in the real Electron. These run where the Electron binary is installed (a
 * developer laptop, a CI with internet); elsewhere they skip and say why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';

/**
 * Where the electron package put its binary. Not `require('electron')`: when the binary is
 * absent, that tries to download it.
 */
function electronBinary(): { path: string } | { missing: string } {
  const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(pkg, 'path.txt');
  const dist = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(pkg, 'dist');
  const path = existsSync(pathFile) ? join(dist, readFileSync(pathFile, 'utf8')) : null;
  return path && existsSync(path)
    ? { path }
    : { missing: `${pkg}/dist is absent: the install downloads it from GitHub, unreachable here` };
}

const binary = electronBinary();
test.skip('missing' in binary, `no Electron binary (${'missing' in binary ? binary.missing : ''})`);

let app: ElectronApplication;
test.beforeEach(async () => {
  if (!('path' in binary)) return;
  app = await electron.launch({
    executablePath: binary.path,
    args: ['out/main/index.js'],
    env: { ...process.env, VAULT_DATA_DIR: await mkdtemp(join(tmpdir(), 'vault-electron-')) },
  });
});
test.afterEach(() => app?.close());

test('the window is hardened: only window.vault, no Node', async () => {
  const page = await app.firstWindow();
  await expect(page).toHaveTitle('Token Vault for SonarQube');
  const exposed = await page.evaluate(() => ({
    vault: Object.keys((globalThis as unknown as { vault: object }).vault).sort(),
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
  }));
  expect(exposed).toEqual({ vault: ['invoke', 'on'], require: 'undefined', process: 'undefined' });
});

test('the renderer calls the core over IPC, and bad payloads are refused', async () => {
  const page = await app.firstWindow();
  const answers = await page.evaluate(async () => {
    const vault = (globalThis as unknown as { vault: { invoke(c: string, p: unknown): Promise<unknown> } })
      .vault;
    return [await vault.invoke('accounts.list', {}), await vault.invoke('tokens.copy', { accountId: 'x' })];
  });
  expect(answers[0]).toEqual({ ok: true, value: [] });
  expect(answers[1]).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
});

test('the window cannot navigate away or open new windows', async () => {
  const page = await app.firstWindow();
  const url = page.url();
  await page.evaluate(() => {
    const web = globalThis as unknown as { open(url: string): void; location: { href: string } };
    web.open('https://example.com');
    web.location.href = 'https://example.com';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(url);
  expect(app.windows()).toHaveLength(1);
});
