/** The main window, hardened: sandboxed, isolated, no Node, no navigation, no new windows. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow } from 'electron';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The renderer build, served as app://vault/. */
export const RENDERER_DIR = join(here, '../renderer');

export function createMainWindow(pageUrl: string, packaged: boolean): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 760,
    minWidth: 860,
    minHeight: 520,
    show: false,
    title: 'Token Vault for SonarQube',
    webPreferences: {
      // Reviewed (electronegativity): the sandboxed preload exposes only invoke and on, over one channel.
      preload: join(here, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // A middle click would otherwise open a link in a new window, past the window-open handler.
      disableBlinkFeatures: 'Auxclick',
      // A packaged vault offers no console to paste code into.
      devTools: !packaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(pageUrl);
  return window;
}

/**
 * Applied to every web contents the app ever creates, windows and anything else: it stays on its
 * page, attaches no webview, opens no window; links go to `openLink` (the user's browser, for the
 * hosts it allows).
 */
export function lockDown(
  contents: Electron.WebContents,
  pageUrl: string,
  openLink: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== pageUrl) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openLink(url);
    return { action: 'deny' };
  });
}
