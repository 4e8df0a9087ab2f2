/**
 * An in-memory imitation of SonarQube Server / SonarQube Cloud (Web API v1, token-related parts),
 * served over real HTTP on 127.0.0.1 for tests and for the demo preview.
 *
 * Faithful to /work/shared/sonarqube-api.md: routes, JSON shapes, `+0000` dates, error bodies
 * `{"errors":[{"msg":"..."}]}` with the server's wording, token value formats and expiry rules.
 * The clock is virtual so tests can move through days without waiting.
 */
import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import { TLSSocket } from 'node:tls';
import { signInPage } from './sign-in-page';

export type Flavour = 'server' | 'cloud';
export type TokenType = 'USER_TOKEN' | 'GLOBAL_ANALYSIS_TOKEN' | 'PROJECT_ANALYSIS_TOKEN';
export type MaxLifetime = '30 days' | '90 days' | '1 year' | 'No expiration';
export type Edition = 'community' | 'developer' | 'enterprise' | 'datacenter';

/**
 * What `server.fault(path, fault)` makes the next requests on a path meet instead of SonarQube:
 * - status: an answer such as a proxy gives (default body: the proxy's HTML error page);
 * - hang: the request is read and never answered (the client's timeout has to fire);
 * - malformed-json: 200 with a JSON content type and a truncated body;
 * - reset: the connection is reset (TCP RST) without an answer;
 * - huge: a JSON answer (status 200 unless told) of `bytes` bytes, streamed only as fast as the
 *   client reads it, with or without a Content-Length (`declared`); the request's record counts
 *   the bytes written (`bytesSent`), so a test sees where the client stopped reading;
 * - drip: 200 and a JSON body that never ends, one byte every `everyMs`;
 * - lost-answer: SonarQube acts on the request (a generate makes its token), then the connection
 *   is reset before the answer: what a client sees when the network drops the answer.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: string; contentType?: string }
  | { kind: 'hang' }
  | { kind: 'malformed-json' }
  | { kind: 'reset' }
  | { kind: 'huge'; bytes: number; status?: number; declared?: boolean }
  | { kind: 'drip'; everyMs: number }
  | { kind: 'lost-answer' };

export interface SeedToken {
  name: string;
  /** Generated in the flavour's format when absent. */
  value?: string;
  type?: TokenType;
  projectKey?: string;
  createdAt: Date | string;
  lastConnectionDate?: Date | string;
  /** Server flavour only; ignored on cloud (cloud tokens have no expiration date). */
  expirationDate?: Date | string;
}

export interface SeedUser {
  login: string;
  name: string;
  email?: string;
  admin?: boolean;
  tokens?: SeedToken[];
  /** Cloud: keys of the organizations the user is a member of. */
  organizations?: string[];
}

export interface TestServerOptions {
  flavour: Flavour;
  /** Default: server '10.7.0.96327', cloud '8.0.0.12345'. */
  version?: string;
  /** e.g. '/sonar': every route lives under it (and `url` includes it). */
  contextPath?: string;
  /** Initial virtual clock; default Date.now(). */
  now?: number | Date;
  users?: SeedUser[];
  projects?: { key: string; name: string; organization?: string }[];
  organizations?: { key: string; name: string }[];
  /** Server flavour only; default 'No expiration'. A cap needs Enterprise or above (see `edition`). */
  maxTokenLifetime?: MaxLifetime;
  /**
   * Server flavour only, reported by api/navigation/global. Default: 'enterprise' when
   * maxTokenLifetime sets a cap (only Enterprise and above can), else 'community'.
   */
  edition?: Edition;
  /**
   * Default true. False imitates a Server before 10.0, which knows only basic auth: a Bearer header
   * is refused with 401. Needs a `version` below 10.
   */
  bearerSupported?: boolean;
  /** Serve HTTPS with this key and certificate (see test/support/tls.ts) instead of HTTP. */
  tls?: { key: string; cert: string };
  /**
   * Who is signed in to this SonarQube in the test's browser: the sign-in page (`/sonarlint/auth`)
   * makes their token when "Allow" is clicked. None by default (see `signInInBrowser`).
   */
  browserUser?: string;
}

export interface RequestRecord {
  method: string;
  /** Path without the context path (the raw path when the request missed the context path). */
  path: string;
  /** Query and form parameters (form wins); anything that looks like a token value is redacted. */
  params: Record<string, string>;
  status: number;
  /** Login of the authenticated user, null when anonymous or rejected. */
  login: string | null;
  /** Set when a fault answered instead of SonarQube; status is then 0 for 'hang' and 'reset'. */
  fault?: Fault['kind'];
  /** 'huge' only: the body bytes written so far (all of them, unless the client stopped reading). */
  bytesSent?: number;
}

