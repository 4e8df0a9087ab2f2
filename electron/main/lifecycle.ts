/** The app's life around its one window: shown on demand, hidden to the tray, quitting cleanly. */
import type { App, BrowserWindow } from 'electron';
import type { Logger } from '@core/ports';

export interface WindowKeeper {
  current(): BrowserWindow | null;
  /** Creates the window, or brings the existing one back (from the tray, minimized, behind). */
  show(): void;
}

/**
 * What closing the window does, asked at each close: 'hide' keeps the vault in the tray, 'minimize'
 * keeps it in the taskbar (where no tray is shown), 'close' closes it.
 */
export type CloseAction = 'hide' | 'minimize' | 'close';

export function keepWindow(create: () => BrowserWindow, onClose: () => CloseAction): WindowKeeper {
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
        const action = onClose();
        if (action === 'close') return;
        event.preventDefault();
        if (action === 'hide') created.hide();
        else created.minimize();
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

/**
 * Where closing the window leaves the vault: running in the tray (or the macOS menu bar) when the
 * user wants that and a tray is shown, in the taskbar when no tray would be seen (so the vault is
 * never running out of reach), else closed.
 */
export function closeAction(state: {
  quitting: boolean;
  keepRunning: boolean;
  trayShown: boolean;
}): CloseAction {
  if (state.quitting || !state.keepRunning) return 'close';
  return state.trayShown ? 'hide' : 'minimize';
}

/**
 * A renderer that crashed or was killed is reloaded, but not in a loop: after `limit` losses
 * within `windowMs`, the window is left as it is (and the log says why).
 */
export function rendererRecovery(
  log: Logger,
  now: () => number = Date.now,
  limit = 3,
  windowMs = 60_000,
): (contents: { reload(): void }, details: { reason: string; exitCode: number }) => void {
  let losses: number[] = [];
  return (contents, { reason, exitCode }) => {
    log.error('renderer process gone', { reason, exitCode });
    if (reason === 'clean-exit') return;
    const at = now();
    losses = [...losses.filter((t) => at - t < windowMs), at];
    if (losses.length > limit) return log.error('renderer keeps failing: not reloading', { reason });
    contents.reload();
  };
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
