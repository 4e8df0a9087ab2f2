/**
 * The HTTP floor every client of the vault stands on (SonarQube, GitHub, GitLab): each attempt has
 * a time limit, redirects are never followed (a credential goes only to the address it was entered
 * for), an answer is read as a stream up to a cap (past it the rest is not read), and a request is
 * sent again only when its client's policy says so, after the wait that policy chose.
 */
import type { Fetch } from '@core/ports';

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One attempt: a time limit (besides any signal of the caller's), and no redirect followed. */
export function timedFetch(
  fetch: Fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  return fetch(url, { ...init, redirect: 'error', signal });
}

/** Thrown by readCapped past the cap; each client says what that means for it. */
export class BodyTooLarge extends Error {
  constructor(readonly max: number) {
    super(`answer over ${max} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** The body, streamed, up to `max` bytes: past it (or a Content-Length over it) the rest is not read. */
export async function readCapped(response: Response, max: number): Promise<Uint8Array> {
  if (Number(response.headers.get('Content-Length')) > max) {
    await discard(response);
    throw new BodyTooLarge(max);
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(max);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}

/** Frees an answer not read. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already consumed or closed: nothing to free.
  }
}

/**
 * Up to `attempts` attempts: after each, `again` says how long to wait before the next one, or
 * null to answer this one (it may throw, to refuse a wait too long). The last attempt is answered.
 */
export async function retrying<T>(options: {
  attempts: number;
  sleep: Sleep;
  attempt: (n: number) => Promise<T>;
  again: (outcome: T, n: number) => number | null;
  /** Frees an outcome not answered (a response body). */
  drop?: (outcome: T) => Promise<void>;
}): Promise<{ outcome: T; attempts: number }> {
  for (let n = 1; ; n++) {
    const outcome = await options.attempt(n);
    const wait = n < options.attempts ? options.again(outcome, n) : null;
    if (wait === null) return { outcome, attempts: n };
    await options.drop?.(outcome);
    await options.sleep(wait);
  }
}
