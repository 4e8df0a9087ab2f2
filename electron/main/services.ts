/** Electron's implementations of the core's ports. */
import { clipboard, Notification } from 'electron';
import type { Clipboard, Notifier } from '../core/ports';

export const electronClipboard: Clipboard = {
  readText: () => clipboard.readText(),
  writeText: (text) => clipboard.writeText(text),
  clear: () => Promise.resolve(clipboard.clear()),
};

export const electronNotifier: Notifier = {
  notify({ title, body, onClick }) {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title, body, silent: false });
    if (onClick) note.on('click', onClick);
    note.show();
  },
};
