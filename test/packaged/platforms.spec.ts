/**
 * What each desktop needs, through the packaged main process on the double (which plays the OS the
 * test asks for): Windows' app identity, macOS' menu-bar-only mode, and a Linux desktop with no
 * tray host (these machines' D-Bus session has none).
 */
import { readFileSync } from 'node:fs';
import { APP_ID } from '../../electron/main/platform';
import { addServerAccount, expect, invokeFromPage, test } from './fixtures';

test.describe('Windows', () => {
  test.use({ boot: { platform: 'win32' } });

  test('the app identifies itself with the installer appId before anything is shown', async ({ vault }) => {
    await vault.window();
    const identified = vault.recorded('app.setAppUserModelId');
    expect(identified.map((r) => r.detail)).toEqual([{ id: APP_ID }]);
    expect(readFileSync('electron-builder.yml', 'utf8')).toMatch(new RegExp(`^appId: ${APP_ID}$`, 'm'));
    const order = vault.records.map((r) => r.what);
    expect(order.indexOf('app.setAppUserModelId')).toBeLessThan(order.indexOf('app.ready'));
  });
});

test.describe('macOS', () => {
  test.use({ boot: { platform: 'darwin' } });

  test('menu bar only: the Dock icon goes, closing the window keeps the vault in the menu bar', async ({
    vault,
  }) => {
    const page = await vault.window();
    expect(vault.tray().image).toMatchObject({ template: true, empty: false });
    expect(vault.recorded('app.setAppUserModelId')).toEqual([]);

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Keep running in the menu bar when the window is closed').uncheck();
    await settings.getByLabel('Menu bar only (no Dock icon)').check();
    await settings.getByRole('button', { name: 'Save' }).click();
    await vault.waitFor('app.dock.hide');

    expect(await vault.request({ op: 'close-window', window: await vault.windowId() })).toBe(false);
    await vault.waitFor('window.hide');

    expect(await invokeFromPage(vault, 'settings.update', { menuBarOnly: false })).toMatchObject({
      ok: true,
    });
    await vault.waitFor('app.dock.show');
  });
});

test.describe('Linux without a tray host', () => {
  test.skip(process.platform !== 'linux', 'the app asks the D-Bus session of a Linux desktop');
  test('closing minimizes (the vault stays reachable), and notifications still arrive', async ({
    vault,
    sonar,
  }) => {
    const page = await vault.window();
    await expect(page.getByRole('button', { name: 'Settings' })).toBeVisible();
    // The settings only macOS has are not offered.
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByLabel('Menu bar only (no Dock icon)')).toHaveCount(0);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await addServerAccount(vault, sonar);
    await vault.waitFor('notification.show');

    await expect.poll(() => vault.log()).toContain('no tray host');
    expect(await vault.request({ op: 'close-window', window: await vault.windowId() })).toBe(false);
    await vault.waitFor('window.minimize');
    expect(vault.recorded('window.hide')).toEqual([]);

    // Without "keep running", closing the window quits (the clipboard is cleared first).
    await invokeFromPage(vault, 'settings.update', { closeToTray: false });
    await vault.request({ op: 'close-window', window: await vault.windowId() }).catch(() => 'exited');
    expect(await vault.exited).toBe(0);
    const order = vault.records.map((r) => r.what);
    expect(order.slice(order.indexOf('window.closed'))).toEqual(
      expect.arrayContaining(['app.quit', 'tray.destroy', 'app.exit']),
    );
  });
});
