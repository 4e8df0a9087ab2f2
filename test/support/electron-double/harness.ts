/**
 * Boots the built package's main process under plain Node with the Electron double, and plays
 * everything around it: the windows it opens are real pages in Chromium (Playwright), running the
 * package's own preload against an ipcRenderer double wired to the double's ipcMain (each call
 * carries its frame's URL, and whether it is the main frame); the user's clicks on the tray,
 * menus, notifications and the window's close button are requests to the double. Chromium has no
 * way to load a custom scheme, so the page's app://vault/ is served by the app's own protocol
 * handler behind a loopback origin, and frame URLs are reported to the app as app:// again.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { extractAll } from '@electron/asar';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Frame,
  type Page,
  type Route,
} from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../playwright.config';
import {
  CONFIG_ENV,
  type DoubleConfig,
  type DoubleRecord,
  type ProtocolAnswer,
  type Report,
  type Request,
} from './protocol';

/**
 * The package to boot: where `npm run package:check` leaves it (electron-builder's dir target), or
 * the folder VAULT_PACKAGE_DIR names. The mutation check names several, VAULT_PACKAGE_DIRS, each
 * with one protection removed, and runs a test once on each (`--repeat-each`, `repetition`).
 */
export function packageAsar(repetition = 0): string {
  const several = process.env['VAULT_PACKAGE_DIRS']?.split(delimiter);
  const dir = several ? several[repetition] : (process.env['VAULT_PACKAGE_DIR'] ?? 'dist');
  if (dir === undefined) throw new Error(`VAULT_PACKAGE_DIRS names no package for repetition ${repetition}`);
  return resolve(dir, 'linux-unpacked/resources/app.asar');
}

/** A URL, not a path: `--import C:\…` would read `C:` as a URL scheme on Windows. */
const REGISTER = new URL('./register.mjs', import.meta.url).href;

const extracted = new Map<string, Promise<string>>();

/** A package's app.asar (and its unpacked files), extracted once per test process. */
export function extractedPackage(asar = packageAsar()): Promise<string> {
  let dir = extracted.get(asar);
  if (!dir) {
    dir = (async () => {
      if (!existsSync(asar)) {
        throw new Error(
          `${asar} is missing: build the package first (npm run build && npm run package:check)`,
        );
      }
      const into = await mkdtemp(join(tmpdir(), 'vault-package-'));
      extractAll(asar, into);
      return into;
    })();
    extracted.set(asar, dir);
  }
  return dir;
}

export interface BootOptions extends Partial<Omit<DoubleConfig, 'appPath'>> {
  /** Extra environment for the app's process. */
  env?: Record<string, string>;
  /** The desktop shows tray icons (see trayHostEnv); by default these machines' session has none. */
  trayHost?: boolean;
  /** The package's app.asar (default: packageAsar()). */
  asar?: string;
}

export interface TrayState {
  toolTip: string;
  image: { path: string; template: boolean; empty: boolean } | null;
  items: { label: string; type: string; enabled: boolean }[];
}

/** Preloads run in the main frame only (nodeIntegrationInSubFrames is off). */
function preloadScript(source: string): string {
  return `(() => {
  if (window !== window.top) return;
  const invoke = window.__electronDoubleInvoke;
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) => invoke(channel, args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze({ ...api }) });
    },
  };
  Object.defineProperty(window, '__electronDoubleDeliver', {
    value(channel, args) {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer }, ...args);
    },
  });
  const require = (id) => {
    if (id === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('Cannot find module ' + id + ': a sandboxed preload can require only electron');
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${source}
  })(require, module, module.exports);
})();`;
}

