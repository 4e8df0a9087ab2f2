/**
 * The tray in the real Electron (skips, saying why, where the binary is absent). Electron cannot
 * list the trays an app made, so the test records what the app draws: it wraps Tray's setToolTip
 * and setContextMenu in the main process, then makes the app redraw by pausing notifications.
 */
import { expect, test, type ElectronApplication } from '@playwright/test';
import { electronBinary, launchVault, skipReason } from './electron-binary';

const binary = electronBinary();
const reason = skipReason(binary);
test.skip(reason !== null, reason ?? '');

interface TrayProbe {
  toolTip: string;
  labels: string[];
}

let app: ElectronApplication;
test.beforeEach(async () => {
  if ('path' in binary) app = await launchVault(binary.path);
});
test.afterEach(() => app?.close());

test('the tray shows the vault, its menu opens it, pauses and quits', async () => {
  const page = await app.firstWindow();
  await app.evaluate(({ Tray }) => {
    const probe: TrayProbe = { toolTip: '', labels: [] };
    Object.assign(globalThis, { trayProbe: probe });
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the tray as `this` below
    const { setToolTip, setContextMenu } = Tray.prototype;
    Tray.prototype.setToolTip = function (this: Electron.Tray, toolTip) {
      probe.toolTip = toolTip;
      setToolTip.call(this, toolTip);
    };
    Tray.prototype.setContextMenu = function (this: Electron.Tray, menu) {
      probe.labels = menu?.items.map((item) => item.label) ?? [];
      setContextMenu.call(this, menu);
    };
  });
  // Pausing changes the tray's model, so the app redraws it through the wrapped methods (and a
  // tray made only now is drawn through them too).
  await page.evaluate(() =>
    (globalThis as unknown as { vault: { invoke(c: string, p: unknown): Promise<unknown> } }).vault.invoke(
      'settings.update',
      { notificationsPausedUntil: Date.now() + 3_600_000 },
    ),
  );
  const probe = () => app.evaluate(() => (globalThis as unknown as { trayProbe: TrayProbe }).trayProbe);
  await expect.poll(async () => (await probe()).labels).toContain('Resume notifications');
  const { toolTip, labels } = await probe();
  expect(toolTip.split('\n')[0]).toBe('Token Vault for SonarQube');
  expect(labels).toEqual(expect.arrayContaining(['No token expires soon', 'Open vault', 'Quit']));
});
