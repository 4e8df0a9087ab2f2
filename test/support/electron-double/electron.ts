/**
 * The Electron double: what the packaged main bundle gets for `import … from 'electron'` when it
 * runs under plain Node (see register.mjs). Each part implements the members the app uses, typed
 * against Electron's own electron.d.ts, so a change in Electron's API fails the typecheck here.
 *
 * It plays the OS and the browser engine together with the harness (harness.ts, in the test's
 * process): every call the app makes is recorded and reported; windows are shown by the harness
 * in Chromium; the user's clicks (tray, menu, notifications, the window's close button) and the
 * page's IPC calls arrive as requests. No real Electron code runs: only the app's own.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Electron from 'electron';
import {
  CONFIG_ENV,
  type DoubleConfig,
  type Envelope,
  type ProtocolAnswer,
  type Report,
  type Request,
} from './protocol';

const config = JSON.parse(process.env[CONFIG_ENV] ?? 'null') as DoubleConfig | null;
if (!config || !process.send) throw new Error('The Electron double runs only under its harness.');
// The app reads process.platform for its per-OS paths: the harness may ask for another OS.
if (config.platform) Object.defineProperty(process, 'platform', { value: config.platform });

const report = (message: Report) => void process.send?.(message);
const record = (what: string, detail?: Record<string, unknown>) =>
  report({ t: 'record', record: { what, detail, at: Date.now() } });

/** An Electron event the app may cancel. */
function preventable<T extends object>(
  fields: T = {} as T,
): T & { preventDefault(): void; defaultPrevented: boolean } {
  let prevented = false;
  return Object.defineProperties(fields, {
    preventDefault: { value: () => void (prevented = true) },
    defaultPrevented: { get: () => prevented },
  }) as T & { preventDefault(): void; defaultPrevented: boolean };
}

/** Electron's emitters take listeners of many shapes; Node's EventEmitter accepts any of them. */
type Listener = (...args: never[]) => unknown;
class Emitter extends EventEmitter {
  override on(event: string, listener: Listener): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  override once(event: string, listener: Listener): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }
}

// ---------------------------------------------------------------------------------------------
// app

type AppMembers =
  | 'enableSandbox'
  | 'requestSingleInstanceLock'
  | 'whenReady'
  | 'isReady'
  | 'quit'
  | 'exit'
  | 'relaunch'
  | 'getPath'
  | 'getAppPath'
  | 'getVersion'
  | 'isPackaged'
  | 'setLoginItemSettings'
  | 'setAppUserModelId'
  | 'dock';

class AppDouble extends Emitter implements Pick<Electron.App, AppMembers> {
  readonly isPackaged = config!.isPackaged ?? true;
  readonly dock: Electron.Dock | undefined =
    process.platform === 'darwin' ? (new DockDouble() as unknown as Electron.Dock) : undefined;
  private ready = false;
  private readonly readyPromise: Promise<void>;

  constructor() {
    super();
    // Ready after the app's module has run its first turn, as in Electron.
    this.readyPromise = new Promise((resolve) =>
      setImmediate(() => {
        this.ready = true;
        record('app.ready');
        this.emit('ready');
        resolve();
      }),
    );
  }

  enableSandbox(): void {
    record('app.enableSandbox', { beforeReady: !this.ready });
  }
  requestSingleInstanceLock(): boolean {
    const granted = config!.singleInstanceLock ?? true;
    record('app.requestSingleInstanceLock', { granted });
    return granted;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    if (name !== 'userData') throw new Error(`The double has no path for ${name}`);
    return config!.userData;
  }
  getAppPath(): string {
    return config!.appPath;
  }
  getVersion(): string {
    return (JSON.parse(readFileSync(join(config!.appPath, 'package.json'), 'utf8')) as { version: string })
      .version;
  }
  setLoginItemSettings(settings: Electron.Settings): void {
    record('app.setLoginItemSettings', { openAtLogin: settings.openAtLogin ?? false });
  }
  setAppUserModelId(id: string): void {
    record('app.setAppUserModelId', { id });
  }
  relaunch(): void {
    record('app.relaunch');
  }

