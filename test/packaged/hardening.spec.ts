/**
 * The packaged main process defends its window: IPC answers only the main frame of its own page,
 * navigation and new windows are refused, webviews cannot attach.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openAccount } from '../e2e/fixtures';
import { addServerAccount, expect, invokeFromPage, test } from './fixtures';

const REFUSED = { ok: false, error: { code: 'invalid-input', message: 'Refused: not the vault window.' } };

/** Someone else's page, with a sub-frame of its own (served on 127.0.0.1). */
async function foreignSite(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(request.url === '/frame' ? '<p>frame</p>' : '<iframe src="/frame"></iframe>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

test('IPC answers the main frame of the vault page only: not another page, not a sub-frame', async ({
  vault,
}) => {
  const page = await vault.window();
  const window = await vault.windowId();
  const call = (frame: { url: string; main: boolean }) =>
    vault.request({ op: 'invoke', window, frame, channel: 'vault:invoke', args: ['accounts.list', {}] });

  // The vault's own page, through the package's preload: answered.
  expect(await invokeFromPage(vault, 'accounts.list', {})).toEqual({ ok: true, value: [] });

  // The same window showing another site: its main frame and its sub-frame are refused.
  const site = await foreignSite();
  try {
    const foreign = await vault.openForeignPage(window, site.url);
    const fromForeign = await foreign.evaluate(() =>
      (globalThis as unknown as { vault: { invoke(c: string, p: unknown): Promise<unknown> } }).vault.invoke(
        'accounts.list',
        {},
      ),
    );
    expect(fromForeign).toEqual(REFUSED);
    const frame = foreign.frames().find((f) => f !== foreign.mainFrame())!;
    await frame.waitForLoadState();
    const fromFrame = await frame.evaluate(() =>
      (
        globalThis as unknown as { __electronDoubleInvoke(c: string, a: unknown[]): Promise<unknown> }
      ).__electronDoubleInvoke('vault:invoke', ['accounts.list', {}]),
    );
    expect(fromFrame).toEqual(REFUSED);
  } finally {
    site.server.close();
  }

  // A sub-frame showing the vault's own page is still not the main frame.
  const own = vault.appUrl(page.url());
  expect(own).toBe('app://vault/index.html');
  expect(await call({ url: own, main: false })).toEqual(REFUSED);
  expect(await call({ url: own, main: true })).toEqual({ ok: true, value: [] });
  expect(await vault.log()).toContain('IPC call from an untrusted sender refused');
});

test('the window does not navigate away, opens no window, attaches no webview', async ({ vault }) => {
  const page = await vault.window();
  const url = page.url();

  // Another site, and another page of the app's own origin (the relative link resolves to it).
  for (const [target, asked] of [
    ['https://example.com/', 'https://example.com/'],
    ['other.html', 'app://vault/other.html'],
  ] as const) {
    await page.evaluate(
      (to) => void ((globalThis as unknown as { location: { href: string } }).location.href = to),
      target,
    );
    const navigation = await vault.waitFor('harness.navigation', (r) => r.detail?.['url'] === asked);
    expect(navigation.detail).toMatchObject({ prevented: true });
  }
  await expect(page.getByRole('button', { name: 'Add account' })).toBeVisible();
  expect(page.url()).toBe(url);

  // window.open: never a window of the app; SonarQube's web pages go to the user's browser.
  const docs = 'https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/';
  for (const target of [docs, 'http://docs.sonarsource.com/', 'https://attacker.example/']) {
    await page.evaluate(
      (to) => void (globalThis as unknown as { open(u: string): unknown }).open(to),
      target,
    );
    const decided = await vault.waitFor('harness.windowOpen', (r) => r.detail?.['url'] === target);
    expect(decided.detail).toMatchObject({ action: 'deny' });
  }
  expect(vault.recorded('shell.openExternal').map((r) => r.detail?.['url'])).toEqual([docs]);
  expect(await vault.log()).toContain('"message":"link refused","scheme":"https"');
  await expect.poll(() => page.context().pages().length).toBe(1);

  expect(await vault.request({ op: 'attach-webview', window: await vault.windowId() })).toEqual({
    prevented: true,
  });
});

test('a second start brings the running vault forward; a second instance quits at once', async ({
  vault,
}) => {
  await vault.window();
  const shown = vault.recorded('window.show').length;
  await vault.request({ op: 'second-instance' });
  await expect.poll(() => vault.recorded('window.show').length).toBe(shown + 1);
});

test.describe('when another instance holds the lock', () => {
  test.use({ boot: { singleInstanceLock: false } });

  test('the second instance opens nothing and quits', async ({ vault }) => {
    expect(await vault.exited).toBe(0);
    expect(vault.recorded('window.create')).toEqual([]);
    expect(vault.recorded('tray.create')).toEqual([]);
  });
});

test.describe('with a tray to close to', () => {
  test.use({ boot: { trayHost: true } });

  test('a value shown once leaves the page when the window is closed to the tray', async ({
    vault,
    sonar,
  }) => {
    const page = await vault.window();
    await addServerAccount(vault, sonar);
    await openAccount(page, 'ACME SonarQube');
    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.getByLabel('Name').fill('closed-to-tray');
    await dialog.getByRole('button', { name: 'Generate' }).click();
    const once = page.getByRole('dialog', { name: 'Copy your new token now' });
    const value = await once.getByLabel('New token value').inputValue();

    expect(await vault.request({ op: 'close-window', window: await vault.windowId() })).toBe(false);
    await vault.waitFor('window.hide');
    await expect(once).toBeHidden();
    expect(await page.content()).not.toContain(value);
  });
});
