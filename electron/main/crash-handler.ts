/**
 * The main process's last resort (GitHub Desktop keeps one in main-process/ too): an error nothing
 * caught still keeps the clipboard promise. It logs the error's name (never its message, which may
 * quote anything), clears a value still waiting on the clipboard, tells the user, and relaunches or
 * quits as they choose: a main process in an unknown state does not carry on.
 */
import type { App, Dialog } from 'electron';
import type { Logger } from '@core/ports';

export interface CrashParts {
  process: Pick<NodeJS.Process, 'on'>;
  app: Pick<App, 'isReady' | 'relaunch' | 'exit'>;
  dialog: Pick<Dialog, 'showMessageBox' | 'showErrorBox'>;
}

/** A clipboard that does not answer must not keep a crashed app alive. */
const FLUSH_TIMEOUT_MS = 3_000;

export const CRASH_TITLE = 'Token Vault for SonarQube stopped';
const CRASH_DETAIL =
  'An unexpected error stopped the vault. A token value waiting on the clipboard was cleared; ' +
  'your tokens are safe in the keychain.';

export function handleCrashes(
  { process, app, dialog }: CrashParts,
  flushClipboard: () => Promise<void>,
  log: Logger,
): void {
  let handling = false;
  const crashed = (kind: string) => (error: unknown) => {
    log.error('main process error not caught', { kind, error: errorName(error) });
    if (handling) return; // a second failure while handling the first: the first decides
    handling = true;
    void recover().catch(() => app.exit(1));
  };

  async function recover(): Promise<void> {
    await Promise.race([
      flushClipboard().catch(() => log.warn('clipboard clear after a crash failed')),
      new Promise((done) => setTimeout(done, FLUSH_TIMEOUT_MS)),
    ]);
    // Before `ready` there is no window to ask from: say it and quit (a relaunch could loop).
    if (!app.isReady()) {
      dialog.showErrorBox(CRASH_TITLE, CRASH_DETAIL);
      return app.exit(1);
    }
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: CRASH_TITLE,
      message: CRASH_TITLE,
      detail: CRASH_DETAIL,
      buttons: ['Relaunch', 'Quit'],
      defaultId: 0,
      cancelId: 1,
    });
    if (response === 0) app.relaunch();
    app.exit(response === 0 ? 0 : 1);
  }

  process.on('uncaughtException', crashed('uncaughtException'));
  process.on('unhandledRejection', crashed('unhandledRejection'));
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);
