/**
 * What the GitHub and GitLab delivery clients share: the fetch the libraries are given, and how a
 * failure becomes a VaultError a person can act on.
 *
 * The fetch (`guardedFetch`) wraps the injected one: every attempt has a time limit, redirects are
 * never followed (a credential goes only to the address it was entered for), the answer is read whole
 * (up to a cap) inside the time limit, and a rate limit (429, or 403 with `Retry-After` or
 * `x-ratelimit-remaining: 0`) is waited out and the request sent again, at most 3 attempts in all, and
 * only when the wait asked for is no longer than `maxRetryWaitMs`. Nothing else is retried: a write cut
 * off may have landed, and the confirmation that follows every write says whether it did. A network
 * failure or a time-out is thrown as a VaultError, which the libraries carry through (octokit as the
 * `cause` of its error): `deliveryFailure` finds it there.
 *
 * Every message is sanitized: token-shaped text goes (redact.ts), and so does every secret the call
 * knows (the credential, and the value being delivered), whatever its shape.
 */
import { VaultError } from '@core/errors';
import { networkCause } from '@core/http/network';
import { retryAfterMs } from '@core/http/retry-after';
import { BodyTooLarge, readCapped, retrying, timedFetch, type Sleep } from '@core/http/transport';
import type { Fetch } from '@core/ports';
import { redact } from '@core/redact';
import { isLoopback } from '@core/sonarqube/regions';
import { clockTime, duration } from '@core/wording';

export const MAX_ATTEMPTS = 3;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;
/** GitHub and GitLab answer these calls with a few KB; anything past this is not their answer. */
const MAX_BODY_BYTES = 1024 * 1024;
/** A 429 that says nothing of when: GitHub asks to wait at least a minute. */
const UNSAID_WAIT_MS = 60_000;
/** The longest server message kept in a message. */
const MAX_SERVER_WORDS = 300;

export interface DeliveryClient {
  /** Checks the credential can write this target (GitHub: reads the public key; GitLab: reads the project/group). */
  check(): Promise<void>;
  /**
   * Writes the value, then confirms it arrived (GitHub: the secret's updated_at moved past the one
   * before the write — or the secret now exists; GitLab: the variable reads back equal,
   * masked/protected as asked).
   */
  deliver(value: string): Promise<void>;
}

/** The options with their defaults filled in, as the GitHub and GitLab clients take them. */
export interface ResolvedDeliveryOptions {
  fetch: Fetch;
  sleep: (ms: number) => Promise<void>;
  maxRetryWaitMs: number;
  timeoutMs: number;
}

/** Who is called, for what, and what must never be written down. */
export interface Where {
  service: 'GitHub' | 'GitLab';
  /** The API host, for network failures. */
  host: string;
  /** "GitHub acme/web · SONAR_TOKEN" */
  label: string;
  /** "acme/web", "acme/web (production)", "organization acme", "group/project" */
  place: string;
  /** What a 404 means here: "no repository acme/web". */
  missing: string;
  /** What a 403 means here: the permission the token lacks. */
  permission: string;
  /** The credential, and the value while one is delivered: scrubbed from every message. */
  secrets: string[];
}

export interface GuardOptions {
  fetch: Fetch;
  sleep: Sleep;
  maxRetryWaitMs: number;
  timeoutMs: number;
  where: Where;
}

/**
 * The fetch handed to octokit and to our gitbeaker requester (see the header). Its answers are
 * buffered copies, so a library reading them cannot fail half-way.
 */
export function guardedFetch(options: GuardOptions): Fetch {
  return async (input, init) => {
    const { outcome } = await retrying({
      attempts: MAX_ATTEMPTS,
      sleep: options.sleep,
      attempt: () => attemptOnce(options, input, init),
      again: ({ response, body }) => {
        // A 403 may say it is a (secondary) rate limit only in words.
        const words = response.status === 403 ? new TextDecoder().decode(body) : null;
        const wait = rateLimitWaitOf(response.status, response.headers, words);
        return wait === null || wait > options.maxRetryWaitMs ? null : wait;
      },
    });
    return outcome.response;
  };
}

