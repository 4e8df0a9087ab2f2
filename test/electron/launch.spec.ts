/**
 * The real app in the real Electron. These run where the Electron binary is installed (a
 * developer laptop, a CI with internet); elsewhere they skip and say why.
 */
import { expect, test, type ElectronApplication } from '@playwright/test';
import { electronBinary, launchVault, skipReason } from './electron-binary';

const binary = electronBinary();
const reason = skipReason(binary);
test.skip(reason !== null, reason ?? '');

let app: ElectronApplication;
test.beforeEach(async () => {
  if ('path' in binary) app = await launchVault(binary.path);
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
