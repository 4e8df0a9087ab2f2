/**
 * What a person installs, started and used: the package's own main bundle, preload and page, on
 * the Electron double (Node) with its window in Chromium. One journey from start to quit.
 */
import { join } from 'node:path';
import { generateThroughUi, openAccount } from '../e2e/fixtures';
import { addServerAccount, expect, invokeFromPage, test } from './fixtures';

test.use({ boot: { trayHost: true } });

test('start, add an account, generate, copy from the tray, a notification, close to the tray, quit', async ({
  vault,
  sonar,
}) => {
  // Start: hardened before anything is shown.
  const page = await vault.window();
  await expect(page).toHaveTitle('Token Vault for SonarQube');
  expect(vault.recorded('app.enableSandbox')).toEqual([
    expect.objectContaining({ detail: { beforeReady: true } }),
  ]);
  expect(vault.recorded('app.requestSingleInstanceLock')).toHaveLength(1);
  expect(vault.recorded('session.setPermissionRequestHandler')).toHaveLength(1);
  expect(await vault.request({ op: 'permission-request', permission: 'notifications' })).toBe(false);
  expect(await vault.request({ op: 'permission-check', permission: 'clipboard-read' })).toBe(false);
  const created = vault.recorded('window.create')[0]!.detail!;
  expect(created['preload']).toBe(join(vault.appPath, 'out/preload/index.cjs'));
  expect(created['webPreferences']).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
    navigateOnDragDrop: false,
    disableBlinkFeatures: 'Auxclick', // a middle click opens no window past the handler
    devTools: false, // a packaged app
  });
  expect(
    await page.evaluate(() => Object.keys((globalThis as unknown as { vault: object }).vault).sort()),
  ).toEqual(['invoke', 'on']);
  await expect(page.getByText('No accounts yet.')).toBeVisible();
  expect(vault.tray().image).toMatchObject({ empty: false });

  // An account, through the window and the real core, against the test server.
  await addServerAccount(vault, sonar);
  await openAccount(page, 'ACME SonarQube');
  await expect(page.getByRole('row').filter({ hasText: 'release-bot' })).toBeVisible();

  // The watcher saw two tokens due: one summary notification.
  const note = await vault.waitFor('notification.show');
  expect(note.detail).toMatchObject({ title: '2 SonarQube tokens need attention' });
  expect(note.detail!['body']).toContain('release-bot (ACME SonarQube) in 4');

  // Generate in the window; the tray offers it; Copy from the tray menu; cleared a second later.
  expect(await invokeFromPage(vault, 'settings.update', { clipboardClearMs: 1_000 })).toMatchObject({
    ok: true,
  });
  const value = await generateThroughUi(page, 'tray-copy');
  await expect
    .poll(() => vault.tray().items.map((i) => i.label))
    .toContainEqual(expect.stringMatching(/^Copy tray-copy/));
  await vault.clickMenu('Copy tray-copy');
  const write = await vault.waitFor('clipboard.write', (r) => r.detail?.['text'] === value);
  expect(write.detail!['formats']).toContain(
    'electron application/osclipboard;format="x-kde-passwordManagerHint"',
  );
  await vault.waitFor('clipboard.clear', undefined, { after: vault.records.indexOf(write) });
  expect(vault.clipboardText()).toBe('');

  // Closing the window keeps the vault in the tray; the notification's click brings it back.
  const window = await vault.windowId();
  expect(await vault.request({ op: 'close-window', window })).toBe(false);
  const hidden = await vault.waitFor('window.hide');
  await vault.request({ op: 'notification-click', id: note.detail!['id'] as number });
  await vault.waitFor('window.show', undefined, { after: vault.records.indexOf(hidden) });

  // Quit from the tray: a value still on the clipboard is cleared before the process ends.
  await invokeFromPage(vault, 'settings.update', { clipboardClearMs: 600_000 });
  const beforeCopy = vault.records.length;
  await vault.clickMenu('Copy tray-copy');
  await vault.waitFor('clipboard.write', (r) => r.detail?.['text'] === value, { after: beforeCopy });
  await vault.clickMenu('Quit');
  expect(await vault.exited).toBe(0);
  const order = vault.records.map((r) => r.what);
  const lastWrite = order.lastIndexOf('clipboard.write');
  const cleared = order.lastIndexOf('clipboard.clear');
  expect(cleared).toBeGreaterThan(lastWrite);
  expect(cleared).toBeLessThan(order.indexOf('app.exit'));
  expect(order).toContain('tray.destroy');
  expect(vault.clipboardText()).toBe('');

  // Nothing of the value in the app's log.
  expect(await vault.log()).not.toContain(value);
});