  /** Electron's order: before-quit, every window closed (any may refuse), will-quit, quit. */
  quit(): void {
    record('app.quit');
    const beforeQuit = preventable();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return record('app.before-quit prevented');
    for (const window of [...windows.values()]) {
      if (!window.closeByUser(true)) return record('app.quit cancelled by a window');
    }
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return record('app.will-quit prevented');
    this.emit('quit', preventable(), 0);
    this.exit(0);
  }

  exit(code = 0): void {
    record('app.exit', { code });
    // The report must reach the harness before the process goes.
    process.send?.({ t: 'record', record: { what: 'process.exit', detail: { code }, at: Date.now() } }, () =>
      process.exit(code),
    );
  }
}

class DockDouble implements Pick<Electron.Dock, 'hide' | 'show' | 'isVisible'> {
  private visible = true;
  hide(): void {
    this.visible = false;
    record('app.dock.hide');
  }
  show(): Promise<void> {
    this.visible = true;
    record('app.dock.show');
    return Promise.resolve();
  }
  isVisible(): boolean {
    return this.visible;
  }
}

export const app = new AppDouble();

// ---------------------------------------------------------------------------------------------
// Windows and their web contents

const windows = new Map<number, BrowserWindowDouble>();
let nextWindowId = 1;

class WebFrameMainDouble implements Pick<Electron.WebFrameMain, 'url'> {
  constructor(public url: string) {}
}

type WebContentsMembers =
  'id' | 'send' | 'reload' | 'isDestroyed' | 'mainFrame' | 'setWindowOpenHandler' | 'getURL';

class WebContentsDouble extends Emitter implements Pick<Electron.WebContents, WebContentsMembers> {
  readonly mainFrame: Electron.WebFrameMain = new WebFrameMainDouble('') as unknown as Electron.WebFrameMain;
  windowOpenHandler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | null = null;
  destroyed = false;

  constructor(readonly id: number) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    record('webContents.send', { window: this.id, channel, args });
  }
  reload(): void {
    record('webContents.reload', { window: this.id });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  setWindowOpenHandler(handler: NonNullable<WebContentsDouble['windowOpenHandler']>): void {
    this.windowOpenHandler = handler;
    record('webContents.setWindowOpenHandler', { window: this.id });
  }
}

type WindowMembers =
  | 'webContents'
  | 'loadURL'
  | 'show'
  | 'hide'
  | 'focus'
  | 'minimize'
  | 'restore'
  | 'isMinimized'
  | 'isVisible'
  | 'isDestroyed';

class BrowserWindowDouble extends Emitter implements Pick<Electron.BrowserWindow, WindowMembers> {
  readonly id = nextWindowId++;
  readonly webContents: Electron.WebContents;
  private readonly contents: WebContentsDouble;
  private visible = false;
  private minimized = false;
  private destroyed = false;
  private loading: { resolve(): void } | null = null;

  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    this.contents = new WebContentsDouble(this.id);
    this.webContents = this.contents as unknown as Electron.WebContents;
    windows.set(this.id, this);
    const { preload, ...webPreferences } = options.webPreferences ?? {};
    record('window.create', { window: this.id, show: options.show ?? true, preload, webPreferences });
    app.emit('web-contents-created', preventable(), this.webContents);
    if (options.show !== false) this.visible = true;
  }

  loadURL(url: string): Promise<void> {
    record('window.load', { window: this.id, url });
    return new Promise((resolve) => (this.loading = { resolve }));
  }

  /** The harness finished loading the page. */
  loaded(url: string): void {
    (this.contents.mainFrame as unknown as WebFrameMainDouble).url = url;
    const first = this.loading !== null;
    this.loading?.resolve();
    this.loading = null;
    this.contents.emit('did-finish-load');
    if (first) this.emit('ready-to-show');
  }

  show(): void {
    this.visible = true;
    this.minimized = false;
    record('window.show', { window: this.id });
  }
  hide(): void {
    this.visible = false;
    record('window.hide', { window: this.id });
    this.emit('hide');
  }
  focus(): void {
    record('window.focus', { window: this.id });
  }
  minimize(): void {
    this.minimized = true;
    record('window.minimize', { window: this.id });
    this.emit('minimize');
  }
  restore(): void {
    this.minimized = false;
    record('window.restore', { window: this.id });
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible && !this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The close button (or a quit closing every window): false when the app kept it open. */
  closeByUser(quitting = false): boolean {
    const close = preventable();
    this.emit('close', close);
    if (close.defaultPrevented) {
      record('window.close prevented', { window: this.id });
      return false;
    }
    this.destroyed = true;
    this.contents.destroyed = true;
    windows.delete(this.id);
    record('window.closed', { window: this.id });
    this.emit('closed');
    if (windows.size === 0 && !quitting) app.emit('window-all-closed');
    return true;
  }

  get contentsDouble(): WebContentsDouble {
    return this.contents;
  }
}

