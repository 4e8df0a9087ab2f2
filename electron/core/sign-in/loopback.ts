/**
 * The loopback end of a browser sign-in, the hand-off SonarQube for IDE uses: while (and only
 * while) a sign-in is pending, the vault listens on the first free port of 64120-64130 of
 * 127.0.0.1. SonarQube's page asks `/sonarlint/api/status` who is there, the user allows it, and
 * the page POSTs a new token to `/sonarlint/api/token`.
 *
 * Any local program or web page can reach a loopback port, so: only the expected SonarQube origin
 * is answered (CORS, Chromium's private network access preflight), the Host must name loopback
 * (against DNS rebinding), one token is taken and then the door closes, bodies are small, and
 * nothing waits longer than the sign-in's time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VaultError } from '@core/errors';

export const SIGN_IN_PORTS = { first: 64120, last: 64130 } as const;
const MAX_BODY_BYTES = 16 * 1024;

/** What SonarQube POSTs: at least the token; recent Servers say more about it. */
export interface HandedOver {
  readonly token: string;
  readonly name?: string;
  readonly login?: string;
  readonly expirationDate?: string;
}

export interface LoopbackOptions {
  /** The SonarQube's origin (scheme, host, port): the only one answered. */
  readonly origin: string;
  /** What `/sonarlint/api/status` says: the app's name and a description (the computer). */
  readonly ideName: string;
  readonly description: string;
  readonly ports?: { readonly first: number; readonly last: number };
}

export interface Loopback {
  readonly port: number;
  /** The token handed over (once); rejects when closed first. */
  readonly handedOver: Promise<HandedOver>;
  close(reason?: VaultError): void;
}

export async function listenForToken(options: LoopbackOptions): Promise<Loopback> {
  const ports = options.ports ?? SIGN_IN_PORTS;
  let resolve!: (value: HandedOver) => void;
  let reject!: (error: VaultError) => void;
  const handedOver = new Promise<HandedOver>((ok, fail) => ((resolve = ok), (reject = fail)));
  handedOver.catch(() => undefined); // a sign-in nobody waits for any more must not crash anything
  let taken = false;

  const server = createServer((request, response) => {
    void answer(request, response).catch(() => send(response, 500));
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const port = (server.address() as AddressInfo).port;
    // DNS rebinding: another site resolved to 127.0.0.1 still says its own name.
    if (!['127.0.0.1', 'localhost'].some((host) => request.headers.host === `${host}:${port}`)) {
      return send(response, 421);
    }
    const fromSonarQube = request.headers.origin === options.origin;
    const path = new URL(request.url ?? '/', `http://127.0.0.1:${port}`).pathname;
    const cors: Record<string, string> = fromSonarQube
      ? { 'Access-Control-Allow-Origin': options.origin, Vary: 'Origin' }
      : {};
    if (request.method === 'OPTIONS') {
      if (!fromSonarQube) return send(response, 403);
      return send(response, 204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Access-Control-Allow-Private-Network': 'true',
        'Access-Control-Max-Age': '60',
      });
    }
    if (path === '/sonarlint/api/status' && request.method === 'GET') {
      const status = { ideName: options.ideName, description: options.description, needsToken: true };
      return send(response, 200, { ...cors, 'Content-Type': 'application/json' }, JSON.stringify(status));
    }
    if (path === '/sonarlint/api/token' && request.method === 'POST') {
      if (!fromSonarQube || taken) return send(response, 403, cors);
      const given = parseHandedOver(await readSmallBody(request));
      if (!given) return send(response, 400, cors);
      taken = true;
      send(response, 200, { ...cors, 'Content-Type': 'text/plain' }, 'OK');
      resolve(given);
      return stop();
    }
    return send(response, 404, cors);
  }

  function stop(): void {
    server.close();
    server.closeAllConnections();
  }

  const port = await listenOnFirstFree(server, ports);
  return {
    port,
    handedOver,
    close(reason = new VaultError('invalid-input', 'The browser sign-in was cancelled.')) {
      stop();
      reject(reason);
    },
  };
}

async function listenOnFirstFree(server: Server, ports: { first: number; last: number }): Promise<number> {
  for (let port = ports.first; port <= ports.last; port++) {
    const listening = await new Promise<boolean>((done) => {
      const failed = () => done(false);
      server.once('error', failed);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', failed);
        done(true);
      });
    });
    if (listening) return port;
  }
  throw new VaultError(
    'unreachable',
    `Every port the sign-in may use (${ports.first}-${ports.last} on this computer) is taken, perhaps by IDEs signing in to SonarQube: close one, or paste a token.`,
  );
}

async function readSmallBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body is JSON whatever its Content-Type says (some Servers label it text/plain). */
function parseHandedOver(body: string | null): HandedOver | null {
  if (body === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const { token, name, login, expirationDate } = json as Record<string, unknown>;
  if (typeof token !== 'string' || !/^[\x21-\x7e]{1,512}$/.test(token)) return null;
  const text = (value: unknown) => (typeof value === 'string' && value.length <= 512 ? value : undefined);
  return { token, name: text(name), login: text(login), expirationDate: text(expirationDate) };
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  body = '',
): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(body);
}
