/**
 * How the SonarQube client's calls travel, over the HTTP floor (core/http/): the credential as
 * Bearer, or as basic auth for a Server before 10.0 that refuses Bearer (switched to once, then
 * kept: see `authScheme`); retries for calls safe to repeat (at most 3 attempts, growing jittered
 * waits, Retry-After honoured up to 30 s) on 429/502/503/504 and transient network failures, never
 * for a generate; redirects refused, and where a GET's redirect points looked at without the
 * credential; answers read up to 8 MB; and every failure worded as a person can act on it, the
 * server's own words kept where it has any.
 */
import { z } from 'zod';
import { VaultError } from '@core/errors';
import { networkCause } from '@core/http/network';
import { retryAfterMs } from '@core/http/retry-after';
import { BodyTooLarge, discard, readCapped, realSleep, retrying, timedFetch } from '@core/http/transport';
import type { Fetch } from '@core/ports';
import { clockTime, duration } from '@core/wording';
import {
  foreignChallenge,
  isSignInLocation,
  isSignInPage,
  locationHost,
  ssoGatewayError,
} from './sso-gateway';

export type AuthScheme = 'bearer' | 'basic';

export interface ClientOptions {
  baseUrl: string;
  fetch: Fetch;
  /** The credential; absent for the unauthenticated probes (version). */
  token?: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Waits between attempts; tests inject one that does not wait. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** The server's version when already known: spares the probe a basic-auth fallback needs. */
  serverVersion?: string;
  /** The scheme an earlier client settled on (see `authScheme`). Default 'bearer'. */
  authScheme?: AuthScheme;
  /** The longest answer body read (default 8 MB). */
  maxBodyBytes?: number;
  /** Attempts per call, retries included (default 3); 1 for a probe that must send one request. */
  maxAttempts?: number;
  /** False: never switch to basic auth (SonarQube Cloud takes Bearer; a probe sends one request). */
  basicFallback?: boolean;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** The vault's calls get a few KB back (a page of 500 organizations, well under 1 MB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_ATTEMPTS = 3;
/** Backoff before attempt n+1 is drawn from [BASE·2^(n-1)/2, BASE·2^(n-1)): always growing. */
const BASE_DELAY_MS = 1_000;
/** Longest wait we sit through; a server asking for more is reported at once instead. */
const MAX_WAIT_MS = 30_000;

/**
 * Which failures a call may retry.
 * - idempotent (reads): 429, 502, 503, 504 and transient network failures.
 * - refused (revoke): only 429 and 503, where the server (or the proxy) answered without acting.
 *   Revoke is idempotent on SonarQube, but a revoke whose answer was lost may have revoked the very
 *   token we authenticate with: its repeat would get 401 and report a revoke that succeeded as failed.
 * - never (generate): not idempotent; a generate that timed out may have created the token, and a
 *   second one would fail on the name or create a twin whose value nobody sees.
 */
export type RetryPolicy = 'idempotent' | 'refused' | 'never';

const RETRY_STATUSES: Record<RetryPolicy, readonly number[]> = {
  idempotent: [429, 502, 503, 504],
  refused: [429, 503],
  never: [],
};

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string | undefined>;
  retry: RetryPolicy;
}

export function get(path: string, params?: Record<string, string | undefined>): Call {
  return { method: 'GET', path, params, retry: 'idempotent' };
}

/** A response and how many attempts it took, for the final error's wording. */
interface Sent {
  response: Response;
  attempts: number;
}

type Attempt = { response: Response } | { failure: VaultError; transient: boolean };

const ErrorBody = z.object({ errors: z.array(z.object({ msg: z.string() })).min(1) });

export class SonarQubeTransport {
  readonly host: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private scheme: AuthScheme;
  private knownVersion: string | undefined;

  constructor(private readonly options: ClientOptions) {
    this.host = new URL(options.baseUrl).host;
    this.sleep = options.sleep ?? realSleep;
    this.scheme = options.authScheme ?? 'bearer';
    this.knownVersion = options.serverVersion;
  }

  /** How the token is sent now: 'basic' once an old server refused Bearer. Store it with the account. */
  get authScheme(): AuthScheme {
    return this.scheme;
  }

