/**
 * A SonarQube Web API client (Server, Community Build and Cloud), for the calls the vault makes.
 * fetch is injected: Electron's net.fetch in the app, Node's fetch in tests. Every failure becomes
 * a VaultError whose message a person can act on; the server's own words are kept where it has any.
 *
 * Corporate networks and older servers: calls that are safe to repeat are retried (at most 3
 * attempts, exponential backoff with jitter, Retry-After honoured) on 429/502/503/504 and on
 * transient network failures; a generate is never repeated. A Server before 10.0 refuses Bearer:
 * on a 401 there, the client switches to basic auth once and keeps it (see `authScheme`).
 *
 * Answers are read as streams, up to a cap: a server (or something posing as one) that sends more
 * is cut off there, never buffered whole.
 */
import { z } from 'zod';
import { TOKEN_TYPES, type TokenType } from '@contract';
import { VaultError } from '@core/errors';
import type { Fetch } from '@core/ports';
import {
  foreignChallenge,
  isSignInLocation,
  isSignInPage,
  locationHost,
  signInProxyError,
} from './sso-gateway';

/** One e-mail address and nothing else: no spaces, no second address, nothing a URL would read as its own. */
export const PLAIN_ADDRESS = /^[^\s@"<>()[\]\\,;:?&#%/]{1,64}@[^\s@"<>()[\]\\,;:?&#%/]{1,253}$/;

const ServerToken = z.object({
  name: z.string(),
  type: z.enum(TOKEN_TYPES).optional().catch(undefined),
  project: z.object({ key: z.string(), name: z.string().optional() }).optional(),
  createdAt: z.string().optional(),
  lastConnectionDate: z.string().optional(),
  expirationDate: z.string().optional(),
  isExpired: z.boolean().optional(),
});
export type ServerToken = z.infer<typeof ServerToken>;

const TokenSearch = z.object({ login: z.string(), userTokens: z.array(ServerToken) });

const CurrentUser = z.object({
  isLoggedIn: z.boolean(),
  login: z.string().optional(),
  name: z.string().optional(),
  permissions: z.object({ global: z.array(z.string()) }).optional(),
});

const Generated = z.object({
  login: z.string(),
  name: z.string(),
  token: z.string().min(1),
  createdAt: z.string().optional(),
  type: z.enum(TOKEN_TYPES).optional().catch(undefined),
  projectKey: z.string().optional(),
  expirationDate: z.string().optional(),
});
export type GeneratedToken = z.infer<typeof Generated>;

const Organizations = z.object({
  organizations: z.array(z.object({ key: z.string(), name: z.string().optional() })),
  paging: z.object({ pageIndex: z.number(), pageSize: z.number(), total: z.number() }).optional(),
});

const Components = z.object({
  components: z.array(z.object({ key: z.string(), name: z.string().optional() })),
});

/**
 * api/users/search. `email` and `tokensCount` come only to administrators; an e-mail that is not a
 * plain address (a hostile server's) is dropped, since it ends up in a mailto: link.
 */
const UserSearch = z.object({
  users: z.array(
    z.object({
      login: z.string(),
      name: z.string().optional().catch(undefined),
      email: z.string().regex(PLAIN_ADDRESS).optional().catch(undefined),
      active: z.boolean().optional().catch(undefined),
      tokensCount: z.number().int().nonnegative().optional().catch(undefined),
    }),
  ),
  paging: z.object({ pageIndex: z.number(), pageSize: z.number(), total: z.number() }),
});

const SettingValues = z.object({
  settings: z.array(z.object({ key: z.string(), value: z.string().optional() })),
});

const GlobalNavigation = z.object({
  edition: z.string().optional().catch(undefined),
  version: z.string().optional().catch(undefined),
});

const ErrorBody = z.object({ errors: z.array(z.object({ msg: z.string() })).min(1) });

export interface User {
  login: string;
  name: string;
  isAdmin: boolean;
}

/** A user as the server's user search lists them. */
export interface ServerUser {
  login: string;
  name: string;
  email?: string | undefined;
  active: boolean;
  /** How many tokens they have: administrators are told, others are not (undefined). */
  tokensCount?: number | undefined;
}

export interface UserPage {
  users: ServerUser[];
  total: number;
  page: number;
  pageSize: number;
}

export interface GenerateParams {
  name: string;
  type: TokenType;
  projectKey?: string | undefined;
  expirationDate?: string | undefined;
  login?: string | undefined;
}

export type AuthScheme = 'bearer' | 'basic';

export const MAX_TOKEN_LIFETIMES = ['30 days', '90 days', '1 year', 'No expiration'] as const;
export type MaxTokenLifetime = (typeof MAX_TOKEN_LIFETIMES)[number];

/** The cap in days; null for 'No expiration'. */
export function lifetimeDays(lifetime: MaxTokenLifetime): number | null {
  const days: Record<MaxTokenLifetime, number | null> = {
    '30 days': 30,
    '90 days': 90,
    '1 year': 365,
    'No expiration': null,
  };
  return days[lifetime];
}

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
const LIFETIME_SETTING = 'sonar.auth.token.max.allowed.lifetime';
const PROJECT_PAGE_SIZE = '50';

/**
 * Which failures a call may retry.
 * - idempotent (reads): 429, 502, 503, 504 and transient network failures.
 * - refused (revoke): only 429 and 503, where the server (or the proxy) answered without acting.
 *   Revoke is idempotent on SonarQube, but a revoke whose answer was lost may have revoked the very
 *   token we authenticate with: its repeat would get 401 and report a revoke that succeeded as failed.
 * - never (generate): not idempotent; a generate that timed out may have created the token, and a
 *   second one would fail on the name or create a twin whose value nobody sees.
 */
type RetryPolicy = 'idempotent' | 'refused' | 'never';

const RETRY_STATUSES: Record<RetryPolicy, readonly number[]> = {
  idempotent: [429, 502, 503, 504],
  refused: [429, 503],
  never: [],
};

interface Call {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string | undefined>;
  retry: RetryPolicy;
}

/** A response and how many attempts it took, for the final error's wording. */
interface Sent {
  response: Response;
  attempts: number;
}

type Attempt = { response: Response } | { failure: VaultError; transient: boolean };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SonarQubeClient {
  private readonly host: string;
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

  /** `api/server/version`: also our "is this SonarQube at all?" probe. */
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

  /** The identity behind the token. `isLoggedIn: false` means the token was not accepted. */
  async currentUser(): Promise<User> {
    const call = get('api/users/current');
    let user = await this.json(call, CurrentUser);
    // Servers before 10.0 ignore a Bearer header here: anonymous (isLoggedIn false), not 401.
    if (!user.isLoggedIn && (await this.fallBackToBasic())) user = await this.json(call, CurrentUser);
    if (!user.isLoggedIn || !user.login) throw unauthorized();
    return {
      login: user.login,
      name: user.name ?? user.login,
      isAdmin: user.permissions?.global.includes('admin') ?? false,
    };
  }

  /** The same as currentUser(). */
  authenticatedAs(): Promise<User> {
    return this.currentUser();
  }

  async searchTokens(login?: string): Promise<{ login: string; tokens: ServerToken[] }> {
    const result = await this.json(get('api/user_tokens/search', { login }), TokenSearch);
    return { login: result.login, tokens: result.userTokens };
  }

  /**
   * Never retried (see RetryPolicy). A 401 may still be repeated with basic auth: the server refused
   * the credential before acting.
   */
  async generateToken(params: GenerateParams): Promise<GeneratedToken> {
    const call: Call = {
      method: 'POST',
      path: 'api/user_tokens/generate',
      retry: 'never',
      params: {
        name: params.name,
        type: params.type,
        projectKey: params.projectKey,
        expirationDate: params.expirationDate,
        login: params.login,
      },
    };
    try {
      return await this.json(call, Generated);
    } catch (error) {
      throw mayHaveBeenCreated(error);
    }
  }

  async revokeToken(name: string, login?: string): Promise<void> {
    const call: Call = {
      method: 'POST',
      path: 'api/user_tokens/revoke',
      params: { name, login },
      retry: 'refused',
    };
    const { response, attempts } = await this.request(call);
    if (!response.ok) throw await this.failure(response, attempts);
    await discard(response);
  }

  /** Cloud: the organizations the user is a member of (every page, bounded). */
  async memberOrganizations(): Promise<{ key: string; name: string }[]> {
    const found: { key: string; name: string }[] = [];
    for (let page = 1; page <= 20; page++) {
      const result = await this.json(
        get('api/organizations/search', { member: 'true', p: String(page), ps: '500' }),
        Organizations,
      );
      found.push(...result.organizations.map((o) => ({ key: o.key, name: o.name ?? o.key })));
      const total = result.paging?.total ?? found.length;
      if (found.length >= total || result.organizations.length === 0) break;
    }
    return found;
  }

  /**
   * Projects for a picker (first 50 matches). api/projects/search needs Administer: for everyone
   * else (403) api/components/search lists the projects they may browse. Cloud needs `organization`.
   */
  async searchProjects(query: string, organization?: string): Promise<{ key: string; name: string }[]> {
    const q = query.trim() || undefined;
    try {
      const found = await this.json(
        get('api/projects/search', { q, ps: PROJECT_PAGE_SIZE, organization }),
        Components,
      );
      return found.components.map(named);
    } catch (error) {
      if (!(error instanceof VaultError && error.code === 'forbidden')) throw error;
    }
    return this.searchComponents(q, organization);
  }

  /**
   * One page of the server's active users whose login, name or e-mail contains `query` (SonarQube
   * Server; administrators see e-mails and token counts). `ps` is at most 500 there.
   */
  async searchUsers(params: {
    query?: string | undefined;
    page: number;
    pageSize: number;
  }): Promise<UserPage> {
    const q = params.query?.trim() || undefined;
    const found = await this.json(
      get('api/users/search', { q, p: String(params.page), ps: String(Math.min(params.pageSize, 500)) }),
      UserSearch,
    );
    return {
      users: found.users.map((u) => ({
        login: u.login,
        name: u.name ?? u.login,
        email: u.email,
        active: u.active ?? true,
        tokensCount: u.tokensCount,
      })),
      total: found.paging.total,
      page: found.paging.pageIndex,
      pageSize: found.paging.pageSize,
    };
  }

  /** The admin's cap on new tokens. Absent (Community, Developer, Cloud), hidden or unknown: no cap. */
  async maxTokenLifetime(): Promise<MaxTokenLifetime> {
    let answer: z.infer<typeof SettingValues>;
    try {
      answer = await this.json(get('api/settings/values', { keys: LIFETIME_SETTING }), SettingValues);
    } catch (error) {
      if (error instanceof VaultError && (error.code === 'forbidden' || error.code === 'not-found')) {
        return 'No expiration';
      }
      throw error;
    }
    const value = answer.settings.find((s) => s.key === LIFETIME_SETTING)?.value;
    // A value we do not know still binds: the server then refuses a generate in its own words.
    return MAX_TOKEN_LIFETIMES.find((known) => known === value) ?? 'No expiration';
  }

  /**
   * api/navigation/global as this client asks it (without a token: as the sign-in page does). A
   * Server names its version there; SonarQube Cloud does not.
   */
  async navigation(): Promise<{ edition: string | null; version: string | null }> {
    const answer = await this.json(get('api/navigation/global'), GlobalNavigation);
    return { edition: answer.edition ?? null, version: answer.version ?? null };
  }

  /** 'community', 'developer', 'enterprise', 'datacenter' on Server; null on Cloud or when not said. */
  async edition(): Promise<string | null> {
    try {
      return (await this.json(get('api/navigation/global'), GlobalNavigation)).edition ?? null;
    } catch (error) {
      if (error instanceof VaultError && error.code === 'not-found') return null;
      throw error;
    }
  }

  /** components/search refuses a `q` under 2 characters: then ask without it and filter here. */
  private async searchComponents(
    q: string | undefined,
    organization: string | undefined,
  ): Promise<{ key: string; name: string }[]> {
    const short = q !== undefined && q.length < 2;
    const found = await this.json(
      get('api/components/search', {
        qualifiers: 'TRK',
        q: short ? undefined : q,
        ps: PROJECT_PAGE_SIZE,
        organization,
      }),
      Components,
    );
    const projects = found.components.map(named);
    if (!short) return projects;
    const needle = q.toLowerCase();
    return projects.filter((p) => `${p.key}\n${p.name}`.toLowerCase().includes(needle));
  }

  private async json<T>(call: Call, schema: z.ZodType<T>): Promise<T> {
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

  /** Sends with retries; once more with basic auth when an old server refused the Bearer token. */
  private async request(call: Call): Promise<Sent> {
    const sent = await this.withRetries(call);
    if (sent.response.status !== 401 || !(await this.fallBackToBasic())) return sent;
    await discard(sent.response);
    return this.withRetries(call);
  }

  /** Switches to basic auth if Bearer cannot work here (a Server before 10.0); true if it did. */
  private async fallBackToBasic(): Promise<boolean> {
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
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(call);
      const last = attempt >= (this.options.maxAttempts ?? MAX_ATTEMPTS);
      if ('failure' in outcome) {
        if (last || !outcome.transient || call.retry !== 'idempotent') {
          throw withAttempts(outcome.failure, attempt);
        }
        await this.sleep(backoffMs(attempt));
        continue;
      }
      const { response } = outcome;
      if (last || !RETRY_STATUSES[call.retry].includes(response.status))
        return { response, attempts: attempt };
      const wait = this.retryDelay(response, attempt);
      await discard(response);
      await this.sleep(wait);
    }
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
      const response = await this.options.fetch(url, {
        method: call.method,
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      return { response };
    } catch (error) {
      // A GET can be asked again, without the credential, to see where the redirect points.
      if (isRedirectRefusal(error) && call.method === 'GET') {
        return { failure: await this.redirected(url, call.path), transient: false };
      }
      return this.networkFailure(error);
    }
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
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
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
      return signInProxyError(this.host, `a redirect to ${locationHost(target.href, url)}`);
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

  private authorization(): string | undefined {
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
    if (Number(response.headers.get('Content-Length')) > max) {
      await discard(response);
      throw this.tooLarge(max);
    }
    const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
    if (!reader) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        size += chunk.value.byteLength;
        if (size > max) {
          await reader.cancel().catch(() => undefined);
          throw this.tooLarge(max);
        }
        chunks.push(chunk.value);
      }
    } catch (error) {
      throw error instanceof VaultError ? error : this.networkFailure(error).failure;
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
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

  private async failure(response: Response, attempts = 1): Promise<VaultError> {
    const { message: serverMessage, text } = await this.serverMessage(response);
    switch (response.status) {
      case 401:
        // A gateway's challenge or login page, not SonarQube's (its 401 is bare): said as such.
        return (serverMessage === null ? this.signInProxy(response, text) : null) ?? unauthorized();
      case 403:
        return (
          (serverMessage === null ? this.signInProxy(response, text) : null) ??
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
  private notSonarQube(status: number, response?: Response, text = ''): VaultError {
    const proxy = response ? this.signInProxy(response, text) : null;
    if (proxy) return proxy;
    return new VaultError(
      'not-sonarqube',
      `${this.host} answered (${status}), but not as a SonarQube server does. Check the URL, including any context path such as /sonarqube.`,
    );
  }

  /** A sign-in page, or a challenge SonarQube never sends, in place of SonarQube's answer; else null. */
  private signInProxy(response: Response, text: string): VaultError | null {
    const challenge =
      response.status === 401 ? foreignChallenge(response.headers.get('WWW-Authenticate')) : null;
    if (challenge) return signInProxyError(this.host, `a ${challenge} sign-in challenge (401)`);
    if (isSignInPage(response.headers.get('Content-Type'), text, this.options.baseUrl)) {
      return signInProxyError(this.host, `a login form (${response.status})`);
    }
    return null;
  }

  private networkFailure(error: unknown): { failure: VaultError; transient: boolean } {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return { failure: new VaultError('timeout', `${this.host} did not answer in time.`), transient: true };
    }
    // Redirects are never followed (a credential must reach only its own host); asking again
    // changes nothing, so it is said plainly and not retried.
    if (isRedirectRefusal(error)) return { failure: this.redirectRefusal(), transient: false };
    const code = causeCode(error);
    const certificate = code === null ? null : certificateProblem(code);
    const cause = certificate === null ? describeCause(error) : `${code}: ${certificate}`;
    return {
      failure: new VaultError('unreachable', `Could not reach ${this.host}${cause ? ` (${cause})` : ''}.`),
      transient: certificate === null && !(code !== null && PERMANENT_CAUSES.has(code)),
    };
  }
}

function get(path: string, params?: Record<string, string | undefined>): Call {
  return { method: 'GET', path, params, retry: 'idempotent' };
}

function parseUrl(text: string, base: string): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}

function named(component: { key: string; name?: string | undefined }): { key: string; name: string } {
  return { key: component.key, name: component.name ?? component.key };
}

function unauthorized(): VaultError {
  return new VaultError(
    'unauthorized',
    'The server did not accept the token (401): it may be mistyped, expired or revoked.',
  );
}

/** A generate whose answer never came may still have created the token on the server. */
function mayHaveBeenCreated(error: unknown): unknown {
  if (!(error instanceof VaultError) || error.code !== 'timeout') return error;
  return new VaultError(
    'timeout',
    `${error.message} The token may have been created anyway: refresh the list before generating it again.`,
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

/** The last instant a Date holds, less a day: a wait is shown as the clock time it ends. */
const LATEST_SHOWABLE_MS = 8.64e15 - 86_400_000;

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) {
    // So many seconds that no date can say when they end is as unreadable as no number at all.
    const ms = Number(value) * 1000;
    return now + ms <= LATEST_SHOWABLE_MS ? ms : null;
  }
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.ceil(minutes / 60)} h`;
}

/** UTC, since the core does not know the user's time zone: `2026-09-01 10:17:30 UTC`. */
function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already consumed or closed: nothing to free.
  }
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < 1024 * 1024 ? `${Math.floor(bytes / 1024)} KB` : `${Math.floor(bytes / (1024 * 1024))} MB`;
}

/** Node's fetch says "unexpected redirect"; Chromium's net.fetch names ERR_UNSAFE_REDIRECT or similar. */
function isRedirectRefusal(error: unknown): boolean {
  const cause = causeOf(error);
  return cause instanceof Error && /redirect/i.test(`${cause.message} ${causeCode(error) ?? ''}`);
}

/** A wrong host name or port: asking again within seconds will not change the answer. */
const PERMANENT_CAUSES = new Set([
  'ENOTFOUND',
  'ECONNREFUSED',
  'ERR_NAME_NOT_RESOLVED', // Electron's net.fetch
  'ERR_CONNECTION_REFUSED',
]);

const UNTRUSTED_ISSUER =
  "its certificate is not signed by an authority this computer trusts; if your organization uses its own certificate authority, add that CA's certificate";

const CERTIFICATE_PROBLEMS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED_ISSUER,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED_ISSUER,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED_ISSUER,
  SELF_SIGNED_CERT_IN_CHAIN: UNTRUSTED_ISSUER,
  DEPTH_ZERO_SELF_SIGNED_CERT: "its certificate is self-signed; add that certificate as the server's CA",
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check this computer’s clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  // Electron's net.fetch (Chromium's names).
  ERR_CERT_AUTHORITY_INVALID: UNTRUSTED_ISSUER,
  ERR_CERT_DATE_INVALID: 'its certificate has expired or is not valid yet',
  ERR_CERT_COMMON_NAME_INVALID: 'its certificate is for another host name',
};

/** Words for a TLS certificate failure (never retried: it fails the same way until fixed), or null. */
function certificateProblem(code: string): string | null {
  const known = CERTIFICATE_PROBLEMS[code];
  if (known !== undefined) return known;
  return /CERT|SELF_SIGNED|^ERR_TLS_|^ERR_SSL_/.test(code) ? 'its TLS certificate was refused' : null;
}

function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof Error ? error.cause : error;
}

/** Node's `code` (ECONNRESET, CERT_HAS_EXPIRED…), or Chromium's from a `net::ERR_…` message. */
function causeCode(error: unknown): string | null {
  const cause = causeOf(error);
  if (!(cause instanceof Error)) return null;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return /\bnet::(ERR_[A-Z_]+)/.exec(cause.message)?.[1] ?? null;
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND, a certificate error) in `cause`. */
function describeCause(error: unknown): string {
  const cause = causeOf(error);
  if (!(cause instanceof Error)) return '';
  return causeCode(error) ?? cause.message;
}
