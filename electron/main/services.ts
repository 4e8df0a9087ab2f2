/**
 * Electron's implementations of the core's ports. Electron's parts are injected (index.ts passes
 * the real ones) and only their types are imported, so the unit tests run these in Node.
 */
import type { Clipboard, Notifier } from '@core/ports';

export interface NotificationHandle {
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'failed', listener: () => void): unknown;
  show(): void;
}

/** `{ Notification }` from 'electron', or a stand-in. */
export interface NotifierParts {
  Notification: {
    new (options: { title: string; body: string; silent?: boolean }): NotificationHandle;
    isSupported(): boolean;
  };
}

/** Shows the core's text as it is: the core never puts a token value in a notice. */
export function createElectronNotifier({ Notification }: NotifierParts): Notifier {
  // A notification nobody references may be collected while on screen, and its click then lost.
  const shown = new Set<NotificationHandle>();
  return {
    notify({ title, body, onClick }) {
      if (!Notification.isSupported()) return;
      const note = new Notification({ title, body, silent: false });
      shown.add(note);
      const release = () => shown.delete(note);
      note.on('click', () => {
        release();
        onClick?.();
      });
      note.on('close', release);
      note.on('failed', release);
      note.show();
    },
  };
}

export type ClipboardPayload = string | Blob;

/** `{ clipboard, ClipboardItem }` from 'electron' (45+: asynchronous), or stand-ins. */
export interface ClipboardParts<Item> {
  clipboard: {
    readText(): Promise<string>;
    writeText(text: string): Promise<void>;
    write(items: Item[]): Promise<void>;
    clear(): void;
  };
  ClipboardItem: new (items: Record<string, ClipboardPayload>) => Item;
}

export function createElectronClipboard<Item>(
  { clipboard, ClipboardItem }: ClipboardParts<Item>,
  platform: NodeJS.Platform,
): Clipboard {
  return {
    readText: () => clipboard.readText(),
    async writeText(text) {
      try {
        // One item, so the OS commits the text and its markers together (clipboard.write is atomic).
        await clipboard.write([
          new ClipboardItem({ 'text/plain': text, ...sensitiveClipboardFormats(platform) }),
        ]);
      } catch {
        // Copying must never break: a platform that refuses a marker still gets the text.
        await clipboard.writeText(text);
      }
    },
    clear: () => Promise.resolve(clipboard.clear()),
  };
}

/** Electron's MIME type for a raw, platform-specific clipboard format. */
export const osFormat = (name: string) => `electron application/osclipboard;format="${name}"`;

/**
 * The markers that ask clipboard managers and history not to keep a copied secret:
 * nspasteboard.org's types on macOS, Windows' history and cloud-sync opt-outs, KDE's password hint
 * (Klipper; other Linux managers follow it). The markers' presence is the signal, never the value.
 */
export function sensitiveClipboardFormats(platform: NodeJS.Platform): Record<string, ClipboardPayload> {
  switch (platform) {
    case 'darwin':
      // The content is ignored; a non-empty marker, so no layer drops the type as empty.
      return {
        [osFormat('org.nspasteboard.ConcealedType')]: MARKER,
        [osFormat('org.nspasteboard.TransientType')]: MARKER,
      };
    case 'win32':
      return {
        [osFormat('ExcludeClipboardContentFromMonitorProcessing')]: zeroDword(),
        [osFormat('CanIncludeInClipboardHistory')]: zeroDword(),
        [osFormat('CanUploadToCloudClipboard')]: zeroDword(),
      };
    default:
      // X11 and Wayland desktops (Linux, the BSDs).
      return { [osFormat('x-kde-passwordManagerHint')]: 'secret' };
  }
}

const MARKER = '1';
/** A DWORD 0: "no" for Windows' CanInclude… / CanUpload… formats. */
const zeroDword = () => new Blob([new Uint8Array(4)]);