export const BrowserWindow = BrowserWindowDouble;

// ---------------------------------------------------------------------------------------------
// Custom schemes: the harness serves the page through the app's own handler

type SchemeHandler = Parameters<Electron.Protocol['handle']>[1];
const schemes = new Map<string, SchemeHandler>();

export const protocol: Pick<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle'> = {
  registerSchemesAsPrivileged(customSchemes) {
    record('protocol.registerSchemesAsPrivileged', { schemes: customSchemes, beforeReady: !app.isReady() });
  },
  handle(scheme, handler) {
    schemes.set(scheme, handler);
    record('protocol.handle', { scheme });
  },
};

async function serveScheme(url: string): Promise<ProtocolAnswer> {
  const handler = schemes.get(new URL(url).protocol.slice(0, -1));
  if (!handler) return { status: 404, headers: {}, body: '' };
  const response = await handler(new Request(url));
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: Buffer.from(await response.arrayBuffer()).toString('base64'),
  };
}

// ---------------------------------------------------------------------------------------------
// IPC, session, shell, net, power

type Handler = Parameters<Electron.IpcMain['handle']>[1];
const handlers = new Map<string, Handler>();

export const ipcMain: Pick<Electron.IpcMain, 'handle' | 'removeHandler'> = {
  handle(channel, listener) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, listener);
    record('ipcMain.handle', { channel });
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
};

type PermissionRequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0];
const permissions: { request: PermissionRequestHandler; check: PermissionCheckHandler } = {
  request: null,
  check: null,
};

const defaultSession: Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> = {
  setPermissionRequestHandler(handler) {
    permissions.request = handler;
    record('session.setPermissionRequestHandler', { set: handler !== null });
  },
  setPermissionCheckHandler(handler) {
    permissions.check = handler;
    record('session.setPermissionCheckHandler', { set: handler !== null });
  },
};
export const session = { defaultSession: defaultSession as Electron.Session };

export const shell: Pick<Electron.Shell, 'openExternal'> = {
  openExternal(url) {
    record('shell.openExternal', { url });
    return Promise.resolve();
  },
};

/** Node's fetch stands in for Chromium's network stack. */
export const net: Pick<Electron.Net, 'fetch'> = {
  fetch: (input, init) => fetch(input, init),
};

class PowerMonitorDouble extends Emitter {}
export const powerMonitor = new PowerMonitorDouble() as unknown as Electron.PowerMonitor;

export const dialog: Pick<Electron.Dialog, 'showMessageBox' | 'showErrorBox'> = {
  showMessageBox(...args: [Electron.MessageBoxOptions] | [Electron.BaseWindow, Electron.MessageBoxOptions]) {
    const options = args.length === 1 ? args[0] : args[1];
    const response = config.messageBoxResponse ?? options.cancelId ?? 0;
    record('dialog.showMessageBox', {
      title: options.title,
      message: options.message,
      detail: options.detail,
      buttons: options.buttons,
      response,
    });
    return Promise.resolve({ response, checkboxChecked: false });
  },
  showErrorBox(title, content) {
    record('dialog.showErrorBox', { title, content });
  },
};

// ---------------------------------------------------------------------------------------------
// Tray, menus, images, notifications, clipboard

interface ImageDouble {
  readonly path: string;
  template: boolean;
}

