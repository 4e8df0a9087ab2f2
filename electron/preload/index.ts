/**
 * The preload: exposes the contract's transport as `window.vault`, and nothing else. The
 * renderer gets neither ipcRenderer nor any Node API; events carry only their payload.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Envelope, VaultTransport } from '@contract';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../channels';

const vault: VaultTransport = {
  invoke: (call, payload) => ipcRenderer.invoke(INVOKE_CHANNEL, call, payload) as Promise<Envelope<unknown>>,
  on(event, listener) {
    const forward = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
};

contextBridge.exposeInMainWorld('vault', vault);
