/**
 * Shared by the Electron tests: where the Electron binary is, or why it is absent (they skip then),
 * and how the app is launched on a fresh data folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, type ElectronApplication } from '@playwright/test';

/**
 * Where the electron package put its binary. Not `require('electron')`: when the binary is
 * absent, that tries to download it.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(pkg, 'path.txt');
  const dist = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(pkg, 'dist');
  const path = existsSync(pathFile) ? join(dist, readFileSync(pathFile, 'utf8')) : null;
  return path && existsSync(path)
    ? { path }
    : { missing: `${pkg}/dist is absent: the install downloads it from GitHub, unreachable here` };
}

/**
 * The reason the tests skip, or null when they can run. Where the binary must be there (CI sets
 * VAULT_REQUIRE_ELECTRON=1: its runners can download it), they never skip: a missing binary fails
 * them, so a broken install cannot pass as a skip.
 */
export function skipReason(binary: ReturnType<typeof electronBinary>): string | null {
  if (!('missing' in binary)) return null;
  if (process.env['VAULT_REQUIRE_ELECTRON'] === '1') {
    throw new Error(`VAULT_REQUIRE_ELECTRON=1, and there is no Electron binary: ${binary.missing}`);
  }
  return `no Electron binary (${binary.missing})`;
}

/** The built app (out/main) in the real Electron, on an empty data folder of its own. */
export async function launchVault(executablePath: string): Promise<ElectronApplication> {
  return electron.launch({
    executablePath,
    args: ['out/main/index.js'],
    env: { ...process.env, VAULT_DATA_DIR: await mkdtemp(join(tmpdir(), 'vault-electron-')) },
  });
}