class NativeImageDouble implements Pick<Electron.NativeImage, 'setTemplateImage' | 'isEmpty'> {
  template = false;
  constructor(readonly path: string) {}
  setTemplateImage(option: boolean): void {
    this.template = option;
  }
  /** As Electron: a file that is not there makes an empty image (a blank tray icon). */
  isEmpty(): boolean {
    return !existsSync(this.path);
  }
}

export const nativeImage: Pick<typeof Electron.nativeImage, 'createFromPath'> = {
  createFromPath(path) {
    const image = new NativeImageDouble(path);
    // Electron picks name@2x.png beside name.png on a high-density screen.
    const retina = path.replace(/\.png$/, '@2x.png');
    record('nativeImage.createFromPath', {
      path,
      exists: !image.isEmpty(),
      retinaExists: existsSync(retina),
    });
    return image as unknown as Electron.NativeImage;
  },
};

interface MenuItemDouble {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

class MenuDouble {
  constructor(readonly items: readonly MenuItemDouble[]) {}
}

export const Menu: Pick<typeof Electron.Menu, 'buildFromTemplate'> = {
  buildFromTemplate(template) {
    return new MenuDouble(template as MenuItemDouble[]) as unknown as Electron.Menu;
  },
};

/** The app's tray (Electron keeps no list of them either; the harness clicks this one). */
const trays = new Set<TrayDouble>();
const describeImage = (image: Electron.NativeImage | string) => {
  const { path, template } = image as unknown as ImageDouble;
  return { path, template, empty: (image as unknown as NativeImageDouble).isEmpty() };
};

class TrayDouble
  extends Emitter
  implements Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy'>
{
  menu: MenuDouble | null = null;

  constructor(image: Electron.NativeImage | string) {
    super();
    trays.add(this);
    record('tray.create', describeImage(image));
  }
  setImage(image: Electron.NativeImage | string): void {
    record('tray.setImage', describeImage(image));
  }
  setToolTip(toolTip: string): void {
    record('tray.setToolTip', { toolTip });
  }
  setContextMenu(menu: Electron.Menu | null): void {
    this.menu = menu as unknown as MenuDouble | null;
    const items = (this.menu?.items ?? []).map(({ label, type, enabled }) => ({
      label: label ?? '',
      type: type ?? 'normal',
      enabled: enabled ?? true,
    }));
    record('tray.setContextMenu', { items });
  }
  destroy(): void {
    trays.delete(this);
    record('tray.destroy');
  }
}
export const Tray = TrayDouble;

const notifications = new Map<number, NotificationDouble>();
let nextNotificationId = 1;

class NotificationDouble extends Emitter implements Pick<Electron.Notification, 'show' | 'title' | 'body'> {
  static isSupported(): boolean {
    return true;
  }
  readonly id = nextNotificationId++;
  readonly title: string;
  readonly body: string;
  constructor(options: Electron.NotificationConstructorOptions = {}) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
  }
  show(): void {
    notifications.set(this.id, this);
    record('notification.show', { id: this.id, title: this.title, body: this.body });
  }
}
export const Notification = NotificationDouble;

/** The system clipboard: one text and the formats written with it. */
const board = { text: '', formats: [] as string[] };

class ClipboardItemDouble {
  constructor(
    readonly items: Record<string, string | Blob | Electron.ClipboardBookmark | Promise<Blob | string>>,
  ) {}
}
export const ClipboardItem = ClipboardItemDouble as unknown as typeof Electron.ClipboardItem;

export const clipboard: Pick<Electron.Clipboard, 'readText' | 'writeText' | 'write' | 'clear'> = {
  readText: () => Promise.resolve(board.text),
  writeText(text) {
    Object.assign(board, { text, formats: ['text/plain'] });
    record('clipboard.writeText', { text });
    return Promise.resolve();
  },
  write(data) {
    const items = (data as unknown as ClipboardItemDouble[]).map((item) => item.items);
    const text = items.map((item) => item['text/plain']).find((t) => typeof t === 'string') ?? '';
    Object.assign(board, { text, formats: items.flatMap((item) => Object.keys(item)) });
    record('clipboard.write', { text, formats: board.formats });
    return Promise.resolve();
  },
  clear() {
    Object.assign(board, { text: '', formats: [] });
    record('clipboard.clear');
  },
};

// ---------------------------------------------------------------------------------------------
// What the harness asks

