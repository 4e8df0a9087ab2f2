/**
 * A fetch for a Server whose certificate comes from a private CA (corporate networks): TLS trusts
 * Node's root store (`tls.rootCertificates`, what Node's fetch trusts) plus that CA, and checks
 * everything else as usual. There is no way to skip certificate checks, here or anywhere.
 *
 * Built on node:https, not undici's Agent: the `undici` package is no dependency of the app (only an
 * optional dev dependency of node-gyp) and Node's own fetch takes no CA option. It implements what
 * SonarQubeClient uses: method, headers, text or form body, status, headers and a streamed body,
 * AbortSignal, and `redirect` 'error' or 'manual' (a redirect is never followed: it could carry the
 * token to another host). No Accept-Encoding is sent, so bodies come uncompressed.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { VaultError } from '@core/errors';
import type { Fetch } from '@core/ports';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]+?\r?\n-----END CERTIFICATE-----/g;
/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch that also trusts `caPem`: one or more PEM certificates (a root, or a root and its
 * intermediates). Throws VaultError('invalid-input') when the text holds no readable certificate.
 */
export function fetchTrusting(caPem: string): Fetch {
  const agent = new Agent({ ca: [...rootCertificates, ...pemCertificates(caPem)], keepAlive: true });
  return (input, init = {}) => {
    const url = new URL(input);
    // A CA only matters to TLS: plain http goes through the ordinary fetch.
    if (url.protocol !== 'https:') return fetch(input, init);
    return httpsFetch(url, init, agent);
  };
}

/** Every certificate in the text, each checked to parse; a private key or garbage is refused. */
export function pemCertificates(text: string): string[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw notPem();
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw notPem();
    }
  }
  return blocks;
}

function notPem(): VaultError {
  return new VaultError(
    'invalid-input',
    'That file is not a PEM certificate: choose the CA certificate (text starting with -----BEGIN CERTIFICATE-----).',
  );
}

async function httpsFetch(url: URL, init: RequestInit, agent: Agent): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortReason(signal);
  const body = requestBody(init.body);
  const headers = new Headers(init.headers);
  if (body !== undefined) headers.set('Content-Length', String(Buffer.byteLength(body)));
  if (init.body instanceof URLSearchParams && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/x-www-form-urlencoded;charset=UTF-8');
  }
  const method = (init.method ?? 'GET').toUpperCase();
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, { method, headers: Object.fromEntries(headers), agent });
    const abort = () => {
      const reason = abortReason(signal);
      reject(reason);
      req.destroy(reason); // Also ends a body still streaming.
    };
    signal?.addEventListener('abort', abort, { once: true });
    req.on('close', () => signal?.removeEventListener('abort', abort));
    // The shape Node's fetch fails with, so callers read the reason (a certificate error) in `cause`.
    req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
    req.on('response', (res) => {
      try {
        resolve(toResponse(res, method, init.redirect ?? 'follow'));
      } catch (error) {
        res.destroy();
        reject(error instanceof Error ? error : new TypeError(String(error)));
      }
    });
    req.end(body);
  });
}

/** What fetch rejects with: the signal's reason (a TimeoutError for AbortSignal.timeout). */
function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

function requestBody(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError('fetchTrusting sends text or form bodies only');
}

function toResponse(res: IncomingMessage, method: string, redirect: RequestInit['redirect']): Response {
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location !== undefined && redirect !== 'manual') {
    throw new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
  }
  const empty = method === 'HEAD' || NULL_BODY.has(status);
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers: headersOf(res) });
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] ?? '', raw[i + 1] ?? '');
  return headers;
}