export interface TestServer {
  /** 'http://127.0.0.1:PORT' (https with the `tls` option) + contextPath, no trailing slash. */
  url: string;
  clock: {
    now(): number;
    set(t: number | Date): void;
    advance(ms: number): void;
    /** Reads the time from `source` from now on (the vault's fake clock: both stay in step); null stops. */
    follow(source: { now(): number } | null): void;
  };
  /** Adds a token to a user; returns its value. */
  addToken(login: string, seed: SeedToken): string;
  addUser(user: SeedUser): void;
  /** Every request received, in order. Never holds token values. */
  requests: RequestRecord[];
  /** Names of a user's tokens still existing on the server (after cloud-inactivity removal;
   *  expired server tokens stay listed, as on a real server, with isExpired true). */
  tokenNames(login: string): string[];
  /**
   * The next `times` requests on `path` (without the context path, e.g. '/api/users/current')
   * meet `fault` instead of SonarQube; then normal service resumes. Faults on a path queue up.
   * With `when`, only requests whose parameters include these values meet it (e.g. one user's
   * `login`), whatever order they come in.
   */
  fault(path: string, fault: Fault, times?: number, when?: Readonly<Params>): void;
  /**
   * Every request on `path` waits `ms` before it is answered (0: at once again), as a busy server
   * does; with `peakInFlight`, a test sees how many requests a client keeps open at once.
   */
  slowDown(path: string, ms: number): void;
  /** The most requests on `path` this server was answering at the same time. */
  peakInFlight(path: string): number;
  /** Signs a user in (or out, with null) in the test's browser, for the sign-in page. */
  signInInBrowser(login: string | null): void;
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const CLOUD_INACTIVITY_MS = 60 * DAY_MS;
const MAX_BODY_BYTES = 64 * 1024;
const MAX_NAME_LENGTH = 100;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 500;
const LIFETIME_SETTING = 'sonar.auth.token.max.allowed.lifetime';
const TOKEN_TYPES: readonly TokenType[] = ['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'];
const CLOUD_TOKEN_TYPES: readonly TokenType[] = ['USER_TOKEN'];
const LIFETIME_DAYS: Record<MaxLifetime, number | null> = {
  '30 days': 30,
  '90 days': 90,
  '1 year': 365,
  'No expiration': null,
};
const SERVER_PREFIX: Record<TokenType, string> = {
  USER_TOKEN: 'squ_',
  GLOBAL_ANALYSIS_TOKEN: 'sqa_',
  PROJECT_ANALYSIS_TOKEN: 'sqp_',
};
/** Shape of every value this server generates; used to keep values out of the request log. */
const TOKEN_SHAPE = /(?:sq[uap]_)?[0-9a-f]{40}/i;

interface StoredToken {
  name: string;
  value: string;
  type: TokenType;
  projectKey?: string;
  createdAt: number;
  lastConnectionDate?: number;
  expirationDate?: number;
}

interface StoredUser {
  login: string;
  name: string;
  email?: string;
  admin: boolean;
  organizations: string[];
  tokens: StoredToken[];
}

interface Project {
  key: string;
  name: string;
  organization?: string;
}

interface Organization {
  key: string;
  name: string;
}

/** A validation failure answered as `{"errors":[{"msg"}]}`. */
class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

// ---------------------------------------------------------------- dates

function toMillis(value: number | Date | string, what: string): number {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) // accept SonarQube's `+0000`
        : value.getTime();
  if (!Number.isFinite(ms)) throw new Error(`Invalid ${what}: ${String(value)}`);
  return ms;
}

/** SonarQube's date-time form: `2026-09-01T10:15:30+0000`. */
function formatDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}

function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Parses a strict `YYYY-MM-DD` calendar day to its UTC start, or null. */
function parseDay(raw: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Round-trip rejects impossible days such as 2026-02-30.
  return formatDay(ms) === raw ? ms : null;
}

// ---------------------------------------------------------------- the simulated instance

function majorVersion(version: string): number {
  return Number(/^(\d+)/.exec(version)?.[1] ?? 'NaN');
}

/** Community Build and Developer Edition have no token lifetime cap: a seed asking for both is a typo. */
function editionOf(options: TestServerOptions): Edition | undefined {
  if (options.flavour === 'cloud') return undefined;
  const capped = (options.maxTokenLifetime ?? 'No expiration') !== 'No expiration';
  const edition = options.edition ?? (capped ? 'enterprise' : 'community');
  if (capped && (edition === 'community' || edition === 'developer')) {
    throw new Error(`A token lifetime cap needs Enterprise or above, not '${edition}'`);
  }
  return edition;
}

class FakeSonarQube {
  readonly flavour: Flavour;
  readonly version: string;
  readonly maxLifetime: MaxLifetime;
  /** Whether maxLifetime was configured (else it is the setting's default, reported as inherited). */
  readonly maxLifetimeSet: boolean;
  /** undefined on cloud. */
  readonly edition: Edition | undefined;
  readonly bearerSupported: boolean;
  browserUser: string | null;
  readonly users = new Map<string, StoredUser>();
  readonly projects = new Map<string, Project>();
  readonly organizations = new Map<string, Organization>();
  /** Every value ever issued or seeded, so the request log can redact them even after revocation. */
  private readonly issuedValues = new Set<string>();
  private fixedMs = 0;
  /** Set by `clock.follow`: the time comes from there instead. */
  followed: { now(): number } | null = null;

  private get nowMs(): number {
    return this.followed ? this.followed.now() : this.fixedMs;
  }

  private set nowMs(ms: number) {
    this.fixedMs = ms;
  }

  constructor(options: TestServerOptions) {
    this.flavour = options.flavour;
    this.version = options.version ?? (options.flavour === 'server' ? '10.7.0.96327' : '8.0.0.12345');
    this.maxLifetime = options.maxTokenLifetime ?? 'No expiration';
    this.maxLifetimeSet = options.maxTokenLifetime !== undefined;
    this.edition = editionOf(options);
    this.bearerSupported = options.bearerSupported ?? true;
    this.browserUser = options.browserUser ?? null;
    if (!this.bearerSupported && majorVersion(this.version) >= 10) {
      throw new Error('bearerSupported: false imitates a Server before 10.0: set `version` too');
    }
    this.nowMs = toMillis(options.now ?? Date.now(), 'clock value');
    for (const org of options.organizations ?? []) this.organizations.set(org.key, { ...org });
    for (const project of options.projects ?? []) this.addProject(project);
    for (const user of options.users ?? []) this.addUser(user);
  }

  now(): number {
    return this.nowMs;
  }

  setNow(value: number | Date): void {
    this.nowMs = toMillis(value, 'clock value');
  }

  /** Max lifetime in days, or null for no cap. Cloud never caps (tokens die of inactivity instead). */
  capDays(): number | null {
    return this.flavour === 'server' ? LIFETIME_DAYS[this.maxLifetime] : null;
  }

