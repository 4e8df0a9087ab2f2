/** The IPC transport of the contract: one invoke channel in, one event channel out. */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../channels';
import type { Core } from '@core/create-core';
import type { Logger } from '@core/ports';
import { isOwnPage } from './trust';

export function wireIpc(core: Core, window: () => BrowserWindow | null, appUrl: string, log: Logger): void {
  ipcMain.handle(INVOKE_CHANNEL, (event: IpcMainInvokeEvent, call: unknown, payload: unknown) => {
    if (!isTrustedSender(event, window(), appUrl)) {
      log.warn('IPC call from an untrusted sender refused');
      return { ok: false, error: { code: 'invalid-input', message: 'Refused: not the vault window.' } };
    }
    return core.dispatch(String(call), payload);
  });
  core.events.subscribe((event, payload) => {
    const target = window();
    if (target && !target.isDestroyed()) target.webContents.send(EVENT_CHANNEL, event, payload);
  });
}

function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null, appUrl: string): boolean {
  const frame = event.senderFrame;
  return (
    window !== null &&
    event.sender === window.webContents &&
    frame !== null &&
    frame === window.webContents.mainFrame &&
    isOwnPage(frame.url, appUrl)
  );
}
