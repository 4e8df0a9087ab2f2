/**
 * What each desktop needs beyond the common path: Windows' app identity for toasts, macOS' menu-bar
 * only mode, and Linux desktops that have no tray at all. Electron's parts are injected (types only
 * imported), so these run against the Electron double and recording stand-ins.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { App } from 'electron';

/** electron-builder.yml's appId (a test keeps them equal). */
export const APP_ID = 'io.github.token-vault.sonarqube';

/**
 * Windows shows a toast only for an app whose AppUserModelID matches its Start menu shortcut, which
 * the installer creates with the appId: without this, the installed vault's notifications vanish.
 */
export function identifyApp(app: Pick<App, 'setAppUserModelId'>, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
}

/** macOS: "menu bar only" hides the Dock icon; the vault then lives in the menu bar. */
export function dockSync(app: Pick<App, 'dock'>): (menuBarOnly: boolean) => void {
  let applied: boolean | null = null;
  return (menuBarOnly) => {
    if (!app.dock || menuBarOnly === applied) return;
    applied = menuBarOnly;
    if (menuBarOnly) app.dock.hide();
    else void app.dock.show();
  };
}

/** Runs a program and answers its standard output (rejects on failure or timeout). */
export type Run = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>;

export const runProgram: Run = async (file, args, timeoutMs) =>
  (await promisify(execFile)(file, [...args], { timeout: timeoutMs, windowsHide: true })).stdout;

/**
 * Whether a tray icon will be seen. Linux trays are StatusNotifierItems, shown only where a
 * StatusNotifierWatcher owns its D-Bus name (KDE, most desktops; GNOME only with an AppIndicator
 * extension). When the question cannot be asked (no dbus-send), the answer is yes: hiding to the
 * tray stays the behaviour, and starting the vault again still brings its window back.
 */
export async function hasTrayHost(platform: NodeJS.Platform, run: Run = runProgram): Promise<boolean> {
  if (platform !== 'linux') return true;
  try {
    const answer = await run(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.kde.StatusNotifierWatcher',
      ],
      2_000,
    );
    return /boolean true/.test(answer);
  } catch {
    return true;
  }
}