const windowOf = (id: number) => {
  const window = windows.get(id);
  if (!window) throw new Error(`No window ${id}`);
  return window;
};

async function answer(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'loaded':
      return windowOf(request.window).loaded(request.url);
    case 'protocol':
      return serveScheme(request.url);
    case 'invoke': {
      const window = windowOf(request.window);
      const handler = handlers.get(request.channel);
      if (!handler) throw new Error(`No handler registered for '${request.channel}'`);
      const contents = window.contentsDouble;
      // Electron gives the main frame as the same object each time, at the URL it shows now; a
      // sub-frame is another object.
      if (request.frame.main) (contents.mainFrame as unknown as WebFrameMainDouble).url = request.frame.url;
      const senderFrame = request.frame.main
        ? contents.mainFrame
        : (new WebFrameMainDouble(request.frame.url) as unknown as Electron.WebFrameMain);
      const event = { sender: window.webContents, senderFrame, frameId: request.frame.main ? 1 : 2 };
      return handler(event as unknown as Electron.IpcMainInvokeEvent, ...request.args);
    }
    case 'will-navigate': {
      const event = preventable({ url: request.url });
      windowOf(request.window).contentsDouble.emit('will-navigate', event, request.url);
      return { prevented: event.defaultPrevented };
    }
    case 'window-open': {
      const handler = windowOf(request.window).contentsDouble.windowOpenHandler;
      if (!handler) return { action: 'allow' };
      return handler({
        url: request.url,
        frameName: '',
        features: '',
        disposition: 'foreground-tab',
        referrer: { url: '', policy: 'default' },
      });
    }
    case 'attach-webview': {
      const event = preventable();
      windowOf(request.window).contentsDouble.emit('will-attach-webview', event, {}, {});
      return { prevented: event.defaultPrevented };
    }
    case 'permission-request':
      return new Promise<boolean>((resolve) => {
        if (!permissions.request) return resolve(true); // Electron's default grants
        permissions.request(
          null as unknown as Electron.WebContents,
          request.permission as never,
          resolve,
          {} as never,
        );
      });
    case 'permission-check':
      return permissions.check ? permissions.check(null, request.permission as never, '', {} as never) : true;
    case 'tray-click':
      if (!trays.size) throw new Error('There is no tray');
      return void [...trays].map((tray) => tray.emit('click'));
    case 'menu-click': {
      const item = [...trays]
        .flatMap((tray) => tray.menu?.items ?? [])
        .find((i) => i.label === request.label);
      if (!item) throw new Error(`The tray menu has no item "${request.label}"`);
      if (item.enabled === false) throw new Error(`The tray menu item "${request.label}" is disabled`);
      return void item.click?.();
    }
    case 'notification-click': {
      const note = notifications.get(request.id);
      if (!note) throw new Error(`No notification ${request.id}`);
      return void note.emit('click');
    }
    case 'close-window':
      return windowOf(request.window).closeByUser();
    case 'second-instance':
      return void app.emit('second-instance', preventable(), [], '', {});
    case 'renderer-gone': {
      const window = windowOf(request.window);
      const details = { reason: request.reason, exitCode: 1 };
      window.contentsDouble.emit('render-process-gone', preventable(), details);
      return void app.emit('render-process-gone', preventable(), window.webContents, details);
    }
    case 'child-gone':
      return void app.emit('child-process-gone', preventable(), {
        type: request.type,
        reason: request.reason,
        exitCode: 9,
      });
    case 'crash':
      // Thrown from the event loop, where nothing of the app's catches it.
      if (request.kind === 'exception')
        setTimeout(() => {
          throw new TypeError('simulated crash');
        });
      else void Promise.reject(new RangeError('simulated rejection'));
      return;
    case 'resume':
      return void (powerMonitor as unknown as EventEmitter).emit('resume');
    case 'quit':
      return app.quit();
  }
}

process.on('message', (message: Envelope) => {
  void (async () => {
    try {
      report({ t: 'reply', rid: message.rid, ok: true, value: (await answer(message)) ?? null });
    } catch (error) {
      report({ t: 'reply', rid: message.rid, ok: false, error: (error as Error).message });
    }
  })();
});
