/**
 * app://vault/ serves the renderer build and nothing else, whatever the URL hides in its path.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFile, appResponse } from '../../electron/main/app-protocol';

describe('app:// files', () => {
  const root = resolve('/opt/vault/resources/app/out/renderer');

  it.each([
    ['app://vault/', 'index.html'],
    ['app://vault/index.html', 'index.html'],
    ['app://vault/assets/index-1.js?v=2#x', 'assets/index-1.js'],
    ['app://vault/assets/a%20b.css', 'assets/a b.css'],
    // The URL parser takes encoded dots for dots and drops them: this stays inside.
    ['app://vault/%2e%2e/%2e%2e/main/index.js', 'main/index.js'],
  ])('%s is %s in the build', (url, file) => expect(appFile(root, url)).toBe(join(root, file)));

  it.each([
    'app://vault/..%2f..%2fpackage.json',
    'app://vault/assets/..%2f..%2f..%2f..%2fetc/passwd',
    'app://vault/%2fetc%2fpasswd/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://vault/%E0%A4%A', // not decodable
    'app://other/index.html',
    'app://vault.evil/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('%s is refused', (url) => expect(appFile(root, url)).toBeNull());

  it('answers with the CSP and nosniff headers, and 404 for anything else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-app-'));
    await mkdir(join(dir, 'renderer'));
    await writeFile(join(dir, 'renderer', 'index.html'), '<p>vault</p>');
    await writeFile(join(dir, 'secret.txt'), 'outside');
    const page = await appResponse(join(dir, 'renderer'), 'app://vault/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toBe('<p>vault</p>');
    expect((await appResponse(join(dir, 'renderer'), 'app://vault/..%2fsecret.txt')).status).toBe(404);
    expect((await appResponse(join(dir, 'renderer'), 'app://vault/missing.js')).status).toBe(404);
  });
});
