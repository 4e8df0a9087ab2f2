/** `npx tsx scripts/render-icons.ts`: renders assets/icon.svg to the PNG electron-builder packs. */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../playwright.config';

const svg = readFileSync('assets/icon.svg', 'utf8');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<body style="margin:0">${svg}</body>`);
await page.screenshot({ path: 'assets/icon.png', omitBackground: true });
await browser.close();
