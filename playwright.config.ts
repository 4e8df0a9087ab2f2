import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * CHROMIUM_PATH, else Debian's Chromium where installed (Playwright's own browser download is not
 * reachable here), else undefined: Playwright's own Chromium (macOS, Windows, other Linux).
 */
export const CHROMIUM =
  process.env['CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Chromium, offline and as root: no sandbox, GPU, QUIC or background calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  outputDir: 'test-results/playwright',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  timeout: 30_000,
  workers: 2,
  projects: [
    {
      name: 'e2e',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
      },
    },
    { name: 'electron', testDir: 'test/electron' },
    // The built package's main process under the Electron double, its windows in Chromium.
    { name: 'packaged', testDir: 'test/packaged' },
  ],
});
