/**
 * `npx tsx scripts/render-icons.ts`: renders the SVG sources in assets/ to the images the app and
 * its installers use: icon.png (512 px: Linux), icon.icns (macOS), icon.ico (Windows), and each
 * tray icon at 16 px and 32 px (`name.png`, `name@2x.png`, the pair Electron's nativeImage picks
 * from by the screen's scale factor). Every size is drawn from the SVG, none scaled from a bitmap.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM } from '../playwright.config';
import { ICNS_TYPES, writeIcns, writeIco, type IcnsType } from './icon-containers';

const TRAY_ICONS = ['tray-ok', 'tray-expiring', 'tray-expired', 'trayTemplate'];
const TRAY_SIZE = 16;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/**
 * macOS draws app icons on Apple's grid, the rounded square spanning 824 of 1024 px; icon.svg's
 * spans 448 of 512, so on a Mac it is drawn a little smaller to sit level with its neighbours.
 */
const MAC_SCALE = 824 / 1024 / (448 / 512);

/** Draws an SVG over the whole viewport (whatever its own size) and returns it as a transparent PNG. */
async function render(
  browser: Browser,
  name: string,
  size: number,
  pixelRatio = 1,
  scale = 1,
): Promise<Buffer> {
  const page = await browser.newPage({
    viewport: { width: size, height: size },
    deviceScaleFactor: pixelRatio,
  });
  const svg = readFileSync(`assets/${name}.svg`, 'utf8');
  const transform = scale === 1 ? '' : `;transform:scale(${scale})`;
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:100vw;height:100vh${transform}}</style>${svg}`,
  );
  const png = await page.screenshot({ omitBackground: true });
  await page.close();
  return png;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
writeFileSync('assets/icon.png', await render(browser, 'icon', 512));
const icns: Array<{ type: IcnsType; png: Buffer }> = [];
for (const [type, size] of Object.entries(ICNS_TYPES) as Array<[IcnsType, number]>) {
  icns.push({ type, png: await render(browser, 'icon', size, 1, MAC_SCALE) });
}
writeFileSync('assets/icon.icns', writeIcns(icns));
const ico: Buffer[] = [];
for (const size of ICO_SIZES) ico.push(await render(browser, 'icon', size));
writeFileSync('assets/icon.ico', writeIco(ico));
for (const name of TRAY_ICONS) {
  writeFileSync(`assets/${name}.png`, await render(browser, name, TRAY_SIZE));
  writeFileSync(`assets/${name}@2x.png`, await render(browser, name, TRAY_SIZE, 2));
}
await browser.close();
console.log(
  `rendered icon.png, icon.icns (${icns.length} sizes), icon.ico (${ico.length} sizes) ` +
    `and ${TRAY_ICONS.length * 2} tray icons into assets/`,
);
