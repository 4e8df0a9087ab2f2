/**
 * Packaging cannot run here (electron-builder downloads Electron), so its configuration is
 * checked the way electron-builder itself checks it before a build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
type Config = Record<string, unknown> & { files?: string[]; asarUnpack?: string[] };
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<Config>;
  validateConfiguration: (config: Config, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    const config = await getConfig(process.cwd(), null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('packs the built app and unpacks the native keychain module', async () => {
    const config = await getConfig(process.cwd(), null, null);
    // (validation normalizes `files` into filter objects, so look at them as text)
    expect(JSON.stringify(config.files)).toContain('"out/**"');
    expect(JSON.stringify(config.asarUnpack)).toContain('"**/*.node"');
    expect(config).toMatchObject({ electronFuses: { runAsNode: false, onlyLoadAppFromAsar: true } });
  });

  it('the validation would catch a mistake', async () => {
    const config = { ...(await getConfig(process.cwd(), null, null)), notAnOption: true };
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
  });
});

describe('the installers', () => {
  type Target = { target: string; arch: string[] };
  type Installers = {
    productName: string;
    artifactName: string;
    mac: {
      icon: string;
      hardenedRuntime: boolean;
      entitlements: string;
      entitlementsInherit: string;
      target: Target[];
    };
    win: { icon: string; target: Target[] };
    nsis: { perMachine: boolean; allowElevation: boolean };
    linux: { icon: string; category: string; target: string[]; desktop: { entry: Record<string, string> } };
    deb: { depends: string[]; recommends: string[] };
  };
  const installers = async () => (await getConfig(process.cwd(), null, null)) as unknown as Installers;
  // The plist parser electron-builder itself depends on.
  const plist = createRequire(require.resolve('app-builder-lib/package.json'))('plist') as {
    parse: (xml: string) => unknown;
  };

  it('name every file with the version and the architecture, without spaces', async () => {
    const { artifactName } = await installers();
    expect(artifactName).toContain('${version}');
    expect(artifactName).toContain('${arch}');
    expect(artifactName).not.toMatch(/\s|productName/);
  });

  it('use the rendered icons of each OS', async () => {
    const { mac, win, linux } = await installers();
    expect([mac.icon, win.icon, linux.icon]).toEqual([
      'assets/icon.icns',
      'assets/icon.ico',
      'assets/icon.png',
    ]);
    for (const icon of [mac.icon, win.icon, linux.icon]) expect(existsSync(icon), icon).toBe(true);
  });

  it('macOS: dmg and zip for Intel and Apple silicon, hardened, allowed JIT and nothing more', async () => {
    const { mac } = await installers();
    expect(mac.target).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.entitlementsInherit).toBe(mac.entitlements);
    const entitlements = plist.parse(readFileSync(mac.entitlements, 'utf8'));
    expect(entitlements).toEqual({ 'com.apple.security.cs.allow-jit': true });
  });

  it('Windows: an NSIS installer for the current user only, never asking for elevation', async () => {
    const { win, nsis } = await installers();
    expect(win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(nsis).toMatchObject({ perMachine: false, allowElevation: false });
  });

  it('Linux: AppImage and deb, a desktop entry matching the window, libsecret and a Secret Service', async () => {
    const { productName, linux, deb } = await installers();
    expect(linux.target).toEqual(['AppImage', 'deb']);
    expect(linux.category.split(';')).toEqual(['Development', 'Security']);
    expect(linux.desktop.entry['StartupWMClass']).toBe(productName);
    expect(linux.desktop.entry['Keywords']).toContain('SonarQube');
    // Setting depends replaces electron-builder's defaults: Electron's own libraries must still be there.
    for (const lib of ['libsecret-1-0', 'libgtk-3-0', 'libnss3', 'libgbm1'])
      expect(deb.depends).toContain(lib);
    expect(deb.recommends.join()).toContain('gnome-keyring');
  });
});