  private addProject(project: Project): void {
    if (this.flavour === 'cloud') {
      // Every Cloud project belongs to an organization; a typo here would silently hide it.
      if (project.organization === undefined || !this.organizations.has(project.organization)) {
        throw new Error(`Cloud project '${project.key}' needs a known organization`);
      }
    }
    this.projects.set(project.key, { ...project });
  }

  addUser(seed: SeedUser): void {
    if (seed.login === '' || this.users.has(seed.login))
      throw new Error(`Bad or duplicate login '${seed.login}'`);
    for (const key of seed.organizations ?? []) {
      if (!this.organizations.has(key)) throw new Error(`Unknown organization '${key}' for '${seed.login}'`);
    }
    const user: StoredUser = {
      login: seed.login,
      name: seed.name,
      admin: seed.admin ?? false,
      organizations: [...(seed.organizations ?? [])],
      tokens: [],
    };
    if (seed.email !== undefined) user.email = seed.email;
    this.users.set(user.login, user);
    for (const token of seed.tokens ?? []) this.addToken(user.login, token);
  }

  /** Seeds a token; throws on seeds a real instance could not hold (loud beats a confusing test). */
  addToken(login: string, seed: SeedToken): string {
    const user = this.users.get(login);
    if (!user) throw new Error(`Unknown user '${login}'`);
    const name = seed.name.trim();
    if (name === '' || name.length > MAX_NAME_LENGTH) throw new Error(`Bad token name '${seed.name}'`);
    if (user.tokens.some((t) => t.name === name))
      throw new Error(`Duplicate token name '${name}' for '${login}'`);
    const type = seed.type ?? 'USER_TOKEN';
    if (this.flavour === 'cloud' && type !== 'USER_TOKEN') throw new Error('Cloud only has USER_TOKEN');
    this.checkSeedProject(type, seed.projectKey);
    const value = seed.value ?? this.newTokenValue(type);
    if (this.issuedValues.has(value)) throw new Error(`Token value already in use (seed '${name}')`);
    const token: StoredToken = { name, value, type, createdAt: toMillis(seed.createdAt, 'createdAt') };
    if (seed.projectKey !== undefined) token.projectKey = seed.projectKey;
    if (seed.lastConnectionDate !== undefined) {
      token.lastConnectionDate = toMillis(seed.lastConnectionDate, 'lastConnectionDate');
    }
    if (seed.expirationDate !== undefined && this.flavour === 'server') {
      token.expirationDate = toMillis(seed.expirationDate, 'expirationDate');
    }
    this.store(user, token);
    return value;
  }

  private checkSeedProject(type: TokenType, projectKey: string | undefined): void {
    if (type !== 'PROJECT_ANALYSIS_TOKEN') {
      if (projectKey !== undefined) throw new Error('projectKey only applies to PROJECT_ANALYSIS_TOKEN');
      return;
    }
    if (projectKey === undefined || !this.projects.has(projectKey)) {
      throw new Error(`PROJECT_ANALYSIS_TOKEN needs a known projectKey (got '${String(projectKey)}')`);
    }
  }

  newTokenValue(type: TokenType): string {
    const hex = randomBytes(20).toString('hex');
    return this.flavour === 'cloud' ? hex : `${SERVER_PREFIX[type]}${hex}`;
  }

  store(user: StoredUser, token: StoredToken): void {
    // 160 random bits never collide in practice; checking keeps lookup-by-value unambiguous anyway.
    if (this.issuedValues.has(token.value)) throw new Error('Token value collision');
    this.issuedValues.add(token.value);
    user.tokens.push(token);
  }

  isExpired(token: StoredToken): boolean {
    return token.expirationDate !== undefined && this.nowMs >= token.expirationDate;
  }

  /** Cloud deletes a token 60 days after its last use (or creation when never used). */
  pruneInactiveCloudTokens(): void {
    if (this.flavour !== 'cloud') return;
    for (const user of this.users.values()) {
      user.tokens = user.tokens.filter(
        (t) => this.nowMs < (t.lastConnectionDate ?? t.createdAt) + CLOUD_INACTIVITY_MS,
      );
    }
  }

  /** The user owning a live token with this value; records the use (throttled to once an hour). */
  authenticate(value: string): StoredUser | null {
    for (const user of this.users.values()) {
      const token = user.tokens.find((t) => t.value === value);
      if (!token) continue;
      if (this.isExpired(token)) return null;
      if (token.lastConnectionDate === undefined || this.nowMs - token.lastConnectionDate >= HOUR_MS) {
        token.lastConnectionDate = this.nowMs;
      }
      return user;
    }
    return null;
  }

  /** Replaces anything token-like so the request log can be shown or asserted on safely. */
  redact(value: string): string {
    if (TOKEN_SHAPE.test(value)) return '<redacted>';
    for (const issued of this.issuedValues) if (value.includes(issued)) return '<redacted>';
    return value;
  }
}

// ---------------------------------------------------------------- replies

interface Reply {
  status: number;
  body: string;
  contentType?: string;
  closeConnection?: boolean;
  headers?: Record<string, string>;
}

function json(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

function apiError(status: number, msg: string): Reply {
  return json(status, { errors: [{ msg }] });
}

/** What a web server answers for a path that is not SonarQube's: clients use it to spot "not an API". */
function htmlNotFound(): Reply {
  const body =
    '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>';
  return { status: 404, body, contentType: 'text/html; charset=utf-8' };
}

// ---------------------------------------------------------------- parameters

type Params = Record<string, string>;

/** SonarQube treats an empty parameter like an absent one. */
function param(params: Params, key: string): string | undefined {
  const value = params[key];
  return value === undefined || value === '' ? undefined : value;
}

function requiredParam(params: Params, key: string): string {
  const value = param(params, key);
  if (value === undefined) throw new ApiError(400, `The '${key}' parameter is missing`);
  return value;
}

function intParam(params: Params, key: string, fallback: number): number {
  const raw = param(params, key);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw))
    throw new ApiError(400, `The '${key}' parameter cannot be parsed as an integer value: ${raw}`);
  const value = Number(raw);
  if (value < 1) throw new ApiError(400, `'${key}' value (${raw}) must be greater than 0`);
  return value;
}

