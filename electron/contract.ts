/**
 * The one contract between the renderer and the vault core.
 *
 * Every call the renderer may make and every event the core may push is declared here, with a zod
 * schema. The core validates every payload against these schemas at the boundary (see
 * core/ipc/dispatch.ts); both transports (Electron IPC and the test/preview bridge) carry exactly this.
 *
 * Secrets: only two outputs ever carry a token value, `tokens.generate` (the server shows it once)
 * and `tokens.reveal` (an explicit, short-lived reveal). `tokens.copy` copies in the core: the value
 * never crosses into the renderer for a copy.
 */
import { z } from 'zod';
import { DAY_MS, DEFAULT_THRESHOLDS_MS } from './core/expiry/expiry';

export const ACCOUNT_KINDS = ['cloud-eu', 'cloud-us', 'server'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const TOKEN_TYPES = ['USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

const accountId = z.string().regex(/^[a-z0-9-]{8,64}$/, 'Not an account id');
/** SonarQube trims names and caps them at 100 characters; we do the same before sending. */
const tokenName = z
  .string()
  .trim()
  .min(1, 'A token name is required')
  .max(100, 'A token name has at most 100 characters');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD');
const epochMs = z.number().int().nonnegative();
/** The handle of a value shown once, held by the core for a short while (random, not guessable). */
const OnceId = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'Not a once id');

// ---------------------------------------------------------------------------------------------
// Views: what the renderer sees. No token value, no credential.

export const AccountStatus = z.enum(['ok', 'credential-invalid', 'unreachable']);

export const AccountView = z.object({
  id: accountId,
  kind: z.enum(ACCOUNT_KINDS),
  label: z.string(),
  baseUrl: z.string(),
  organization: z.string().optional(),
  login: z.string(),
  userName: z.string(),
  isAdmin: z.boolean(),
  serverVersion: z.string(),
  /** Server edition as the server reports it ('community', 'developer', 'enterprise', 'datacenter'). */
  edition: z.string().optional(),
  /** The subject of the extra CA certificate this account trusts, if it has one. */
  extraCaSubject: z.string().optional(),
  /** The user accepted plain http to a host that is not this computer: the token travels unencrypted. */
  insecureHttp: z.boolean().default(false),
  addedAt: epochMs,
  status: AccountStatus,
  statusMessage: z.string().optional(),
});
export type AccountView = z.infer<typeof AccountView>;

/** How a token's expiry instant was derived: see core/expiry/expiry.ts. */
export const ExpiryBasis = z.enum(['fixed', 'rolling', 'never']);

export const TokenView = z.object({
  accountId,
  name: z.string(),
  type: z.enum(TOKEN_TYPES).optional(),
  projectKey: z.string().optional(),
  projectName: z.string().optional(),
  createdAt: epochMs.nullable(),
  lastUsedAt: epochMs.nullable(),
  expiresAt: epochMs.nullable(),
  expiryBasis: ExpiryBasis,
  serverSaysExpired: z.boolean(),
  /** The vault holds this token's value in the OS keychain. */
  inVault: z.boolean(),
  /**
   * The server lists this token. False for a value the vault holds whose token the server no
   * longer has (revoked, expired and purged, removed for inactivity): offer to forget it.
   */
  onServer: z.boolean().default(true),
  /** Cloud: the vault uses this token before its 60-day window closes ('tokens.setKeepAlive'). */
  keepAlive: z.boolean().default(false),
  /** Set when an administrator lists another user's tokens: that user's login. */
  owner: z.string().optional(),
  /** A rotation in progress that this token is part of (see 'tokens.rotate'). */
  rotation: z
    .object({
      role: z.enum(['predecessor', 'successor']),
      /** The other token of the pair. */
      partner: z.string(),
      /** When the predecessor is revoked by itself, if the user chose a delay. */
      revokeAt: epochMs.nullable(),
      /** Why the last attempt to revoke the predecessor failed. */
      lastError: z.string().optional(),
    })
    .optional(),
});
export type TokenView = z.infer<typeof TokenView>;

export const TokenList = z.object({
  accountId,
  tokens: z.array(TokenView),
  /** When the server last answered with this list. */
  refreshedAt: epochMs,
  /** The server could not be asked just now: this is the last list it gave, from `refreshedAt`. */
  stale: z.boolean(),
  /** Why the list is stale, as the failure was worded. */
  problem: z.string().optional(),
});
export type TokenList = z.infer<typeof TokenList>;

// ---------------------------------------------------------------------------------------------
// Inputs.

export const AddAccountInput = z
  .object({
    kind: z.enum(ACCOUNT_KINDS),
    /** Required for 'server'; ignored for Cloud, whose host is fixed by the region. */
    baseUrl: z.string().trim().max(2048).optional(),
    /** Required for Cloud. */
    organization: z.string().trim().max(255).optional(),
    label: z.string().trim().max(100).optional(),
    /** The token the vault authenticates with; stored only in the keychain. */
    credential: z.string().trim().min(1, 'A token is required').max(512),
    /**
     * Server only: a CA certificate (PEM) to trust for this server, besides the usual ones, for
     * servers whose certificate comes from an organization's own authority.
     */
    caCertificatePem: z.string().max(65_536).optional(),
    /**
     * Server only: the user accepts sending the token over plain http to a host that is not this
     * computer (http to loopback needs no consent; anything else is refused without it).
     */
    allowInsecureHttp: z.boolean().optional(),
  })
  .strict();
export type AddAccountInput = z.infer<typeof AddAccountInput>;

export const TokenRef = z.object({ accountId, name: tokenName }).strict();

/** Another user's login, for an administrator acting on their behalf. */
const login = z.string().trim().min(1, 'Enter a login').max(255);
export type TokenRef = z.infer<typeof TokenRef>;

export const GenerateInput = z
  .object({
    accountId,
    name: tokenName,
    type: z.enum(TOKEN_TYPES),
    projectKey: z.string().trim().min(1).max(400).optional(),
    /** A day (YYYY-MM-DD) or null for no expiration. Ignored on Cloud (60 days after last use). */
    expirationDate: day.nullable(),
    /** Generate for another user (administrators; user tokens only). */
    login: login.optional(),
  })
  .strict()
  .refine((g) => !g.login || g.type === 'USER_TOKEN', {
    message: 'Only user tokens can be generated for another user',
    path: ['type'],
  })
  .refine((g) => g.type !== 'PROJECT_ANALYSIS_TOKEN' || g.projectKey, {
    message: 'A project analysis token needs a project',
    path: ['projectKey'],
  });
export type GenerateInput = z.infer<typeof GenerateInput>;

// ---------------------------------------------------------------------------------------------
// Settings: every one has a default, listed in the README.

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use the form HH:MM');

const settingsShape = {
  /** Clear the clipboard this long after a copy, if it still holds the value; 0 = never. */
  clipboardClearMs: z.number().int().min(0).max(3_600_000),
  /** How long a revealed value stays visible. */
  revealMs: z.number().int().min(1_000).max(120_000),
  /** How long a new token's "copy it now" panel keeps its value (it also goes when the window hides). */
  onceValueMs: z.number().int().min(10_000).max(600_000),
  /** Notify when a token's time left falls under each of these, longest first. */
  thresholdsMs: z
    .array(
      z
        .number()
        .int()
        .positive()
        .max(365 * DAY_MS),
    )
    .min(1)
    .max(6)
    .refine(
      (t) => t.every((v, i) => i === 0 || v < t[i - 1]!),
      'List the thresholds longest first, once each',
    ),
  /** Local times between which notifications wait (they are sent, summarized, when it ends). */
  quietHours: z.object({ start: timeOfDay, end: timeOfDay }).strict().nullable(),
  /** Accounts whose tokens never notify. */
  mutedAccounts: z.array(accountId).max(200),
  /** Notifications wait until this instant (the tray's "Pause notifications"). */
  notificationsPausedUntil: epochMs.nullable(),
  /** Closing the window keeps the vault running in the tray. */
  closeToTray: z.boolean(),
  launchAtLogin: z.boolean(),
  /** macOS: no Dock icon; the vault lives in the menu bar. */
  menuBarOnly: z.boolean(),
};

export const Settings = z.object(settingsShape).strict();
export type Settings = z.infer<typeof Settings>;

export const SETTINGS_DEFAULTS: Settings = {
  clipboardClearMs: 30_000,
  revealMs: 10_000,
  onceValueMs: 120_000,
  thresholdsMs: [...DEFAULT_THRESHOLDS_MS],
  quietHours: null,
  mutedAccounts: [],
  notificationsPausedUntil: null,
  closeToTray: true,
  launchAtLogin: false,
  menuBarOnly: false,
};

/** A change to some settings: the others are left as they are (no defaults filled in). */
export const SettingsPatch = Settings.partial();

// ---------------------------------------------------------------------------------------------
// Calls and events.

const empty = z.object({}).strict();

export const calls = {
  /**
   * Problems the user must know of at start (an unreadable metadata file that was moved aside,
   * keychain entries the vault has no record of), and the platform, for the settings only one OS has.
   */
  'app.status': {
    input: empty,
    output: z.object({
      storeProblem: z.string().nullable(),
      platform: z.string(),
      /**
       * Accounts whose stored entry failed its checks on load (an address that is not their
       * region's, a URL or CA that does not parse): set aside, their credential never sent.
       */
      setAside: z.array(z.object({ id: z.string(), label: z.string(), reason: z.string() })),
      /**
       * Keychain entries vault.json does not reference and the vault could not adopt (a write
       * interrupted before it was recorded, or not the vault's): unused until forgotten.
       */
      leftovers: z.array(z.object({ key: z.string(), description: z.string() })),
    }),
  },
  /** Deletes keychain leftovers `app.status` reported; refuses all if one is no longer reported. */
  'app.forgetLeftovers': {
    input: z
      .object({ keys: z.array(z.string().min(1).max(1_000)).min(1, 'Name the entries to forget').max(1_000) })
      .strict(),
    output: empty,
  },
  'accounts.list': { input: empty, output: z.array(AccountView) },
  /** Validates the server and the credential live, then stores the account. */
  'accounts.add': { input: AddAccountInput, output: AccountView },
  /** Cloud: the organizations a token's user belongs to, to pick one before adding the account. */
  'accounts.organizations': {
    input: z
      .object({
        kind: z.enum(['cloud-eu', 'cloud-us']),
        credential: z.string().trim().min(1, 'A token is required').max(512),
      })
      .strict(),
    output: z.array(z.object({ key: z.string(), name: z.string() })),
  },
  /** A new credential for an account whose old one expired or was revoked: same user required. */
  'accounts.replaceCredential': {
    input: z
      .object({ accountId, credential: z.string().trim().min(1, 'A token is required').max(512) })
      .strict(),
    output: AccountView,
  },
  /** Forgets the account and every value the vault holds for it (tokens stay on the server). */
  'accounts.remove': { input: z.object({ accountId }).strict(), output: empty },
  'settings.get': { input: empty, output: Settings },
  /** Changes the given settings only; answers them all. */
  'settings.update': { input: SettingsPatch, output: Settings },
  /** Asks every account's server for its tokens at once (the tray's "Refresh all"). */
  'tokens.refreshAll': {
    /** 'user' asks now; 'focus' (the window came back) is skipped if a refresh ran moments ago. */
    input: z.object({ reason: z.enum(['user', 'focus']).default('user') }).strict(),
    output: z.object({ refreshed: z.number().int(), failed: z.number().int() }),
  },
  /**
   * Every account's last list, as the vault holds it (no server request): for searching,
   * filtering and sorting across accounts. Each list says when its server last answered.
   */
  'tokens.all': { input: empty, output: z.array(TokenList) },
  /** The account's tokens as the server lists them, merged with what the vault holds. */
  'tokens.list': { input: z.object({ accountId }).strict(), output: TokenList },
  /** The value is shown once: the renderer must not keep it after its "copy it now" panel closes. */
  'tokens.generate': {
    input: GenerateInput,
    output: z.object({
      token: TokenView,
      value: z.string(),
      /** Copies this value through the core ('tokens.copyOnce') while the panel shows it. */
      onceId: OnceId,
      /** False when the value is not kept: the user must copy it now or lose it. */
      stored: z.boolean(),
      /** Why it is not kept: the keychain refused it. */
      storeError: z.string().optional(),
      /** Generated for this other user: the vault keeps only its own account's tokens. */
      forUser: z.string().optional(),
    }),
  },
  /** What the server allows for a new token's expiration, and why (read before generating). */
  'tokens.generationRules': {
    input: z.object({ accountId }).strict(),
    output: z.object({
      /** Cloud tokens have no date: 60 days after last use. */
      rolling: z.boolean(),
      /** The earliest day the server accepts (tomorrow, UTC). */
      minDate: day,
      /** The latest day, when an administrator capped token lifetimes; null = no cap. */
      maxDate: day.nullable(),
      /** Whether a token may never expire. */
      noExpirationAllowed: z.boolean(),
      /** The cap in the administrator's words ("90 days"), when there is one. */
      maxLifetime: z.string().nullable(),
    }),
  },
  /** Projects whose key or name matches, for the project analysis token picker. */
  'projects.search': {
    input: z.object({ accountId, query: z.string().trim().max(200) }).strict(),
    output: z.array(z.object({ key: z.string(), name: z.string() })),
  },
  /** Revokes on the server, then forgets the value: the value goes only once the server confirms. */
  'tokens.revoke': { input: TokenRef.extend({ login: login.optional() }).strict(), output: empty },
  /**
   * Step 1 of a rotation: generates a successor with the same type, project and lifetime (named
   * "<name>-<YYYY-MM-DD>"), keeps it, and shows it once. The predecessor stays until the user
   * confirms the successor works ('tokens.completeRotation'), or until `revokeOldAfterMs` passes.
   */
  'tokens.rotate': {
    input: TokenRef.extend({
      revokeOldAfterMs: z
        .number()
        .int()
        .min(60_000)
        .max(30 * 86_400_000)
        .optional(),
    }).strict(),
    output: z.object({
      token: TokenView,
      value: z.string(),
      onceId: OnceId,
      stored: z.boolean(),
      storeError: z.string().optional(),
      predecessor: z.string(),
    }),
  },
  /** Step 2: revokes the predecessor (named by `name`) and forgets its value. */
  'tokens.completeRotation': { input: TokenRef, output: empty },
  /** Abandons a rotation: both tokens stay, nothing is revoked. */
  'tokens.cancelRotation': { input: TokenRef, output: empty },
  /**
   * Cloud only: keep a held token alive by using it (a harmless authenticated call) when less
   * than a week of its 60-day window is left.
   */
  'tokens.setKeepAlive': { input: TokenRef.extend({ enabled: z.boolean() }).strict(), output: TokenView },
  /** An administrator lists another user's tokens (nothing of theirs is kept). */
  'tokens.listFor': { input: z.object({ accountId, login }).strict(), output: TokenList },
  /** Forgets a held value (the token stays on the server, if it is there). */
  'tokens.forget': { input: TokenRef, output: empty },
  /**
   * Keeps the value of a token the server lists but the vault does not hold: pasted by the user,
   * checked by authenticating with it as the account's user before anything is stored.
   */
  'tokens.import': {
    input: z
      .object({
        accountId,
        name: tokenName,
        value: z.string().trim().min(1, 'Paste the token value').max(512),
      })
      .strict(),
    output: TokenView,
  },
  /** Copies the value in the core; the clipboard is cleared after `clearAfterMs` if unchanged. */
  'tokens.copy': { input: TokenRef, output: z.object({ clearAfterMs: z.number().int() }) },
  /**
   * Copies a value shown once (generated, maybe not kept, or for another user) the same way, while
   * its panel may show it: the core holds it in memory for `onceValueMs`, never longer.
   */
  'tokens.copyOnce': {
    input: z.object({ onceId: OnceId }).strict(),
    output: z.object({ clearAfterMs: z.number().int() }),
  },
  /** An explicit reveal: the renderer masks the value again after `hideAfterMs`. */
  'tokens.reveal': {
    input: TokenRef,
    output: z.object({ value: z.string(), hideAfterMs: z.number().int().positive() }),
  },
} as const;

export const events = {
  'accounts.changed': empty,
  /** An account's fresh token list, whoever asked for it. */
  'tokens.changed': TokenList,
  'clipboard.cleared': empty,
  'settings.changed': empty,
  /** A notification was clicked: open the window on that token. */
  'notification.clicked': TokenRef,
  /** The window was hidden or minimized: values shown once or revealed are dropped. */
  'window.hidden': empty,
  /** The keychain leftovers changed (found, adopted or forgotten): ask `app.status` again. */
  'leftovers.changed': empty,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
/** What the renderer sends. */
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
/** What a handler receives, once the schema has validated (and trimmed) the payload. */
export type CallArgs<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.infer<Calls[K]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

// ---------------------------------------------------------------------------------------------
// The wire: what a transport carries. Errors travel as data, so both transports show the same
// message (Electron would otherwise wrap a thrown error's message in its own text).

export const ERROR_CODES = [
  'invalid-input',
  'bad-url',
  'unreachable',
  'timeout',
  'not-sonarqube',
  'unauthorized',
  'forbidden',
  'not-found',
  'rejected',
  'server-error',
  'keychain-unavailable',
  'not-in-vault',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** What `window.vault` is: implemented by the preload (IPC) and by the test/preview bridge. */
export interface VaultTransport {
  invoke(call: string, payload: unknown): Promise<Envelope<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
