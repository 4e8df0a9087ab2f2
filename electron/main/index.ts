/** The Electron edge: lifecycle, the window and the wiring of the core to Electron's services. */
import { join } from 'node:path';
import { app, net, session, type BrowserWindow } from 'electron';
import { createCore } from '../core/create-core';
import { createFileLogger } from '../core/file-logger';
import { systemClock } from '../core/ports';
import { KeytarSecretStore } from '../core/secrets/keytar-store';
import { wireIpc } from './ipc';
import { electronClipboard } from './services';
import { appUrl, createMainWindow, lockDown } from './window';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  const dataDir = process.env['VAULT_DATA_DIR'] ?? app.getPath('userData');
  const log = createFileLogger(join(dataDir, 'logs'));
  const core = createCore({
    dataDir,
    secrets: new KeytarSecretStore(),
    clipboard: electronClipboard,
    // Electron's net: the system proxy and the OS certificate store, like the user's browser.
    fetch: (input, init) => net.fetch(input, init),
    clock: systemClock,
    log,
  });

  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow();
      window.on('closed', () => (window = null));
    } else {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  };

  app.on('second-instance', showWindow);
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  // A pending clipboard clear runs before the app goes, so a copied value does not outlive it.
  let clipboardFlushed = false;
  app.on('before-quit', (event) => {
    if (clipboardFlushed) return;
    event.preventDefault();
    void core.clipboard.flush().finally(() => {
      clipboardFlushed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', showWindow);

  void app.whenReady().then(() => {
    // The renderer needs no device, sensor or notification permission from the web platform.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, grant) => grant(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    wireIpc(core, () => window, appUrl, log);
    showWindow();
    log.info('started', { version: app.getVersion() });
  });
}
