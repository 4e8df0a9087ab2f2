/**
 * The vault's non-secret metadata (accounts, which token values the keychain holds, settings) in
 * one JSON file. Writes are atomic (temp file, fsync, rename) and serialized; a file that cannot be
 * read is moved aside and reported, never silently overwritten.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ACCOUNT_KINDS, SETTINGS_DEFAULTS, Settings, TOKEN_TYPES, TokenView } from '../../contract';
import { OwnCredentialRecord, OwnCredentialState } from '../own-credential/records';

export const AccountRecord = z.object({
  id: z.string(),
  kind: z.enum(ACCOUNT_KINDS),
  label: z.string(),
  baseUrl: z.string(),
  organization: z.string().optional(),
  login: z.string(),
  userName: z.string(),
  isAdmin: z.boolean(),
  serverVersion: z.string(),
  edition: z.string().optional(),
  /** An extra CA certificate (PEM, public) this Server account trusts. */
  caCertificatePem: z.string().optional(),
  /** The user accepted plain http to a host that is not this computer. */
  insecureHttp: z.boolean().optional(),
  addedAt: z.number(),
  /** The vault's own token, when the credential is one (see own-credential/). */
  ownCredential: OwnCredentialRecord.optional(),
  /** A switch to a new own token in progress, why there is none, the pasted token's fate. */
  ownCredentialState: OwnCredentialState.optional(),
});
export type AccountRecord = z.infer<typeof AccountRecord>;

/** A token whose value the keychain holds (the value itself is never here). */
export const VaultTokenRecord = z.object({
  accountId: z.string(),
  name: z.string(),
  type: z.enum(TOKEN_TYPES).optional(),
  projectKey: z.string().optional(),
  storedAt: z.number(),
  /** Cloud: use the token before its inactivity window closes. */
  keepAlive: z.boolean().optional(),
});
export type VaultTokenRecord = z.infer<typeof VaultTokenRecord>;

/** The last token list each account's server gave: shown while offline, watched for expiry. */
export const Snapshot = z.object({ refreshedAt: z.number(), tokens: z.array(TokenView) });
export type Snapshot = z.infer<typeof Snapshot>;

/** What was notified per token (see core/expiry/notices.ts): restarts never repeat a notice. */
export const NoticeRecord = z.object({
  expiresAt: z.number(),
  /** Thresholds (ms) already notified, or silently passed, for this expiry instant. */
  sent: z.array(z.number()),
  expired: z.boolean(),
});
export type NoticeRecord = z.infer<typeof NoticeRecord>;

/**
 * A rotation in progress (see vault/rotation.ts): the successor exists, the predecessor is not
 * revoked yet. Kept until the predecessor is revoked, the rotation is cancelled, or the server no
 * longer lists the predecessor.
 */
export const RotationRecord = z.object({
  accountId: z.string(),
  predecessor: z.string(),
  successor: z.string(),
  startedAt: z.number(),
  /** When the scheduler revokes the predecessor by itself; null = only when the user confirms. */
  revokeAt: z.number().nullable(),
  /** Why the last attempt to revoke the predecessor failed (the failure's message, no value). */
  lastError: z.string().optional(),
});
export type RotationRecord = z.infer<typeof RotationRecord>;

export const Metadata = z.object({
  version: z.literal(1),
  accounts: z.array(AccountRecord),
  tokens: z.array(VaultTokenRecord),
  // Settings missing from an older file take their defaults; unknown ones (a newer app's) are dropped.
  settings: z
    .object(Settings.shape)
    .partial()
    .default({})
    .transform((stored) => ({ ...SETTINGS_DEFAULTS, ...stripUndefined(stored) })),
  snapshots: z.record(z.string(), Snapshot).default({}),
  notices: z.record(z.string(), NoticeRecord).default({}),
  // Optional, not defaulted: files and Metadata values from before rotation existed have none.
  rotations: z.array(RotationRecord).optional(),
  /**
   * Accounts whose entry failed its checks when loaded (see account-check.ts), kept as they were
   * so nothing is lost, and never used: no request is made for them, their credential never sent.
   */
  setAside: z.array(z.object({ account: AccountRecord, reason: z.string() })).default([]),
});
export type Metadata = z.infer<typeof Metadata>;

export const FILE_NAME = 'vault.json';

export interface LoadProblem {
  reason: string;
  /** Where the unreadable file was moved. */
  keptAs: string;
}

/** Why a stored account must not be used (its entry was changed by someone else), or null. */
export type AccountCheck = (account: AccountRecord) => string | null;

export class MetadataStore {
  readonly path: string;
  private data: Metadata | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Set when the file could not be read at load; shown to the user. */
  problem: LoadProblem | null = null;

  /** `check` runs on every account read from the file: the file decides nothing unchecked. */
  constructor(
    dataDir: string,
    private readonly check: AccountCheck = () => null,
  ) {
    this.path = join(dataDir, FILE_NAME);
  }

  async load(): Promise<Metadata> {
    if (this.data) return this.data;
    await removeAbandonedTemps(this.path);
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return (this.data = emptyMetadata());
    }
    const parsed = parseMetadata(text);
    if (parsed.ok) return (this.data = this.setAsideFailing(parsed.data));
    const keptAs = `${this.path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, keptAs);
    this.problem = { reason: parsed.reason, keptAs };
    return (this.data = emptyMetadata());
  }

  /** Moves accounts that fail their check out of use (persisted with the next write). */
  private setAsideFailing(data: Metadata): Metadata {
    const failing = data.accounts.flatMap((account) => {
      const reason = this.check(account);
      return reason === null ? [] : [{ account, reason }];
    });
    if (!failing.length) return data;
    const ids = new Set(failing.map((f) => f.account.id));
    return {
      ...data,
      accounts: data.accounts.filter((a) => !ids.has(a.id)),
      setAside: [...data.setAside, ...failing],
    };
  }

  /** Applies `change` to a copy and persists it; readers never see a half-applied change. */
  async update(change: (draft: Metadata) => void): Promise<Metadata> {
    const run = this.writing.then(async () => {
      const draft = structuredClone(await this.load());
      change(draft);
      const valid = Metadata.parse(draft);
      await writeAtomically(this.path, `${JSON.stringify(valid, null, 2)}\n`);
      this.data = valid;
    });
    // A failed write must not wedge later ones; the caller still sees this one's error.
    this.writing = run.catch(() => undefined);
    await run;
    return this.data!;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function emptyMetadata(): Metadata {
  return Metadata.parse({ version: 1, accounts: [], tokens: [] });
}

function parseMetadata(text: string): { ok: true; data: Metadata } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = Metadata.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'top level';
  return { ok: false, reason: `unexpected content at ${where}: ${issue?.message ?? ''}` };
}

/**
 * A process killed mid-write leaves its temp file: a full copy of the metadata, never read again.
 * Those of processes that are gone are removed (a live one's may be a write in flight); a clean-up
 * that fails leaves them, and never stops the vault from loading.
 */
async function removeAbandonedTemps(path: string): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  const names = await readdir(dirname(path)).catch(() => []);
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid !== process.pid && !running(pid)) {
      await rm(join(dirname(path), name), { force: true }).catch(() => undefined);
    }
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