async function attemptOnce(
  options: GuardOptions,
  input: string,
  init: RequestInit = {},
): Promise<{ response: Response; body: Uint8Array }> {
  const { where } = options;
  try {
    const response = await timedFetch(options.fetch, input, init, options.timeoutMs);
    const body = await readCapped(response, MAX_BODY_BYTES);
    // These statuses carry no body, and a Response refuses one for them.
    const empty = [101, 204, 205, 304].includes(response.status);
    const copy = new Response(empty ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    return { response: copy, body };
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      throw new VaultError(
        'server-error',
        `The answer of ${where.host} for ${where.label} was over ${MAX_BODY_BYTES / 1024 / 1024} MB: not an answer of ${where.service}'s API.`,
      );
    }
    if (networkCause(error).kind === 'timeout') {
      throw new VaultError(
        'timeout',
        sanitize(
          `${where.host} did not answer in time (${duration(options.timeoutMs)}) for ${where.label}.`,
          where.secrets,
        ),
      );
    }
    throw networkFailure(error, where);
  }
}

/**
 * How long a rate-limited answer asks us to wait, in ms; null when the answer is not a rate limit.
 * 429, or 403 with `Retry-After`, `x-ratelimit-remaining: 0` or GitHub's "rate limit" words (in
 * `words`, the body, when known). `Retry-After` first, else the reset instant (GitHub's
 * `x-ratelimit-reset`, GitLab's `RateLimit-Reset`, epoch seconds) measured on the server's own clock
 * (its `Date`), else a minute.
 */
export function rateLimitWaitOf(status: number, headers: Headers, words: string | null): number | null {
  const retryAfter = headers.get('retry-after');
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  const limited =
    status === 429 ||
    (status === 403 && (retryAfter !== null || remaining?.trim() === '0' || /rate limit/i.test(words ?? '')));
  if (!limited) return null;
  const serverNow = Date.parse(headers.get('date') ?? '');
  const now = Number.isFinite(serverNow) ? serverNow : Date.now();
  const asked = retryAfterMs(retryAfter, now);
  if (asked !== null) return asked;
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (reset !== null && /^\d+$/.test(reset.trim())) {
    // The reset instant is whole seconds: wait at least one, so the limit has surely moved on.
    return Math.max(1_000, Number(reset.trim()) * 1000 - now);
  }
  return UNSAID_WAIT_MS;
}

/** An HTTP answer a library refused, as both clients see it. */
export interface HttpFailure {
  status: number;
  statusText: string;
  headers: Headers;
  /** The body, parsed when it was JSON. */
  data: unknown;
}

/**
 * Any failure of a call as the VaultError to throw: one of ours found (itself or as a cause) is
 * kept; an HTTP answer is worded by its status; anything else is an internal error, worded
 * without its own text (it could hold anything).
 */
export function deliveryFailure(error: unknown, where: Where, http: HttpFailure | null): VaultError {
  const ours = findVaultError(error);
  if (ours) return new VaultError(ours.code, sanitize(ours.message, where.secrets));
  if (http) return statusFailure(http, where);
  const name = error instanceof Error ? error.name : typeof error;
  return new VaultError('internal', `Delivering to ${where.label} failed unexpectedly (${name}).`);
}

function findVaultError(error: unknown): VaultError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof VaultError) return current;
    current = current.cause;
  }
  return null;
}

