/**
 * Messages between the Electron double (inside the app's main process, a Node child process) and
 * the harness (the test's process, which shows the windows in Chromium and plays the user and the
 * OS). Everything crosses Node's IPC channel as JSON.
 */

/** How the harness sets the double up (env ELECTRON_DOUBLE, JSON). */
export interface DoubleConfig {
  /** The unpacked app folder: app.getAppPath(). */
  appPath: string;
  /** app.getPath('userData'). */
  userData: string;
  /** process.platform as the app sees it (default: the real one). */
  platform?: NodeJS.Platform;
  /** app.isPackaged (default true: this is the built package). */
  isPackaged?: boolean;
  /** What requestSingleInstanceLock answers (false: another instance runs). */
  singleInstanceLock?: boolean;
  /** The button the user picks in a message box (index; default the cancel button). */
  messageBoxResponse?: number;
}

/** Something the app did to Electron (and so to the OS), in the order it happened. */
export interface DoubleRecord {
  what: string;
  detail?: Record<string, unknown>;
  at: number;
}

/** A frame as Electron describes the sender of an IPC call. */
export interface FrameInfo {
  url: string;
  /** The window's main frame (false: a sub-frame). */
  main: boolean;
}

/** double -> harness */
export type Report =
  | { t: 'record'; record: DoubleRecord }
  | { t: 'reply'; rid: number; ok: true; value: unknown }
  | { t: 'reply'; rid: number; ok: false; error: string };

/** harness -> double: each is answered by one reply. */
export type Request =
  | { op: 'loaded'; window: number; url: string }
  | { op: 'protocol'; url: string }
  | { op: 'invoke'; window: number; frame: FrameInfo; channel: string; args: unknown[] }
  | { op: 'will-navigate'; window: number; url: string }
  | { op: 'window-open'; window: number; url: string }
  | { op: 'attach-webview'; window: number }
  | { op: 'permission-request'; permission: string }
  | { op: 'permission-check'; permission: string }
  | { op: 'tray-click' }
  | { op: 'menu-click'; label: string }
  | { op: 'notification-click'; id: number }
  | { op: 'close-window'; window: number }
  | { op: 'second-instance' }
  | { op: 'renderer-gone'; window: number; reason: string }
  | { op: 'child-gone'; type: string; reason: string }
  | { op: 'crash'; kind: 'exception' | 'rejection' }
  | { op: 'resume' }
  | { op: 'quit' };

export type Envelope = Request & { rid: number };

/** What the app's protocol handler answered (the body in base64: IPC carries JSON). */
export interface ProtocolAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const CONFIG_ENV = 'ELECTRON_DOUBLE';
