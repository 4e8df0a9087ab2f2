/**
 * Packaging cannot run here (electron-builder downloads Electron), so its configuration is
 * checked the way electron-builder itself checks it before a build.
 */
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
