/**
 * What the GitHub and GitLab imitations share: a 127.0.0.1 server on a random port, a log of the
 * requests it saw (never a credential or a value), JSON answers, and faults injected by request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an imitation answers instead, for the next `times` matching requests. */
export type Fault =
  /** This status, with these headers, and this body (JSON unless a string). */
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** The socket is destroyed: before any answer, or (`afterHeaders`) half-way through the body. */
  | { kind: 'cut'; afterHeaders?: boolean }
  /** No answer at all until the server closes: the client's time limit must end it. */
  | { kind: 'hang' };

/** Which requests a fault takes: a piece of "METHOD /path" (the query left out), a pattern, a test. */
export type FaultMatch = string | RegExp | ((request: SeenRequest) => boolean);

/** What a server saw of one request. */
export interface SeenRequest {
  method: string;
  /** The path as sent (still percent-encoded), without the query. */
  path: string;
  query: string;
  /** How the request authenticated (the scheme only, never the credential). */
  auth: 'bearer' | 'token' | 'private-token' | 'none';
  /** The parsed body of a write (GitHub's is sealed; GitLab's holds the value, so it is not kept). */
  body?: unknown;
  /** What answered: the status, or the fault's kind. */
  answer?: number | 'cut' | 'hang';
}

export class FaultBook {
  private readonly faults: { match: FaultMatch; fault: Fault; left: number }[] = [];

  add(match: FaultMatch, fault: Fault, times = 1): void {
    this.faults.push({ match, fault, left: times });
  }

  /** The first fault that takes this request (and is used up by it), or null. */
  take(request: SeenRequest): Fault | null {
    const line = `${request.method} ${request.path}`;
    const index = this.faults.findIndex(({ match }) =>
      typeof match === 'string'
        ? line.includes(match)
        : match instanceof RegExp
          ? match.test(line)
          : match(request),
    );
    if (index < 0) return null;
    const entry = this.faults[index]!;
    entry.left -= 1;
    if (entry.left <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.faults.length = 0;
  }
}

/** Plays a fault on a response (a 'hang' leaves it open until the server closes). */
export function playFault(
  fault: Fault,
  request: IncomingMessage,
  response: ServerResponse,
  seen: SeenRequest,
): void {
  if ('status' in fault) {
    seen.answer = fault.status;
    const body =
      fault.body === undefined
        ? ''
        : typeof fault.body === 'string'
          ? fault.body
          : JSON.stringify(fault.body);
    const json = fault.body !== undefined && typeof fault.body !== 'string';
    response
      .writeHead(fault.status, {
        ...(json ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
        ...fault.headers,
      })
      .end(body);
    return;
  }
  seen.answer = fault.kind;
  if (fault.kind === 'hang') return;
  if (fault.afterHeaders) {
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
    response.write('{"partial":');
    // Let the headers and the first bytes leave before the connection goes.
    setTimeout(() => request.socket.destroy(), 20);
    return;
  }
  request.socket.destroy();
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  response
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

const MAX_BODY = 1024 * 1024;

/** The request body as text (refused past 1 MB). */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('Body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON or form body as an object; null when it is neither. */
export function parseBody(text: string, contentType: string | undefined): Record<string, unknown> | null {
  if (!text) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

export async function listen(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<Listening> {
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal imitation error' });
      else response.destroy();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** The credential a request carries, and in which header. */
export function credentialOf(request: IncomingMessage): { token: string | null; auth: SeenRequest['auth'] } {
  const privateToken = request.headers['private-token'];
  if (typeof privateToken === 'string' && privateToken) return { token: privateToken, auth: 'private-token' };
  const header = request.headers.authorization ?? '';
  const match = /^(bearer|token)\s+(\S+)$/i.exec(header.trim());
  if (!match) return { token: null, auth: 'none' };
  return { token: match[2]!, auth: match[1]!.toLowerCase() === 'bearer' ? 'bearer' : 'token' };
}

/** The path's segments, each percent-decoded ("group%2Fproject" is one segment). */
export function segments(path: string): string[] | null {
  try {
    return path
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}
