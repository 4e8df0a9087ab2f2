/** The app's life around its one window: shown on demand, hidden to the tray, quitting cleanly. */
import type { App, BrowserWindow } from 'electron';
import type { Logger } from '../core/ports';

export interface WindowKeeper {
  current(): BrowserWindow | null;
  /** Creates the window, or brings the existing one back (from the tray, minimized, behind). */
  show(): void;
}

/** `hideOnClose` is asked at each close: true keeps the app in the tray with the window hidden. */
export function keepWindow(create: () => BrowserWindow, hideOnClose: () => boolean): WindowKeeper {
  let window: BrowserWindow | null = null;
  return {
    current: () => window,
    show() {
      if (window && !window.isDestroyed()) {
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
        return;
      }
      const created = create();
      created.on('close', (event) => {
        if (!hideOnClose()) return;
        event.preventDefault();
        created.hide();
      });
      created.on('closed', () => (window = null));
      window = created;
    },
  };
}

/**
 * Before the app goes: it is marked quitting (so the window really closes rather than hiding) and
 * a pending clipboard clear runs first, so a copied value does not outlive the app.
 */
export function guardQuit(
  app: App,
  flushClipboard: () => Promise<void>,
  log: Logger,
): { quitting(): boolean } {
  let quitting = false;
  let flushed = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (flushed) return;
    event.preventDefault();
    void flushClipboard()
      .catch(() => log.warn('clipboard clear before quit failed'))
      .finally(() => {
        flushed = true;
        app.quit();
      });
  });
  return { quitting: () => quitting };
}

/** Applies "launch at login" when it changes (the OS setting is a registry or plist write). */
export function loginItemSync(app: Pick<App, 'setLoginItemSettings'>): (openAtLogin: boolean) => void {
  let applied: boolean | null = null;
  return (openAtLogin) => {
    if (openAtLogin === applied) return;
    applied = openAtLogin;
    app.setLoginItemSettings({ openAtLogin });
  };
}