interface Page {
  pageIndex: number;
  pageSize: number;
}

function pageOf(params: Params): Page {
  return {
    pageIndex: intParam(params, 'p', 1),
    pageSize: Math.min(intParam(params, 'ps', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE),
  };
}

function slicePage<T>(items: readonly T[], page: Page): T[] {
  const start = (page.pageIndex - 1) * page.pageSize;
  return items.slice(start, start + page.pageSize);
}

// ---------------------------------------------------------------- handlers

interface Ctx {
  sim: FakeSonarQube;
  params: Params;
  /** null = anonymous. Rejected credentials never reach a handler. */
  user: StoredUser | null;
}

function signedIn(ctx: Ctx): StoredUser {
  if (!ctx.user) throw new ApiError(401, 'Authentication is required');
  return ctx.user;
}

/** The user a token call acts on: oneself, or (admins only) another existing user. */
function targetUser(ctx: Ctx, self: StoredUser): StoredUser {
  const login = param(ctx.params, 'login');
  if (login === undefined || login === self.login) return self;
  if (!self.admin) throw new ApiError(403, 'Insufficient privileges');
  const user = ctx.sim.users.get(login);
  if (!user) throw new ApiError(404, `User with login '${login}' doesn't exist`);
  return user;
}

function usersCurrent(ctx: Ctx): Reply {
  const user = ctx.user;
  if (!user) return json(200, { isLoggedIn: false, permissions: { global: [] } });
  const global = user.admin ? ['admin', 'scan'] : ['scan'];
  const email = user.email === undefined ? {} : { email: user.email };
  return json(200, {
    isLoggedIn: true,
    login: user.login,
    name: user.name,
    ...email,
    permissions: { global },
  });
}

function tokenJson(sim: FakeSonarQube, token: StoredToken): Record<string, unknown> {
  const out: Record<string, unknown> = { name: token.name, type: token.type };
  const project = token.projectKey === undefined ? undefined : sim.projects.get(token.projectKey);
  if (project) out['project'] = { key: project.key, name: project.name };
  out['createdAt'] = formatDateTime(token.createdAt);
  if (token.lastConnectionDate !== undefined)
    out['lastConnectionDate'] = formatDateTime(token.lastConnectionDate);
  if (sim.flavour === 'server') {
    if (token.expirationDate !== undefined) out['expirationDate'] = formatDateTime(token.expirationDate);
    out['isExpired'] = sim.isExpired(token);
  }
  return out;
}

function searchTokens(ctx: Ctx): Reply {
  const user = targetUser(ctx, signedIn(ctx));
  return json(200, { login: user.login, userTokens: user.tokens.map((t) => tokenJson(ctx.sim, t)) });
}

function tokenName(params: Params): string {
  const name = (params['name'] ?? '').trim();
  if (name === '') throw new ApiError(400, "The 'name' parameter is missing");
  if (name.length > MAX_NAME_LENGTH) {
    throw new ApiError(
      400,
      `'name' length (${name.length}) is longer than the maximum authorized (${MAX_NAME_LENGTH})`,
    );
  }
  return name;
}

function tokenType(sim: FakeSonarQube, raw: string | undefined): TokenType {
  const allowed = sim.flavour === 'cloud' ? CLOUD_TOKEN_TYPES : TOKEN_TYPES;
  const type = allowed.find((t) => t === (raw ?? 'USER_TOKEN'));
  if (type === undefined) {
    throw new ApiError(
      400,
      `Value of parameter 'type' (${String(raw)}) must be one of: [${allowed.join(', ')}]`,
    );
  }
  return type;
}

function checkTypeForOtherUser(type: TokenType): void {
  if (type === 'PROJECT_ANALYSIS_TOKEN') {
    throw new ApiError(400, 'A Project Analysis Token cannot be generated for another user.');
  }
  if (type === 'GLOBAL_ANALYSIS_TOKEN') {
    throw new ApiError(400, 'A Global Analysis Token cannot be generated for another user.');
  }
}

function projectFor(sim: FakeSonarQube, projectKey: string | undefined): Project {
  if (projectKey === undefined)
    throw new ApiError(400, 'A projectKey is needed when creating Project Analysis Token');
  const project = sim.projects.get(projectKey);
  if (!project) throw new ApiError(404, `Project key '${projectKey}' not found`);
  return project;
}

/** Server expiry rules: a day after today (UTC), within the admin's cap; stored as the day's UTC start. */
function expirationFrom(sim: FakeSonarQube, raw: string | undefined): number | undefined {
  const today = startOfUtcDay(sim.now());
  const cap = sim.capDays();
  const latest = cap === null ? undefined : today + cap * DAY_MS;
  if (raw === undefined) {
    if (latest === undefined) return undefined;
    throw new ApiError(
      400,
      `Tokens expiring after ${formatDay(latest)} are not allowed. Please use an expiration date.`,
    );
  }
  const day = parseDay(raw);
  if (day === null) {
    throw new ApiError(
      400,
      'Supplied date format for parameter expirationDate is wrong. Please supply date in the ISO 8601 date format (YYYY-MM-DD)',
    );
  }
  if (day <= today) {
    throw new ApiError(
      400,
      `The minimum value for parameter expirationDate is ${formatDay(today + DAY_MS)}.`,
    );
  }
  if (latest !== undefined && day > latest) {
    throw new ApiError(
      400,
      `Tokens expiring after ${formatDay(latest)} are not allowed. Please use a valid expiration date.`,
    );
  }
  return day;
}

function generateToken(ctx: Ctx): Reply {
  const { sim, params } = ctx;
  const name = tokenName(params);
  const self = signedIn(ctx);
  const user = targetUser(ctx, self);
  const type = tokenType(sim, param(params, 'type'));
  if (user !== self) checkTypeForOtherUser(type);
  const project =
    type === 'PROJECT_ANALYSIS_TOKEN' ? projectFor(sim, param(params, 'projectKey')) : undefined;
  // Cloud has no expiration dates: the parameter is ignored there.
  const expirationDate =
    sim.flavour === 'server' ? expirationFrom(sim, param(params, 'expirationDate')) : undefined;
  if (user.tokens.some((t) => t.name === name)) {
    throw new ApiError(400, `A user token for login '${user.login}' and name '${name}' already exists`);
  }
  const token: StoredToken = { name, value: sim.newTokenValue(type), type, createdAt: sim.now() };
  if (project) token.projectKey = project.key;
  if (expirationDate !== undefined) token.expirationDate = expirationDate;
  sim.store(user, token);
  return json(200, generatedJson(user, token));
}

function generatedJson(user: StoredUser, token: StoredToken): Record<string, unknown> {
  const out: Record<string, unknown> = {
    login: user.login,
    name: token.name,
    token: token.value,
    createdAt: formatDateTime(token.createdAt),
    type: token.type,
  };
  if (token.projectKey !== undefined) out['projectKey'] = token.projectKey;
  if (token.expirationDate !== undefined) out['expirationDate'] = formatDateTime(token.expirationDate);
  return out;
}

function revokeToken(ctx: Ctx): Reply {
  const name = requiredParam(ctx.params, 'name');
  const user = targetUser(ctx, signedIn(ctx));
  // Unknown names are not an error: revoking is idempotent on SonarQube.
  user.tokens = user.tokens.filter((t) => t.name !== name);
  return { status: 204, body: '' };
}

/** The lifetime setting exists only where it can be set: Enterprise and above. */
function settingsValues(ctx: Ctx): Reply {
  signedIn(ctx);
  const { sim } = ctx;
  const keys = (param(ctx.params, 'keys') ?? LIFETIME_SETTING).split(',').map((k) => k.trim());
  const defined = sim.edition === 'enterprise' || sim.edition === 'datacenter';
  if (!defined || !keys.includes(LIFETIME_SETTING)) return json(200, { settings: [] });
  const setting = { key: LIFETIME_SETTING, value: sim.maxLifetime };
  return json(200, { settings: [sim.maxLifetimeSet ? setting : { ...setting, inherited: true }] });
}

/** What the web app loads first; public. Cloud answers without edition or version. */
function navigationGlobal(ctx: Ctx): Reply {
  const { sim } = ctx;
  const server = sim.edition === undefined ? {} : { edition: sim.edition, version: sim.version };
  return json(200, {
    qualifiers: ['TRK', 'VW', 'APP'],
    canAdmin: ctx.user?.admin ?? false,
    productionDatabase: true,
    ...server,
  });
}

function searchOrganizations(ctx: Ctx): Reply {
  const user = signedIn(ctx);
  const all = [...ctx.sim.organizations.values()];
  const orgs = ctx.params['member'] === 'true' ? all.filter((o) => user.organizations.includes(o.key)) : all;
  const page = pageOf(ctx.params);
  return json(200, {
    organizations: slicePage(orgs, page).map(({ key, name }) => ({ key, name })),
    paging: { ...page, total: orgs.length },
  });
}

/** Cloud scopes projects to one organization, which it requires. */
function organizationFilter(ctx: Ctx): string | undefined {
  if (ctx.sim.flavour !== 'cloud') return undefined;
  const key = requiredParam(ctx.params, 'organization');
  if (!ctx.sim.organizations.has(key)) throw new ApiError(404, `No organization for key '${key}'`);
  return key;
}

function projectsMatching(ctx: Ctx, organization: string | undefined): Project[] {
  const q = param(ctx.params, 'q')?.toLowerCase();
  return [...ctx.sim.projects.values()].filter(
    (p) =>
      (organization === undefined || p.organization === organization) &&
      (q === undefined || p.key.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)),
  );
}