  get hasToken(): boolean {
    return Boolean(this.options.token);
  }

  /** `api/server/version`: also the "is this SonarQube at all?" probe the basic-auth fallback needs. */
  async version(): Promise<string> {
    // Public: no basic-auth fallback here (it would probe this very endpoint).
    const { response, attempts } = await this.withRetries(get('api/server/version'));
    // Still failing after the retries: a busy server or proxy, not proof that this is not SonarQube.
    if (RETRY_STATUSES.idempotent.includes(response.status)) throw await this.failure(response, attempts);
    const text = (await this.read(response)).trim();
    if (!response.ok || !/^\d+(\.\d+)+/.test(text)) throw this.notSonarQube(response.status, response, text);
    this.knownVersion = text;
    return text;
  }

  /** The call's answer, checked against `schema`; anything else is not SonarQube's answer. */
  async json<T>(call: Call, schema: z.ZodType<T>): Promise<T> {
    const { response, attempts } = await this.request(call);
    if (!response.ok) throw await this.failure(response, attempts);
    const text = await this.read(response);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.notSonarQube(response.status, response, text);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.notSonarQube(response.status);
    return parsed.data;
  }

  /** A call whose answer has no body worth reading (revoke). */
  async send(call: Call): Promise<void> {
    const { response, attempts } = await this.request(call);
    if (!response.ok) throw await this.failure(response, attempts);
    await discard(response);
  }

  /** Sends with retries; once more with basic auth when an old server refused the Bearer token. */
  private async request(call: Call): Promise<Sent> {
    const sent = await this.withRetries(call);
    if (sent.response.status !== 401 || !(await this.fallBackToBasic())) return sent;
    await discard(sent.response);
    return this.withRetries(call);
  }

  /** Switches to basic auth if Bearer cannot work here (a Server before 10.0); true if it did. */
  async fallBackToBasic(): Promise<boolean> {
    if (!this.options.token || this.scheme === 'basic' || this.options.basicFallback === false) return false;
    if (this.knownVersion === undefined) {
      try {
        await this.version();
      } catch {
        return false; // Cannot tell: keep the 401 as it is.
      }
    }
    const major = Number(/^(\d+)\./.exec(this.knownVersion ?? '')?.[1]);
    if (!(major < 10)) return false;
    this.scheme = 'basic';
    return true;
  }

  private async withRetries(call: Call): Promise<Sent> {
    const { outcome, attempts } = await retrying<Attempt>({
      attempts: this.options.maxAttempts ?? MAX_ATTEMPTS,
      sleep: this.sleep,
      attempt: () => this.attempt(call),
      again: (outcome, n) => {
        if ('failure' in outcome)
          return outcome.transient && call.retry === 'idempotent' ? backoffMs(n) : null;
        if (!RETRY_STATUSES[call.retry].includes(outcome.response.status)) return null;
        return this.retryDelay(outcome.response, n);
      },
      drop: async (outcome) => {
        if ('response' in outcome) await discard(outcome.response);
      },
    });
    if ('failure' in outcome) throw withAttempts(outcome.failure, attempts);
    return { response: outcome.response, attempts };
  }

  /** Retry-After when the server sent one (refusing waits over MAX_WAIT_MS), else backoff. */
  private retryDelay(response: Response, attempt: number): number {
    const asked = retryAfterMs(response.headers.get('Retry-After'), Date.now());
    if (asked === null) return backoffMs(attempt);
    if (asked > MAX_WAIT_MS) throw this.busy(response, asked);
    return asked;
  }

