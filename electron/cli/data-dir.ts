/**
 * Where the app keeps its data, found without Electron: the CLI must read the very folder the app
 * writes, and Electron's `app.getPath('userData')` is the OS's per-user application data folder
 * joined with the product name.
 */
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { productName } from '../../package.json';

export const PRODUCT_NAME: string = productName;

/**
 * `VAULT_DATA_DIR` when set (tests, development, or a second vault), else Electron's userData for
 * this product: Linux `${XDG_CONFIG_HOME:-~/.config}/<product>`, macOS
 * `~/Library/Application Support/<product>`, Windows `%APPDATA%\<product>`.
 */
export function dataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env['VAULT_DATA_DIR'];
  if (override) return override;
  switch (platform) {
    case 'win32':
      // The Roaming folder (Electron asks Windows for it; %APPDATA% names the same).
      return win32.join(env['APPDATA'] || win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    case 'darwin':
      return posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    default:
      // As Chromium's GetXDGDirectory reads it: any non-empty value, as it is.
      return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), PRODUCT_NAME);
  }
}