/**
 * An administration service: Server requires Administer System, Cloud Administer on the organization
 * (modelled by `admin` too). Parameters are validated first, as SonarQube's web service engine does.
 */
function searchProjects(ctx: Ctx): Reply {
  const user = signedIn(ctx);
  const organization = organizationFilter(ctx);
  const page = pageOf(ctx.params);
  if (!user.admin) throw new ApiError(403, 'Insufficient privileges');
  const matches = projectsMatching(ctx, organization);
  return json(200, {
    paging: { ...page, total: matches.length },
    components: slicePage(matches, page).map(({ key, name }) => ({ key, name, qualifier: 'TRK' })),
  });
}

/** Every project the caller may browse (all of them here; private projects are not modelled). */
function searchComponents(ctx: Ctx): Reply {
  const organization = organizationFilter(ctx);
  const qualifiers = requiredParam(ctx.params, 'qualifiers').split(',');
  const bad = qualifiers.find((q) => !['TRK', 'VW', 'APP'].includes(q));
  if (bad !== undefined) {
    throw new ApiError(400, `Value of parameter 'qualifiers' (${bad}) must be one of: [APP, TRK, VW]`);
  }
  const q = param(ctx.params, 'q');
  if (q !== undefined && q.length < 2) {
    throw new ApiError(400, `'q' length (${q.length}) is shorter than the minimum authorized (2)`);
  }
  const page = pageOf(ctx.params);
  const matches = qualifiers.includes('TRK') ? projectsMatching(ctx, organization) : [];
  return json(200, {
    paging: { ...page, total: matches.length },
    components: slicePage(matches, page).map((p) => ({
      ...(p.organization === undefined ? {} : { organization: p.organization }),
      key: p.key,
      qualifier: 'TRK',
      name: p.name,
      project: p.key,
    })),
  });
}

