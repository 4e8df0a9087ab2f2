/**
 * `npx tsx scripts/render-icons.ts`: renders the SVG sources in assets/ to the PNGs the app uses:
 * icon.png (512 px, packaging) and each tray icon at 16 px and 32 px (`name.png`, `name@2x.png`,
 * the pair Electron's nativeImage picks from by the screen's scale factor).
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM } from '../playwright.config';

const TRAY_ICONS = ['tray-ok', 'tray-expiring', 'tray-expired', 'trayTemplate'];
const TRAY_SIZE = 16;

/** Draws an SVG over the whole viewport (whatever its own size) and saves it with transparency. */
async function render(
  browser: Browser,
  name: string,
  size: number,
  scale: number,
  out: string,
): Promise<void> {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: scale });
  const svg = readFileSync(`assets/${name}.svg`, 'utf8');
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:100vw;height:100vh}</style>${svg}`,
  );
  await page.screenshot({ path: `assets/${out}`, omitBackground: true });
  await page.close();
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
await render(browser, 'icon', 512, 1, 'icon.png');
for (const name of TRAY_ICONS) {
  await render(browser, name, TRAY_SIZE, 1, `${name}.png`);
  await render(browser, name, TRAY_SIZE, 2, `${name}@2x.png`);
}
await browser.close();
console.log(`rendered icon.png and ${TRAY_ICONS.length * 2} tray icons into assets/`);