export class PackagedApp {
  readonly records: DoubleRecord[] = [];
  /** Resolves with the app process's exit code (null: killed). */
  readonly exited: Promise<number | null>;
  stderr = '';
  private readonly pages = new Map<number, Page>();
  /** The URL each window is loading for the app (loadURL): not a navigation the page asked for. */
  private readonly loading = new Map<number, string>();
  private readonly replies = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly waiters = new Set<() => void>();
  private nextRid = 1;
  /** Page deliveries and loads happen in the order the app asked for them. */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Chromium cannot load the app's custom scheme (app://vault/): the app's own protocol handler
   * answers it behind this loopback origin, and every URL crossing to the app is translated back.
   */
  private schemeBase: string | null = null;
  private readonly schemeServer = createServer(
    (request, response) => void this.serveScheme(request, response),
  );
  private pageOrigin = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    readonly appPath: string,
    readonly userData: string,
  ) {
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
    // A request the app's process ended before answering fails rather than hangs.
    void this.exited.then((code) => {
      for (const pending of this.replies.values()) pending.reject(new Error(`The app exited (${code})`));
      this.replies.clear();
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('message', (message: Report) => this.receive(message));
  }

  static async boot(options: BootOptions = {}): Promise<PackagedApp> {
    const { env, trayHost, asar, ...config } = options;
    const appPath = await extractedPackage(asar);
    const userData = config.userData ?? (await mkdtemp(join(tmpdir(), 'vault-userdata-')));
    const doubleConfig: DoubleConfig = { ...config, appPath, userData };
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    const child = fork(join(appPath, 'out/main/index.js'), [], {
      cwd: appPath,
      execArgv: ['--import', import.meta.resolve('tsx'), '--import', REGISTER],
      env: {
        ...process.env,
        ...(trayHost ? await trayHostEnv() : {}),
        ...env,
        [CONFIG_ENV]: JSON.stringify(doubleConfig),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const app = new PackagedApp(child, browser, context, appPath, userData);
    await app.listen();
    // A route the app can no longer answer (it exited) is aborted, not left hanging.
    await context.route('**/*', (route) =>
      app.route(route).catch(() => route.abort().catch(() => undefined)),
    );
    context.on('page', (page) => void app.popup(page).catch(() => undefined)); // (the app may be gone)
    return app;
  }

  private async listen(): Promise<void> {
    await new Promise<void>((done) => this.schemeServer.listen(0, '127.0.0.1', done));
    this.pageOrigin = `http://127.0.0.1:${(this.schemeServer.address() as AddressInfo).port}`;
  }

  private async serveScheme(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (!this.schemeBase) throw new Error('no custom scheme loaded');
      const answer = (await this.request({
        op: 'protocol',
        url: `${this.schemeBase}${request.url ?? '/'}`,
      })) as ProtocolAnswer;
      response.writeHead(answer.status, answer.headers);
      response.end(Buffer.from(answer.body, 'base64'));
    } catch (error) {
      response.writeHead(502).end((error as Error).message);
    }
  }

  /** The URL Chromium loads for one the app gave (its custom scheme -> the loopback origin). */
  private toPage(url: string): string {
    const { protocol, host } = new URL(url);
    if (!['http:', 'https:', 'file:', 'about:', 'data:'].includes(protocol))
      this.schemeBase ??= `${protocol}//${host}`;
    return this.schemeBase && url.startsWith(`${this.schemeBase}/`)
      ? this.pageOrigin + url.slice(this.schemeBase.length)
      : url;
  }

  /** The URL the app would see for one Chromium shows. */
  appUrl(url: string): string {
    return this.schemeBase && url.startsWith(`${this.pageOrigin}/`)
      ? this.schemeBase + url.slice(this.pageOrigin.length)
      : url;
  }

  /** What the app has done of this kind, in order. */
  recorded(what: string): DoubleRecord[] {
    return this.records.filter((r) => r.what === what);
  }

  /** The first record of this kind (after `after` records) that satisfies `accept`. */
  async waitFor(
    what: string,
    accept: (r: DoubleRecord) => boolean = () => true,
    { timeout = 10_000, after = 0 } = {},
  ): Promise<DoubleRecord> {
    const find = () => this.records.slice(after).find((r) => r.what === what && accept(r));
    const deadline = Date.now() + timeout;
    for (let found = find(); ; found = find()) {
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`No "${what}" within ${timeout} ms. The app did: ${this.summary()}\n${this.stderr}`);
      }
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, 200);
        this.waiters.add(() => (clearTimeout(timer), wake()));
      });
    }
  }

  /** The page of a window once loaded (default: the window loaded last). */
  async window(id?: number): Promise<Page> {
    await this.waitFor('harness.loaded', (r) => id === undefined || r.detail?.['window'] === id);
    const window = id ?? (this.recorded('harness.loaded').at(-1)!.detail!['window'] as number);
    return this.pages.get(window)!;
  }

  /** The tray as last drawn. */
  tray(): TrayState {
    const last = (what: string) => this.recorded(what).at(-1)?.detail;
    const image = this.records.filter((r) => r.what === 'tray.create' || r.what === 'tray.setImage').at(-1);
    return {
      toolTip: (last('tray.setToolTip')?.['toolTip'] as string) ?? '',
      image: (image?.detail as TrayState['image']) ?? null,
      items: (last('tray.setContextMenu')?.['items'] as TrayState['items']) ?? [],
    };
  }

  /** Clicks the tray menu's item whose label starts with `prefix` (as drawn last). */
  async clickMenu(prefix: string): Promise<void> {
    const item = this.tray().items.find((i) => i.label.startsWith(prefix));
    if (!item)
      throw new Error(`The tray menu has no item starting "${prefix}": ${JSON.stringify(this.tray().items)}`);
    await this.request({ op: 'menu-click', label: item.label });
  }

  /**
   * A page at another URL wired to a window's IPC as the window's own page is (preload and all):
   * what the app would face if its window ever showed someone else's page.
   */
  async openForeignPage(window: number, url: string): Promise<Page> {
    const page = await this.context.newPage();
    this.foreign.add(page);
    await this.wire(page, window);
    await page.goto(url);
    return page;
  }

  /** A page in "the user's browser" (what shell.openExternal opened): not the app's, not wired to it. */
  async browse(url: string): Promise<Page> {
    const page = await this.context.newPage();
    this.foreign.add(page);
    await page.goto(url);
    return page;
  }

  /** Kills the window's renderer, as a GPU fault or an out-of-memory kill would. */
  async crashRenderer(window: number): Promise<void> {
    const page = this.pages.get(window)!;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.crash').catch(() => undefined); // the session dies with the page
  }

  /** The id of the window loaded last. */
  async windowId(): Promise<number> {
    await this.window();
    return this.recorded('harness.loaded').at(-1)!.detail!['window'] as number;
  }

  /** The clipboard's text as the app last left it. */
  clipboardText(): string {
    const last = this.records.filter((r) => r.what.startsWith('clipboard.')).at(-1);
    return last?.what === 'clipboard.clear' ? '' : ((last?.detail?.['text'] as string) ?? '');
  }

  request(request: Request): Promise<unknown> {
    const rid = this.nextRid++;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error(`The app has exited: no answer to ${request.op}`));
      this.replies.set(rid, { resolve, reject });
      this.child.send({ ...request, rid }, (error) => {
        if (error) {
          this.replies.delete(rid);
          reject(error);
        }
      });
    });
  }

  running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ends the app's process (if still running) and the browser. */
  async close(): Promise<void> {
    // The browser first: nothing it still does (a route, a binding) then asks an app that is gone.
    await this.browser.close();
    if (this.running()) this.child.kill();
    await this.exited;
    this.schemeServer.closeAllConnections();
    await new Promise((done) => this.schemeServer.close(done));
  }

  /** The app's log (JSON lines in the data folder). */
  async log(): Promise<string> {
    return readFile(join(this.userData, 'logs', 'vault.log'), 'utf8').catch(() => '');
  }

  private summary(): string {
    return this.records.map((r) => r.what).join(', ');
  }

  private note(what: string, detail?: Record<string, unknown>): void {
    this.records.push({ what, detail, at: Date.now() });
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  private receive(message: Report): void {
    if (message.t === 'reply') {
      const pending = this.replies.get(message.rid);
      this.replies.delete(message.rid);
      if (message.ok) pending?.resolve(message.value);
      else pending?.reject(new Error(message.error));
      return;
    }
    const { what, detail } = message.record;
    this.note(what, detail);
    const window = detail?.['window'] as number;
    const later = (work: () => Promise<unknown>) =>
      void (this.queue = this.queue
        .then(work)
        .catch((error: Error) => this.note('harness.error', { message: error.message })));
    if (what === 'window.create') later(() => this.openPage(window));
    if (what === 'window.load') later(() => this.load(window, detail?.['url'] as string));
    if (what === 'webContents.send') {
      later(() =>
        this.pages
          .get(window)!
          .evaluate(
            ([channel, args]) =>
              (
                globalThis as unknown as { __electronDoubleDeliver?(c: unknown, a: unknown): void }
              ).__electronDoubleDeliver?.(channel, args),
            [detail?.['channel'], detail?.['args']] as const,
          ),
      );
    }
    if (what === 'webContents.reload') later(() => this.reload(window));
    if (what === 'window.closed') later(() => this.pages.get(window)?.close() ?? Promise.resolve());
  }

  private async openPage(window: number): Promise<void> {
    const page = await this.context.newPage();
    this.pages.set(window, page);
    await this.wire(page, window);
    page.on('crash', () => {
      this.note('harness.rendererCrashed', { window });
      this.request({ op: 'renderer-gone', window, reason: 'crashed' }).catch((error: Error) =>
        this.note('harness.error', { message: error.message }),
      );
    });
  }

  /** The page's side of IPC: the package's preload, its ipcRenderer bound to the double's ipcMain. */
  private async wire(page: Page, window: number): Promise<void> {
    await page.exposeBinding('__electronDoubleInvoke', ({ frame }, channel: string, args: unknown[]) =>
      this.request({
        op: 'invoke',
        window,
        frame: { url: this.appUrl(frame.url()), main: frame === page.mainFrame() },
        channel,
        args,
      }),
    );
    const preload = await readFile(join(this.appPath, 'out/preload/index.cjs'), 'utf8');
    await page.addInitScript({ content: preloadScript(preload) });
  }

  private async load(window: number, url: string): Promise<void> {
    const page = this.pages.get(window)!;
    this.loading.set(window, url);
    await page.goto(this.toPage(url));
    const shown = this.appUrl(page.url());
    await this.request({ op: 'loaded', window, url: shown });
    this.note('harness.loaded', { window, url: shown });
  }

  /** A crashed page cannot be reloaded in Chromium: the window gets a new one on the same URL. */
  private async reload(window: number): Promise<void> {
    const old = this.pages.get(window)!;
    const url = old.url();
    if (!old.isClosed()) await old.close();
    await this.openPage(window);
    await this.load(window, url);
  }

  private readonly foreign = new Set<Page>();
  /** Navigations of a window ask the app first (will-navigate); anything else passes. */
  private async route(route: Route): Promise<void> {
    const request = route.request();
    if (!request.isNavigationRequest()) return route.continue();
    let frame: Frame;
    try {
      frame = request.frame();
    } catch {
      // The first navigation of a window the page opened (window.open): its frame is not made yet.
      const action = await this.windowOpen(this.appUrl(request.url()));
      return action === 'deny' ? route.abort('blockedbyclient') : route.continue();
    }
    const page = frame.page();
    if (frame !== page.mainFrame() || !this.pages.has(this.windowOf(page) ?? -1)) return route.continue();
    const window = this.windowOf(page)!;
    const url = this.appUrl(request.url());
    if (this.loading.get(window) === url) {
      this.loading.delete(window);
      return route.continue();
    }
    const { prevented } = (await this.request({ op: 'will-navigate', window, url })) as {
      prevented: boolean;
    };
    this.note('harness.navigation', { window, url, prevented });
    // A 204 answer cancels a navigation in place, as Electron's preventDefault does (an abort
    // would show Chromium's error page instead).
    return prevented ? route.fulfill({ status: 204 }) : route.continue();
  }

  private windowOf(page: Page): number | undefined {
    return [...this.pages].find(([, p]) => p === page)?.[0];
  }

  /** The app's window-open handler decides (as Electron asks it before making the window). */
  private readonly verdicts: string[] = [];
  private async windowOpen(url: string): Promise<string> {
    const window = [...this.pages.keys()][0]!;
    const { action } = (await this.request({ op: 'window-open', window, url })) as { action: string };
    this.note('harness.windowOpen', { url, action });
    this.verdicts.push(action);
    return action;
  }

  /** A page nobody made through the app is a window the renderer opened: closed unless allowed. */
  private async popup(page: Page): Promise<void> {
    await new Promise((wait) => setTimeout(wait, 50));
    if (this.windowOf(page) !== undefined || this.foreign.has(page)) return;
    // window.open(url) navigates at once (route() asks); window.open() with no URL never does.
    const deadline = Date.now() + 1_000;
    while (!this.verdicts.length && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 50));
    if (page.isClosed()) return;
    const action = this.verdicts.shift() ?? (await this.windowOpen(page.url()), this.verdicts.shift());
    if (action === 'deny' && !page.isClosed()) await page.close();
  }
}

/**
 * An environment in which the app finds a tray host: a stand-in `dbus-send` first on PATH that
 * answers that a StatusNotifierWatcher owns its name (the private D-Bus session of the tests has
 * none, so without this the app learns that no tray would be seen).
 */
export async function trayHostEnv(): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'vault-trayhost-'));
  await writeFile(join(dir, 'dbus-send'), '#!/bin/sh\necho "method return"\necho "   boolean true"\n', {
    mode: 0o755,
  });
  return { PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}` };
}