const USERS_PAGE_SIZE = 50;

/**
 * api/users/search (Server): active users whose login, name or e-mail contains `q` (any case),
 * by name, paged (`ps` 50 unless told, at most 500). Anyone signed in may search, as on SonarQube,
 * but only Administer System sees the e-mail, groups and token count of others (and an e-mail
 * matches `q` only for them).
 */
function searchUsers(ctx: Ctx): Reply {
  const self = signedIn(ctx);
  const pageIndex = intParam(ctx.params, 'p', 1);
  const pageSize = intParam(ctx.params, 'ps', USERS_PAGE_SIZE);
  if (pageSize > MAX_PAGE_SIZE) {
    throw new ApiError(400, `'ps' value (${pageSize}) must be less than ${MAX_PAGE_SIZE}`);
  }
  const q = param(ctx.params, 'q')?.toLowerCase();
  const sees = (user: StoredUser) => self.admin || user === self;
  const matches = [...ctx.sim.users.values()]
    .filter(
      (u) =>
        q === undefined ||
        u.login.toLowerCase().includes(q) ||
        u.name.toLowerCase().includes(q) ||
        (sees(u) && (u.email ?? '').toLowerCase().includes(q)),
    )
    .sort((a, b) => a.name.localeCompare(b.name) || a.login.localeCompare(b.login));
  const page = { pageIndex, pageSize };
  return json(200, {
    paging: { ...page, total: matches.length },
    users: slicePage(matches, page).map((u) => ({
      login: u.login,
      name: u.name,
      active: true,
      local: true,
      ...(sees(u)
        ? {
            ...(u.email === undefined ? {} : { email: u.email }),
            externalIdentity: u.login,
            externalProvider: 'sonarqube',
            groups: u.admin ? ['sonar-administrators', 'sonar-users'] : ['sonar-users'],
            tokensCount: u.tokens.length,
          }
        : {}),
    })),
  });
}

// ---------------------------------------------------------------- routing

/**
 * public: never authenticates (as SonarQube skips auth for version/status).
 * validate: bad credentials answer {"valid":false} instead of 401.
 * session: bad credentials → 401 with an empty body; anonymous reaches the handler.
 */
type AuthMode = 'public' | 'validate' | 'session';

interface Route {
  method: 'GET' | 'POST';
  auth: AuthMode;
  flavours?: readonly Flavour[];
  handle(ctx: Ctx): Reply;
}

const ROUTES = new Map<string, Route>([
  [
    '/api/server/version',
    {
      method: 'GET',
      auth: 'public',
      handle: (c) => ({ status: 200, body: c.sim.version, contentType: 'text/plain' }),
    },
  ],
  [
    '/api/system/status',
    {
      method: 'GET',
      auth: 'public',
      handle: (c) => json(200, { id: '147B411E-AYBmCWhX7mJ-iYyqZtkV', version: c.sim.version, status: 'UP' }),
    },
  ],
  [
    '/api/authentication/validate',
    { method: 'GET', auth: 'validate', handle: (c) => json(200, { valid: c.user !== null }) },
  ],
  ['/api/users/current', { method: 'GET', auth: 'session', handle: usersCurrent }],
  ['/api/user_tokens/search', { method: 'GET', auth: 'session', handle: searchTokens }],
  ['/api/user_tokens/generate', { method: 'POST', auth: 'session', handle: generateToken }],
  ['/api/user_tokens/revoke', { method: 'POST', auth: 'session', handle: revokeToken }],
  ['/api/settings/values', { method: 'GET', auth: 'session', handle: settingsValues }],
  [
    '/api/organizations/search',
    { method: 'GET', auth: 'session', flavours: ['cloud'], handle: searchOrganizations },
  ],
  ['/api/projects/search', { method: 'GET', auth: 'session', handle: searchProjects }],
  ['/api/components/search', { method: 'GET', auth: 'session', handle: searchComponents }],
  ['/api/navigation/global', { method: 'GET', auth: 'session', handle: navigationGlobal }],
  ['/api/users/search', { method: 'GET', auth: 'session', flavours: ['server'], handle: searchUsers }],
  // The web app's sign-in hand-off to an IDE (see sign-in-page.ts); the session is the browser's.
  [
    '/sonarlint/auth',
    {
      method: 'GET',
      auth: 'public',
      handle: ({ sim }) => ({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: signInPage({
          contentType: sim.flavour === 'server' ? 'application/json' : 'text/plain',
          login: sim.browserUser,
        }),
      }),
    },
  ],
  ['/sonarlint/allow', { method: 'POST', auth: 'public', handle: allowIde }],
]);

/** "Allow" on the sign-in page: a user token for the browser's user, the longest the server allows. */
function allowIde(ctx: Ctx): Reply {
  const { sim } = ctx;
  const user = sim.browserUser === null ? undefined : sim.users.get(sim.browserUser);
  if (!user) throw new ApiError(401, 'Authentication is required');
  const wanted = param(ctx.params, 'name') ?? 'IDE';
  let name = wanted;
  for (let n = 2; user.tokens.some((t) => t.name === name); n++) name = `${wanted} ${n}`;
  const cap = sim.capDays();
  const token: StoredToken = {
    name,
    value: sim.newTokenValue('USER_TOKEN'),
    type: 'USER_TOKEN',
    createdAt: sim.now(),
  };
  if (cap !== null) token.expirationDate = startOfUtcDay(sim.now()) + cap * DAY_MS;
  sim.store(user, token);
  return json(200, generatedJson(user, token));
}

