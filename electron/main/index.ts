/** The Electron edge: lifecycle, the window, the tray and the wiring of the core to Electron's services. */
import { join } from 'node:path';
import {
  app,
  clipboard,
  ClipboardItem,
  dialog,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  session,
  shell,
  Tray,
} from 'electron';
import type { EventName, TokenRef } from '@contract';
import { createCore, type Core } from '@core/create-core';
import { createFileLogger } from '@core/file-logger';
import { systemClock, type Logger, type Notifier } from '@core/ports';
import { KeytarSecretStore } from '@core/storage/keytar-store';
import { handleCrashes } from './crash-handler';
import { wireIpc } from './ipc';
import {
  closeAction,
  guardQuit,
  keepWindow,
  loginItemSync,
  rendererRecovery,
  type WindowKeeper,
} from './lifecycle';
import { dockSync, hasTrayHost, identifyApp } from './platform';
import { createElectronClipboard, createElectronNotifier } from './services';
import { createTray, type VaultTray } from './tray';
import { pageUrl, registerAppScheme, serveApp } from './app-protocol';
import { accountHosts, linkOpener } from './external-links';
import { createMainWindow, lockDown, RENDERER_DIR } from './window';

function startVault(): void {
  // Development overrides, never honoured by an installed app.
  const dataDir = (!app.isPackaged && process.env['VAULT_DATA_DIR']) || app.getPath('userData');
  const appUrl = pageUrl(app.isPackaged);
  const log = createFileLogger(join(dataDir, 'logs'));
  const notifier = createElectronNotifier({ Notification });
  let tray: VaultTray | null = null;
  const core = createCore({
    dataDir,
    secrets: new KeytarSecretStore(),
    clipboard: createElectronClipboard({ clipboard, ClipboardItem }, process.platform),
    notifier,
    // The core emits 'notification.clicked' itself (the renderer highlights the row).
    onNotificationClick: () => window.show(),
    onExpiryEvaluated: () => redrawTray(core, tray, log),
    // Electron's net: the system proxy and the OS certificate store, like the user's browser.
    fetch: (input, init) => net.fetch(input, init),
    clock: systemClock,
    log,
    // The core builds it from a checked account URL: the SonarQube's own sign-in page.
    openBrowser: (url) =>
      /^https?:\/\//.test(url) ? shell.openExternal(url) : Promise.reject(new Error('not a web page')), // eng-disable OPEN_EXTERNAL_JS_CHECK
  });
  handleCrashes({ process, app, dialog }, () => core.clipboard.flush(), log);
  identifyApp(app, process.platform);

  // Closing the window keeps the vault running when the user wants it (the tray, or the macOS
  // menu bar); whether a tray is seen at all is learnt once ready.
  const closing = { keepRunning: true, trayShown: true };
  const quit = guardQuit(app, () => core.clipboard.flush(), log);
  const window = keepWindow(
    () => {
      const created = createMainWindow(appUrl, app.isPackaged);
      // Values shown once or revealed do not outlive the window's being on screen.
      created.on('hide', () => core.windowHidden());
      created.on('minimize', () => core.windowHidden());
      return created;
    },
    () => closeAction({ quitting: quit.quitting(), ...closing }),
  );
  const applyLoginItem = loginItemSync(app);
  const applyDock = dockSync(app);
  const syncSettings = async () => {
    const current = (await core.store.load()).settings;
    closing.keepRunning = current.closeToTray || (app.dock !== undefined && current.menuBarOnly);
    applyLoginItem(current.launchAtLogin);
    applyDock(current.menuBarOnly);
  };

  const recoverRenderer = rendererRecovery(log);
  app.on('render-process-gone', (_event, contents, details) => recoverRenderer(contents, details));
  app.on('child-process-gone', (_event, { type, reason, exitCode }) =>
    log.warn('child process gone', { type, reason, exitCode }),
  );
  app.on('second-instance', () => window.show());
  // Links open in the browser for the accounts' hosts and the documentation only.
  let linkHosts: ReadonlySet<string> = new Set();
  const syncLinkHosts = async () => {
    linkHosts = accountHosts((await core.store.load()).accounts.map((a) => a.baseUrl));
  };
  const openLink = linkOpener(shell, () => linkHosts, log);
  app.on('web-contents-created', (_event, contents) => lockDown(contents, appUrl, openLink));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => window.show());
  app.on('will-quit', () => {
    core.stop();
    tray?.destroy();
  });
  core.events.subscribe((event) => {
    if (TRAY_EVENTS.has(event)) redrawTray(core, tray, log);
    if (event === 'settings.changed') void syncSettings().catch(logFailure(log, 'settings'));
    if (event === 'accounts.changed') void syncLinkHosts().catch(logFailure(log, 'links'));
  });

  void app.whenReady().then(async () => {
    // The renderer needs no device, sensor or notification permission from the web platform.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, grant) => grant(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    serveApp(protocol, RENDERER_DIR);
    await syncLinkHosts().catch(logFailure(log, 'links'));
    wireIpc(core, () => window.current(), appUrl, log);
    await syncSettings().catch(logFailure(log, 'settings'));
    void hasTrayHost(process.platform).then((shown) => {
      closing.trayShown = shown;
      if (!shown) log.info('no tray host: closing the window minimizes it');
    });
    window.show();
    // After sleep the planned wake is stale: evaluate now and plan afresh.
    powerMonitor.on('resume', () => void core.watcher.replan('resume'));
    void core.start().catch(logFailure(log, 'start'));
    tray = await openTray(core, window, notifier);
    redrawTray(core, tray, log); // whatever changed while it was being built
    log.info('started', { version: app.getVersion() });
  });
}

/** What changes the tray; the watcher's evaluations (time passing) redraw it too. */
const TRAY_EVENTS = new Set<EventName>(['tokens.changed', 'settings.changed', 'accounts.changed']);

function redrawTray(core: Core, tray: VaultTray | null, log: Logger): void {
  if (!tray) return;
  void core.trayModel().then((model) => tray.update(model), logFailure(log, 'tray'));
}

async function openTray(core: Core, window: WindowKeeper, notifier: Notifier): Promise<VaultTray> {
  const setPausedUntil = (until: number | null) =>
    void core.dispatch('settings.update', { notificationsPausedUntil: until });
  return createTray(
    { Tray, Menu, nativeImage },
    {
      model: await core.trayModel(),
      iconsDir: join(app.getAppPath(), 'assets'),
      platform: process.platform,
      onCopy: (ref) => void copyFromTray(core, ref, notifier),
      onOpen: () => window.show(),
      onRefresh: () => void core.dispatch('tokens.refreshAll', {}),
      onPause: () => setPausedUntil(Date.now() + 3_600_000),
      onResume: () => setPausedUntil(null),
      onQuit: () => app.quit(),
    },
  );
}

/** The menu has no other place to say a copy failed (value not held, keychain locked). */
async function copyFromTray(core: Core, ref: TokenRef, notifier: Notifier): Promise<void> {
  const answer = await core.dispatch('tokens.copy', { ...ref, via: 'tray' });
  if (!answer.ok) notifier.notify({ title: 'Could not copy the token', body: answer.error.message });
}

const logFailure = (log: Logger, step: string) => (error: unknown) =>
  log.error('main process step failed', { step, error: (error as Error)?.name ?? 'unknown' });

// Last, so every constant above is initialized before the app starts.
app.enableSandbox();
registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  startVault();
}