function statusFailure(http: HttpFailure, where: Where): VaultError {
  const { service, place, label } = where;
  const words = serviceWords(http.data);
  const said = words ? ` ${service} said: “${words}”` : '';
  const make = (code: VaultError['code'], message: string) =>
    new VaultError(code, sanitize(message, where.secrets));
  const wait = rateLimitWaitOf(http.status, http.headers, words);
  if (wait !== null) {
    return make(
      'rejected',
      `${service} is limiting how often this access token may call it (${http.status}) and asks to wait ${duration(wait)}: try ${label} again after ${clockTime(Date.now() + wait)}.`,
    );
  }
  switch (http.status) {
    case 401:
      return make(
        'unauthorized',
        `${service} refused the access token for ${place} (401): it may be mistyped, expired or revoked.`,
      );
    case 403:
      return make(
        'forbidden',
        `${service} refused this access token for ${place} (403): ${where.permission}.${said}`,
      );
    case 404:
      return make(
        'not-found',
        `${service} found ${where.missing}, or this access token may not see it (404).`,
      );
    case 400:
    case 409:
    case 422:
      return make(
        'rejected',
        `${service} refused to store ${label} (${http.status}): ${words ?? 'it gave no reason'}.`.replace(
          /\.\.$/,
          '.',
        ),
      );
    default: {
      const status = `${http.status} ${http.statusText}`.trim();
      return http.status >= 500
        ? make(
            'server-error',
            `${service} (${where.host}) failed to answer for ${label} (${status}): try again later.${said}`,
          )
        : make(
            'server-error',
            `${service} answered ${status} for ${label}, which the vault did not expect.${said}`,
          );
    }
  }
}

/**
 * The service's own words from an error body: GitHub's `message` (and its `errors`), GitLab's
 * `message` (a string, or field -> problems) or `error_description` / `error`. Null when none.
 */
export function serviceWords(data: unknown): string | null {
  let text: string | null = null;
  if (typeof data === 'string') text = data.trim().startsWith('<') ? null : data;
  else if (data && typeof data === 'object') {
    const body = data as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof body.message === 'string') parts.push(body.message);
    else if (body.message && typeof body.message === 'object') {
      for (const [field, problems] of Object.entries(body.message as Record<string, unknown>)) {
        const list = Array.isArray(problems) ? problems.map(String).join(', ') : String(problems);
        parts.push(`${field} ${list}`);
      }
    }
    if (Array.isArray(body.errors)) {
      for (const item of body.errors) {
        if (typeof item === 'string') parts.push(item);
        else if (
          item &&
          typeof item === 'object' &&
          typeof (item as { message?: unknown }).message === 'string'
        )
          parts.push((item as { message: string }).message);
      }
    }
    if (parts.length === 0 && typeof body.error_description === 'string') parts.push(body.error_description);
    if (parts.length === 0 && typeof body.error === 'string') parts.push(body.error);
    text = parts.join('; ');
  }
  const clean = text?.replace(/\s+/g, ' ').trim();
  if (!clean) return null;
  return clean.length > MAX_SERVER_WORDS ? `${clean.slice(0, MAX_SERVER_WORDS)}…` : clean;
}

/** A header or query value as text: strings, numbers and booleans; anything else is left out. */
export function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${value}`;
  return null;
}

/** Token-shaped text out (redact.ts), then every secret this call holds, whatever its shape. */
export function sanitize(text: string, secrets: readonly string[]): string {
  let clean = redact(text);
  // Longest first, so a secret that contains another goes whole.
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    clean = clean.split(secret).join('[secret]');
  }
  return clean;
}

function networkFailure(error: unknown, where: Where): VaultError {
  const cause = networkCause(error);
  const why = {
    redirect:
      'it answered with a redirect, which the vault does not follow: check the API address, and the name, which may have changed',
    cut: 'the connection was cut',
    refused: 'the connection was refused',
    'no-host': 'no such host',
    certificate: `its TLS certificate was refused: ${cause.code}`,
    timeout: 'it did not answer in time',
    other: cause.code ?? (cause.message || 'network failure'),
  }[cause.kind];
  return new VaultError(
    'unreachable',
    sanitize(`Could not reach ${where.host} for ${where.label} (${why}).`, where.secrets),
  );
}

/**
 * The API address rule for a credential: https, or http to this computer only (tests, a local
 * proxy); no user name, password, query or fragment. Null when fine, else why not.
 */
export function apiUrlProblem(apiUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return 'The API address is not a URL.';
  }
  if (url.username || url.password) return 'The API address must not hold a user name or password.';
  if (url.search || url.hash) return 'The API address must not have a query or a fragment.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'The API address must use https: the access token would travel unencrypted.';
}