/** undefined = no credentials; null = credentials present but unusable; string = token value. */
function credentialOf(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const bearer = /^Bearer +(\S+) *$/i.exec(header);
  if (bearer) return bearer[1] ?? null;
  const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!basic) return null;
  // A token is sent as the basic login with an empty password.
  const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon === decoded.length - 1 ? decoded.slice(0, colon) : null;
}

/** undefined = anonymous; null = rejected; else the user. */
function whoIs(sim: FakeSonarQube, header: string | undefined): StoredUser | null | undefined {
  // Before 10.0 SonarQube knew only basic auth; this imitation refuses Bearer with 401.
  if (!sim.bearerSupported && header !== undefined && /^Bearer /i.test(header)) return null;
  const credential = credentialOf(header);
  if (credential === undefined) return undefined;
  return credential === null ? null : sim.authenticate(credential);
}

/** GET-style actions also accept POST on SonarQube; POST actions refuse everything else. */
function methodAllowed(route: Route, method: string): boolean {
  return method === route.method || (route.method === 'GET' && method === 'POST');
}

interface Outcome {
  reply: Reply;
  login: string | null;
}

function dispatch(sim: FakeSonarQube, method: string, path: string, params: Params, auth?: string): Outcome {
  const route = ROUTES.get(path);
  if (!route || !(route.flavours ?? [sim.flavour]).includes(sim.flavour)) {
    // SonarQube's web service engine answers JSON for unknown api/ URLs; the rest is the web app's 404.
    return {
      reply: path.startsWith('/api/') ? apiError(404, `Unknown url : ${path}`) : htmlNotFound(),
      login: null,
    };
  }
  if (!methodAllowed(route, method)) {
    return { reply: apiError(405, `HTTP method ${method} is not supported`), login: null };
  }
  sim.pruneInactiveCloudTokens();
  const user = route.auth === 'public' ? undefined : whoIs(sim, auth);
  if (user === null) {
    const reply = route.auth === 'validate' ? json(200, { valid: false }) : { status: 401, body: '' };
    return { reply, login: null };
  }
  const ctx: Ctx = { sim, params, user: user ?? null };
  return { reply: runHandler(route, ctx), login: user?.login ?? null };
}

function runHandler(route: Route, ctx: Ctx): Reply {
  try {
    return route.handle(ctx);
  } catch (error) {
    if (error instanceof ApiError) return apiError(error.status, error.message);
    throw error;
  }
}

// ---------------------------------------------------------------- HTTP plumbing

function normalizeContextPath(raw: string | undefined): string {
  const trimmed = (raw ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(trimmed)) throw new Error(`Bad contextPath '${String(raw)}'`);
  return trimmed;
}

/** The path below the context path, or null when the request is outside it. */
function stripContext(rawPath: string, contextPath: string): string | null {
  if (contextPath === '') return rawPath;
  if (rawPath === contextPath) return '/';
  return rawPath.startsWith(`${contextPath}/`) ? rawPath.slice(contextPath.length) : null;
}

/** Resolves to the body, or null once it exceeds `limit` (the rest is never buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) resolve(null);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function formParams(req: IncomingMessage, body: string): Params {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return {};
  return Object.fromEntries(new URLSearchParams(body));
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.contentType !== undefined) headers['Content-Type'] = reply.contentType;
  if (reply.status !== 204) headers['Content-Length'] = String(Buffer.byteLength(reply.body));
  if (reply.closeConnection) headers['Connection'] = 'close';
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : reply.body);
}

interface Instance {
  sim: FakeSonarQube;
  contextPath: string;
  log: RequestRecord[];
  faults: Faults;
  load: Load;
}

async function handleRequest(instance: Instance, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { sim, log } = instance;
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
  const query: Params = queryAt < 0 ? {} : Object.fromEntries(new URLSearchParams(url.slice(queryAt + 1)));
  const path = stripContext(rawPath, instance.contextPath);
  const body = await readBody(req, MAX_BODY_BYTES);
  const params = body === null ? query : { ...query, ...formParams(req, body) };
  const safeParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, sim.redact(v)]));
  const seen = { method, path: path ?? rawPath, params: safeParams };
  instance.load.enter(seen.path, res);
  await instance.load.pace(seen.path);
  const fault = path === null || body === null ? undefined : instance.faults.take(path, params);
  if (fault?.kind === 'lost-answer' && path !== null) {
    const { login } = dispatch(sim, method, path, params, req.headers.authorization);
    const record: RequestRecord = { ...seen, status: 0, login, fault: fault.kind };
    log.push(record);
    applyFault(res, { kind: 'reset' }, record);
    return;
  }
  if (fault !== undefined) {
    const record: RequestRecord = { ...seen, status: faultStatus(fault), login: null, fault: fault.kind };
    log.push(record);
    applyFault(res, fault, record);
    return;
  }
  const outcome: Outcome =
    body === null
      ? { reply: { ...apiError(413, 'Request body too large'), closeConnection: true }, login: null }
      : path === null
        ? { reply: htmlNotFound(), login: null }
        : dispatch(sim, method, path, params, req.headers.authorization);
  // Logged before answering, so a test that awaited the response sees its record.
  log.push({ ...seen, status: outcome.reply.status, login: outcome.login });
  send(res, outcome.reply);
}

// ---------------------------------------------------------------- faults

/**
 * Queued faults per path; each request on the path meets the first in its queue that applies to
 * it (any request, or one whose parameters include the fault's `when`).
 */
class Faults {
  private readonly queues = new Map<string, { fault: Fault; left: number; when?: Params }[]>();

