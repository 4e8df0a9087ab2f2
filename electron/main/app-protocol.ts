/**
 * The window's page comes from app://vault/, served from the renderer build by protocol.handle,
 * as Electron's security checklist asks: a custom, standard, secure scheme gives the page a real
 * origin of its own (file:// pages share one with every file on disk), and the handler serves
 * files of the build folder only. Electron's parts are injected (types only imported), so the
 * unit tests and the Electron double run this in Node.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'vault';
/** The page the window shows, and the one origin the IPC trusts. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The page the window shows: app://vault/, or the dev server in `electron-vite dev`. The override
 * is honoured only when not packaged: the page's URL is also what IPC trusts and where navigation
 * may go, so in an installed app no environment variable can point it elsewhere.
 */
export function pageUrl(packaged: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const dev = env['ELECTRON_RENDERER_URL'];
  return !packaged && dev ? dev : APP_URL;
}

/** Before `ready`: Electron fixes a scheme's privileges once. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    // standard: a real origin and relative URLs; secure: like https (no mixed-content downgrade).
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** After `ready`: answers app://vault/<path> from `root` (out/renderer). */
export function serveApp(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(root, request.url));
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The page's CSP, also sent as a header: a header cannot be removed by the page's own markup. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'";

export async function appResponse(root: string, url: string): Promise<Response> {
  const file = appFile(root, url);
  if (!file) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound();
  }
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}

/**
 * The file an app:// URL names inside `root`, or null: another host, or anything that resolves
 * outside `root` once decoded (the URL parser removes plain `..`; an encoded `%2e%2e`, `%2f` or
 * `%5c` survives it and is caught here, on every OS's path rules).
 */
export function appFile(root: string, url: string): string | null {
  let parsed: URL;
  let path: string;
  try {
    parsed = new URL(url);
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  const base = resolve(root);
  const file = resolve(base, `.${path === '/' ? '/index.html' : path}`);
  return file.startsWith(base + sep) ? file : null;
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
