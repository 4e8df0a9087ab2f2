/**
 * The test/preview transport: the same core handlers as over IPC, served on 127.0.0.1 to the
 * real renderer in an ordinary browser. Guarded like a local service should be: loopback only,
 * a random per-run key, an exact Host and Origin check (against other sites and DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '@core/create-core';

const CLIENT_JS = fileURLToPath(new URL('./bridge-client.js', import.meta.url));
const MAX_BODY = 1_000_000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface Bridge {
  /** The page to open: carries the per-run key. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

export async function startBridge(core: Core, rendererDir: string): Promise<Bridge> {
  const key = randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  const unsubscribe = core.events.subscribe((event, payload) => {
    for (const stream of streams) stream.write(`data: ${JSON.stringify({ event, payload })}\n\n`);
  });
  let origin = '';

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => send(response, 500, 'text/plain', 'Bridge error'));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    // DNS rebinding: a page of another site resolved to 127.0.0.1 still says its own Host.
    if (request.headers.host !== new URL(origin).host) return send(response, 421, 'text/plain', 'Wrong host');
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin)
      return send(response, 403, 'text/plain', 'Wrong origin');

    if (url.pathname === '/__bridge/invoke' && request.method === 'POST') {
      if (requestOrigin !== origin || !sameKey(request.headers['x-vault-key'], key)) {
        return send(response, 403, 'text/plain', 'Refused');
      }
      const body = await readBody(request);
      if (body === null) return send(response, 413, 'text/plain', 'Too large');
      let message: { call?: unknown; payload?: unknown };
      try {
        message = JSON.parse(body) as typeof message;
      } catch {
        return send(response, 400, 'text/plain', 'Not JSON');
      }
      const envelope = await core.dispatch(String(message.call), message.payload);
      return send(response, 200, 'application/json', JSON.stringify(envelope));
    }
    if (url.pathname === '/__bridge/events' && request.method === 'GET') {
      if (!sameKey(url.searchParams.get('k') ?? undefined, key))
        return send(response, 403, 'text/plain', 'Refused');
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (request.method !== 'GET') return send(response, 405, 'text/plain', 'Method not allowed');
    if (url.pathname === '/__bridge/client.js') {
      return send(response, 200, TYPES['.js']!, await readFile(CLIENT_JS));
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!sameKey(url.searchParams.get('k') ?? undefined, key))
        return send(response, 403, 'text/plain', 'Refused');
      const html = await readFile(join(rendererDir, 'index.html'), 'utf8');
      // The bridge's client plays the preload's part: it runs before the app's own script.
      const page = html.replace(/<script/, '<script src="/__bridge/client.js"></script>\n    <script');
      return send(response, 200, TYPES['.html']!, page);
    }
    const file = resolve(rendererDir, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(resolve(rendererDir) + sep)) return send(response, 404, 'text/plain', 'Not found');
    try {
      return send(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      return send(response, 404, 'text/plain', 'Not found');
    }
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/?k=${key}`,
    origin,
    async close() {
      unsubscribe();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });
  response.end(body);
}

function sameKey(given: string | string[] | undefined, key: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