  add(path: string, fault: Fault, times: number, when?: Readonly<Params>): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`Bad fault count ${times}`);
    const queue = this.queues.get(pathKey(path)) ?? [];
    queue.push({ fault: { ...fault }, left: times, ...(when === undefined ? {} : { when: { ...when } }) });
    this.queues.set(pathKey(path), queue);
  }

  take(path: string, params: Params): Fault | undefined {
    const queue = this.queues.get(path) ?? [];
    const at = queue.findIndex(
      ({ when }) => when === undefined || Object.entries(when).every(([k, v]) => params[k] === v),
    );
    const entry = queue[at];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left === 0) queue.splice(at, 1);
    return entry.fault;
  }
}

function pathKey(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** Requests being answered per path, the most there ever were, and any slowness asked for. */
class Load {
  private readonly current = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  private readonly delays = new Map<string, number>();

  /** Counts the request until its response is over (sent, or its connection gone). */
  enter(path: string, res: ServerResponse): void {
    const now = (this.current.get(path) ?? 0) + 1;
    this.current.set(path, now);
    this.peaks.set(path, Math.max(now, this.peaks.get(path) ?? 0));
    res.once('close', () => this.current.set(path, (this.current.get(path) ?? 1) - 1));
  }

  pace(path: string): Promise<void> {
    const ms = this.delays.get(path) ?? 0;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  slowDown(path: string, ms: number): void {
    this.delays.set(pathKey(path), ms);
  }

  peak(path: string): number {
    return this.peaks.get(pathKey(path)) ?? 0;
  }
}

function faultStatus(fault: Fault): number {
  switch (fault.kind) {
    case 'status':
      return fault.status;
    case 'huge':
      return fault.status ?? 200;
    case 'malformed-json':
    case 'drip':
      return 200;
    default:
      return 0;
  }
}

/** What nginx answers when the SonarQube behind it fails: HTML, whatever the client asked for. */
function proxyReply(fault: Extract<Fault, { kind: 'status' }>): Reply {
  const title = `${fault.status} ${STATUS_CODES[fault.status] ?? ''}`.trim();
  const page = `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>`;
  const reply: Reply = {
    status: fault.status,
    body: fault.body ?? page,
    contentType: fault.contentType ?? 'text/html',
  };
  if (fault.retryAfter !== undefined) reply.headers = { 'Retry-After': fault.retryAfter };
  return reply;
}

function applyFault(res: ServerResponse, fault: Fault, record: RequestRecord): void {
  switch (fault.kind) {
    case 'status':
      send(res, proxyReply(fault));
      return;
    case 'malformed-json':
      send(res, { status: 200, body: '{"login": "gra', contentType: 'application/json' });
      return;
    case 'reset': {
      // A TCP reset needs the raw TCP handle; under TLS, closing the socket is the nearest thing.
      const socket = res.socket;
      if (socket instanceof TLSSocket) socket.destroy();
      else socket?.resetAndDestroy();
      return;
    }
    case 'hang':
      // Never answered; close() drops the connection.
      return;
    case 'huge':
      streamHuge(res, fault, record);
      return;
    case 'drip': {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), fault.everyMs);
      res.write('{');
      res.on('close', () => clearInterval(timer));
      return;
    }
  }
}

/** `{"errors":[{"msg":"xxx…"}]}`, `bytes` long, written as the socket drains (never buffered whole). */
function streamHuge(
  res: ServerResponse,
  fault: Extract<Fault, { kind: 'huge' }>,
  record: RequestRecord,
): void {
  const head = Buffer.from('{"errors":[{"msg":"');
  const tail = Buffer.from('"}]}');
  const filler = Buffer.alloc(64 * 1024, 'x');
  const total = Math.max(fault.bytes, head.length + tail.length);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (fault.declared) headers['Content-Length'] = String(total);
  res.writeHead(fault.status ?? 200, headers);
  let sent = 0;
  const write = (chunk: Buffer): boolean => {
    sent += chunk.length;
    record.bytesSent = sent;
    return res.write(chunk);
  };
  const pump = (): void => {
    if (sent === 0 && !write(head)) return void res.once('drain', pump);
    while (!res.destroyed && sent < total - tail.length) {
      if (!write(filler.subarray(0, Math.min(filler.length, total - tail.length - sent)))) {
        return void res.once('drain', pump);
      }
    }
    if (!res.destroyed) {
      write(tail);
      res.end();
    }
  };
  pump();
}

function failSafe(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  send(res, apiError(500, error instanceof Error ? error.message : 'Internal error'));
}

export async function startSonarQubeServer(options: TestServerOptions): Promise<TestServer> {
  const sim = new FakeSonarQube(options);
  const contextPath = normalizeContextPath(options.contextPath);
  const requests: RequestRecord[] = [];
  const faults = new Faults();
  const load = new Load();
  const instance: Instance = { sim, contextPath, log: requests, faults, load };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(instance, req, res).catch((error: unknown) => failSafe(res, error));
  };
  const server: Server | HttpsServer = options.tls
    ? createHttpsServer(options.tls, handler)
    : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Server has no TCP address');
  let closing: Promise<void> | undefined;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}${contextPath}`,
    clock: {
      now: () => sim.now(),
      set: (t) => sim.setNow(t),
      advance: (ms) => sim.setNow(sim.now() + ms),
      follow: (source) => void (sim.followed = source),
    },
    addToken: (login, seed) => sim.addToken(login, seed),
    addUser: (user) => sim.addUser(user),
    requests,
    tokenNames(login) {
      const user = sim.users.get(login);
      if (!user) throw new Error(`Unknown user '${login}'`);
      sim.pruneInactiveCloudTokens();
      return user.tokens.map((t) => t.name);
    },
    fault: (path, fault, times = 1, when) => faults.add(path, fault, times, when),
    slowDown: (path, ms) => load.slowDown(path, ms),
    peakInFlight: (path) => load.peak(path),
    signInInBrowser: (login) => void (sim.browserUser = login),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; drop them so close() settles at once.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