  private async attempt(call: Call): Promise<Attempt> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(call.params ?? {}))
      if (value !== undefined) query.set(key, value);
    let url = `${this.options.baseUrl}/${call.path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    const authorization = this.authorization();
    if (authorization) headers.Authorization = authorization;
    let body: string | undefined;
    if (call.method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = query.toString();
    } else if (query.size > 0) {
      url += `?${query.toString()}`;
    }
    try {
      const response = await timedFetch(
        this.options.fetch,
        url,
        { method: call.method, headers, body },
        this.timeoutMs,
      );
      return { response };
    } catch (error) {
      // A GET can be asked again, without the credential, to see where the redirect points.
      if (networkCause(error).kind === 'redirect' && call.method === 'GET') {
        return { failure: await this.redirected(url, call.path), transient: false };
      }
      return this.networkFailure(error);
    }
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Why a GET was redirected: the same URL asked again without the credential and with
   * `redirect: 'manual'`, which shows the Location without going there. A sign-in page is said as
   * such; the same API path elsewhere names that address. Nothing more to learn (Electron's fetch
   * may hide the Location): the plain redirect refusal.
   */
  private async redirected(url: string, path: string): Promise<VaultError> {
    let location: string | null = null;
    try {
      const response = await this.options.fetch(url, {
        method: 'GET',
        headers: { Accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.status >= 300 && response.status < 400) location = response.headers.get('Location');
      await discard(response);
    } catch {
      // Nothing more to learn.
    }
    const target = location === null ? null : parseUrl(location, url);
    if (target === null) return this.redirectRefusal();
    // The same API path elsewhere (http -> https, another context path): that is the address.
    const suffix = `/${path}`;
    if (target.pathname.endsWith(suffix) && /^https?:$/.test(target.protocol)) {
      const base = `${target.origin}${target.pathname.slice(0, -suffix.length)}`;
      return new VaultError(
        'unreachable',
        `${this.host} answered with a redirect, which the vault does not follow: it points to ${base}; if that is your SonarQube, enter that address.`,
      );
    }
    if (isSignInLocation(target.href, url)) {
      return ssoGatewayError(this.host, `a redirect to ${locationHost(target.href, url)}`);
    }
    return this.redirectRefusal();
  }

  /** Redirects are never followed (a credential must reach only its own host). */
  private redirectRefusal(): VaultError {
    return new VaultError(
      'unreachable',
      `${this.host} answered with a redirect, which the vault does not follow: enter the address your SonarQube is served from, as your browser shows it after the redirect.`,
    );
  }

  authorization(): string | undefined {
    const token = this.options.token;
    if (!token) return undefined;
    // Older Servers take the token as the basic-auth login with an empty password.
    return this.scheme === 'basic'
      ? `Basic ${Buffer.from(`${token}:`, 'utf8').toString('base64')}`
      : `Bearer ${token}`;
  }

  /**
   * The body as text, streamed: past the cap the rest is not read (the connection is dropped) and
   * the answer is refused. A body cut short by the timeout or the network fails as a request does.
   */
  private async read(response: Response): Promise<string> {
    const max = this.options.maxBodyBytes ?? MAX_BODY_BYTES;
    try {
      return new TextDecoder().decode(await readCapped(response, max));
    } catch (error) {
      if (error instanceof BodyTooLarge) throw this.tooLarge(max);
      throw this.networkFailure(error).failure;
    }
  }

  /** The server's own words from an error answer, if it has any in SonarQube's shape. */
  private async serverMessage(response: Response): Promise<{ message: string | null; text: string }> {
    let text: string;
    try {
      text = await this.read(response);
    } catch (error) {
      // An answer too large to be SonarQube's says so; one cut short simply has no message.
      if (error instanceof VaultError && error.code === 'not-sonarqube') throw error;
      return { message: null, text: '' };
    }
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(text));
      return { message: parsed.success ? parsed.data.errors.map((e) => e.msg).join(' ') : null, text };
    } catch {
      return { message: null, text };
    }
  }

  private tooLarge(max: number): VaultError {
    return new VaultError(
      'not-sonarqube',
      `The answer of ${this.host} was over ${size(max)}: not an answer the vault expects from SonarQube.`,
    );
  }

  async failure(response: Response, attempts = 1): Promise<VaultError> {
    const { message: serverMessage, text } = await this.serverMessage(response);
    switch (response.status) {
      case 401:
        // A gateway's challenge or login page, not SonarQube's (its 401 is bare): said as such.
        return (serverMessage === null ? this.ssoGateway(response, text) : null) ?? unauthorized();
      case 403:
        return (
          (serverMessage === null ? this.ssoGateway(response, text) : null) ??
          new VaultError('forbidden', serverMessage ?? 'Insufficient privileges')
        );
      case 404:
        return serverMessage
          ? new VaultError('not-found', serverMessage)
          : this.notSonarQube(response.status, response, text);
      case 400:
      case 409:
      case 413:
        return new VaultError('rejected', serverMessage ?? `The server refused the request.`);
      default: {
        const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
        const message =
          serverMessage === null
            ? `${this.host} answered ${response.status} ${response.statusText}`.trim() +
              tries +
              (response.status >= 500 ? ': the server or a proxy in front of it failed.' : '.')
            : withAttempts(new VaultError('server-error', serverMessage), attempts).message;
        return new VaultError('server-error', message + this.retryHint(response));
      }
    }
  }

  /** When the server said when to come back (429, 503), say it too. */
  private retryHint(response: Response): string {
    const asked = retryAfterMs(response.headers.get('Retry-After'), Date.now());
    return asked === null ? '' : ` It asks to be tried again after ${clockTime(Date.now() + asked)}.`;
  }

  /** The server asked us to wait longer than we will: say when to try again instead. */
  private busy(response: Response, waitMs: number): VaultError {
    const status = `${response.status} ${response.statusText}`.trim();
    return new VaultError(
      'server-error',
      `${this.host} is busy (${status}) and asks to wait ${duration(waitMs)}: try again after ${clockTime(Date.now() + waitMs)}.`,
    );
  }

  /**
   * Not SonarQube: a sign-in page or gateway that answered in its place is said as such (see
   * sso-gateway.ts); anything else is "not as a SonarQube server does".
   */
  notSonarQube(status: number, response?: Response, text = ''): VaultError {
    const gateway = response ? this.ssoGateway(response, text) : null;
    if (gateway) return gateway;
    return new VaultError(
      'not-sonarqube',
      `${this.host} answered (${status}), but not as a SonarQube server does. Check the URL, including any context path such as /sonarqube.`,
    );
  }

  /** A sign-in page, or a challenge SonarQube never sends, in place of SonarQube's answer; else null. */
  private ssoGateway(response: Response, text: string): VaultError | null {
    const challenge =
      response.status === 401 ? foreignChallenge(response.headers.get('WWW-Authenticate')) : null;
    if (challenge) return ssoGatewayError(this.host, `a ${challenge} sign-in challenge (401)`);
    if (isSignInPage(response.headers.get('Content-Type'), text, this.options.baseUrl)) {
      return ssoGatewayError(this.host, `a login form (${response.status})`);
    }
    return null;
  }

  private networkFailure(error: unknown): { failure: VaultError; transient: boolean } {
    const cause = networkCause(error);
    if (cause.kind === 'timeout') {
      return { failure: new VaultError('timeout', `${this.host} did not answer in time.`), transient: true };
    }
    // Redirects are never followed (a credential must reach only its own host); asking again
    // changes nothing, so it is said plainly and not retried.
    if (cause.kind === 'redirect') return { failure: this.redirectRefusal(), transient: false };
    const said =
      cause.kind === 'certificate' ? `${cause.code}: ${cause.certificate}` : (cause.code ?? cause.message);
    return {
      failure: new VaultError('unreachable', `Could not reach ${this.host}${said ? ` (${said})` : ''}.`),
      // A wrong host name or port, a certificate: asking again within seconds changes nothing.
      transient: !['certificate', 'refused', 'no-host'].includes(cause.kind),
    };
  }
}

function parseUrl(text: string, base: string): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}

export function unauthorized(): VaultError {
  return new VaultError(
    'unauthorized',
    'The server did not accept the token (401): it may be mistyped, expired or revoked.',
  );
}

/** "… did not answer in time." → "… did not answer in time after 3 attempts." */
function withAttempts(error: VaultError, attempts: number): VaultError {
  if (attempts <= 1) return error;
  return new VaultError(error.code, `${error.message.replace(/\.$/, '')} after ${attempts} attempts.`);
}

/** Exponential backoff with jitter, drawn from [ceiling/2, ceiling): each wait longer than the last. */
function backoffMs(attempt: number): number {
  const ceiling = BASE_DELAY_MS * 2 ** (attempt - 1);
  return Math.floor(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < 1024 * 1024 ? `${Math.floor(bytes / 1024)} KB` : `${Math.floor(bytes / (1024 * 1024))} MB`;
}
