/**
 * The main process's small decisions, with recording stand-ins of Electron's parts: what closing
 * the window does, when a dead renderer is reloaded, whether a tray is seen, the Dock, Windows'
 * app identity, and the crash handler's edge cases (the journey through them runs on the packaged
 * app in test/packaged/).
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '@core/ports';
import { CRASH_TITLE, handleCrashes, type CrashParts } from '../../electron/main/crash-handler';
import { closeAction, rendererRecovery } from '../../electron/main/lifecycle';
import { APP_ID, dockSync, hasTrayHost, identifyApp, type Run } from '../../electron/main/platform';

const logged: string[] = [];
const log: Logger = {
  info: (m) => void logged.push(m),
  warn: (m) => void logged.push(m),
  error: (m, f) => void logged.push(`${m} ${JSON.stringify(f)}`),
};
afterEach(() => {
  logged.length = 0;
  vi.useRealTimers();
});

describe('closing the window', () => {
  it.each([
    [{ quitting: true, keepRunning: true, trayShown: true }, 'close'],
    [{ quitting: false, keepRunning: false, trayShown: true }, 'close'],
    [{ quitting: false, keepRunning: true, trayShown: true }, 'hide'],
    [{ quitting: false, keepRunning: true, trayShown: false }, 'minimize'],
  ] as const)('%o -> %s', (state, action) => expect(closeAction(state)).toBe(action));
});

describe('a renderer that is gone', () => {
  it('is reloaded, but not in a loop, and not after a clean exit', () => {
    let now = 0;
    const recover = rendererRecovery(log, () => now, 3, 60_000);
    const contents = { reload: vi.fn() };
    recover(contents, { reason: 'clean-exit', exitCode: 0 });
    expect(contents.reload).not.toHaveBeenCalled();
    for (let i = 0; i < 5; i++) recover(contents, { reason: 'crashed', exitCode: 1 });
    expect(contents.reload).toHaveBeenCalledTimes(3);
    expect(logged).toContain('renderer keeps failing: not reloading {"reason":"crashed"}');
    now = 61_000; // a minute later it may try again
    recover(contents, { reason: 'oom', exitCode: 1 });
    expect(contents.reload).toHaveBeenCalledTimes(4);
  });
});

describe('the tray host', () => {
  const answering = (stdout: string | Error): Run & { calls: string[][] } => {
    const calls: string[][] = [];
    return Object.assign(
      (file: string, args: readonly string[]) => {
        calls.push([file, ...args]);
        return stdout instanceof Error ? Promise.reject(stdout) : Promise.resolve(stdout);
      },
      { calls },
    );
  };

  it('is asked of D-Bus on Linux: a StatusNotifierWatcher owns its name, or not', async () => {
    const yes = answering('method return time=1 sender=org.freedesktop.DBus\n   boolean true\n');
    expect(await hasTrayHost('linux', yes)).toBe(true);
    expect(yes.calls[0]).toContain('string:org.kde.StatusNotifierWatcher');
    expect(await hasTrayHost('linux', answering('   boolean false\n'))).toBe(false);
  });

  it('is assumed where it cannot be asked, and on macOS and Windows', async () => {
    expect(await hasTrayHost('linux', answering(new Error('spawn dbus-send ENOENT')))).toBe(true);
    const never = answering('   boolean false\n');
    expect(await hasTrayHost('darwin', never)).toBe(true);
    expect(await hasTrayHost('win32', never)).toBe(true);
    expect(never.calls).toEqual([]);
  });
});

describe('platform identity', () => {
  it('Windows gets the appId as AppUserModelID; others nothing', () => {
    const app = { setAppUserModelId: vi.fn() };
    identifyApp(app, 'linux');
    identifyApp(app, 'darwin');
    expect(app.setAppUserModelId).not.toHaveBeenCalled();
    identifyApp(app, 'win32');
    expect(app.setAppUserModelId).toHaveBeenCalledWith(APP_ID);
  });

  it('the Dock is hidden and shown only when the setting changes, and only on macOS', () => {
    const dock = { hide: vi.fn(), show: vi.fn(() => Promise.resolve()) };
    const apply = dockSync({ dock } as unknown as Parameters<typeof dockSync>[0]);
    apply(false);
    apply(true);
    apply(true);
    apply(false);
    expect(dock.hide).toHaveBeenCalledTimes(1);
    expect(dock.show).toHaveBeenCalledTimes(2);
    expect(() => dockSync({ dock: undefined })(true)).not.toThrow();
  });
});

describe('the crash handler', () => {
  function parts(ready: boolean, response = 1) {
    const process = new EventEmitter();
    const app = { isReady: () => ready, relaunch: vi.fn(), exit: vi.fn() };
    const dialog = {
      showMessageBox: vi.fn(() => Promise.resolve({ response, checkboxChecked: false })),
      showErrorBox: vi.fn(),
    };
    return { process, app, dialog, crashParts: { process, app, dialog } as unknown as CrashParts };
  }

  it('before the app is ready: clipboard cleared, an error box, quit (a relaunch could loop)', async () => {
    const { process, app, dialog, crashParts } = parts(false);
    const flush = vi.fn(() => Promise.resolve());
    handleCrashes(crashParts, flush, log);
    process.emit('uncaughtException', new SyntaxError('at start'));
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(flush).toHaveBeenCalledOnce();
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      CRASH_TITLE,
      expect.stringContaining('clipboard was cleared'),
    );
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(app.relaunch).not.toHaveBeenCalled();
  });

  it('a clipboard that never answers does not keep the crashed app alive', async () => {
    vi.useFakeTimers();
    const { process, app, crashParts } = parts(true, 0);
    handleCrashes(crashParts, () => new Promise(() => undefined), log);
    process.emit('unhandledRejection', new Error('x'));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(app.relaunch).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledWith(0);
  });

  it('a second failure while handling the first is logged, not handled twice', async () => {
    const { process, app, dialog, crashParts } = parts(true);
    handleCrashes(crashParts, () => Promise.resolve(), log);
    process.emit('uncaughtException', new TypeError('first'));
    process.emit('unhandledRejection', 'a string');
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(dialog.showMessageBox).toHaveBeenCalledOnce();
    expect(logged).toEqual([
      'main process error not caught {"kind":"uncaughtException","error":"TypeError"}',
      'main process error not caught {"kind":"unhandledRejection","error":"string"}',
    ]);
  });
});
