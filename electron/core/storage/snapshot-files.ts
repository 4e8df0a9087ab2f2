/**
 * The last token list of each account, one file per account under `snapshots/` in the data
 * folder, apart from vault.json: a list of thousands of tokens is megabytes, and a refresh
 * concerns one account. A file is replaced atomically, and only when its list changed, so a
 * refresh that brings the same list writes nothing. Its refresh time alone is written at most
 * once an hour: in memory it is exact; after a restart, an unchanged list may read as up to an
 * hour older than it is, never newer.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TokenView } from '@contract';
import { HOUR_MS } from '@shared/expiry';
import { keepAside, removeAbandonedTemps, writeAtomically, type LoadProblem } from './atomic-file';

/** The last token list an account's server gave: shown while offline, watched for expiry. */
export const Snapshot = z.object({ refreshedAt: z.number(), tokens: z.array(TokenView) });
/** Shared between the store's states, never copied: replaced whole, never changed in place. */
export type Snapshot = {
  readonly refreshedAt: number;
  readonly tokens: readonly Readonly<TokenView>[];
};

export const SNAPSHOTS_DIR = 'snapshots';
/** An unchanged list has its refresh time written again once it is this much older on disk. */
export const REFRESHED_AT_WRITTEN_EVERY_MS = HOUR_MS;

/** On disk, a list names its account: a file copied under another account's name is refused. */
const SnapshotFile = Snapshot.extend({ version: z.literal(1), accountId: z.string() });

/** What the file of an account holds, as far as this process wrote or read it. */
interface OnDisk {
  /** Its tokens (or an equal list's: one copy stays in memory). */
  readonly tokens: readonly TokenView[];
  readonly refreshedAt: number;
  /** The last list saved: saved again, it is known at once (lists are replaced, never changed). */
  readonly latest: Snapshot;
}

export class SnapshotFiles {
  readonly dir: string;
  /** Lists that could not be read at load: moved aside and reported; refreshes fetch them again. */
  readonly problems: (LoadProblem & { accountId: string })[] = [];
  private readonly onDisk = new Map<string, OnDisk>();
  /** Another process's view of the files (see StoreOptions in metadata-store.ts): it changes none. */
  readonly readOnly: boolean;

  constructor(dataDir: string, { readOnly = false }: { readOnly?: boolean } = {}) {
    this.dir = join(dataDir, SNAPSHOTS_DIR);
    this.readOnly = readOnly;
  }

  /** The file of an account's list; an id the vault would not make is hashed into a safe name. */
  pathOf(accountId: string): string {
    const name = /^[a-z0-9-]{1,64}$/.test(accountId)
      ? accountId
      : `_${createHash('sha256').update(accountId, 'utf8').digest('hex')}`;
    return join(this.dir, `${name}.json`);
  }

  /**
   * Reads the lists of these accounts. With `prune`, removes the lists no account names (an
   * account removed by a process killed before it removed its list); never when vault.json could
   * not be read, so its lists stay for whoever restores it. Read-only, it neither prunes nor
   * removes temp files.
   */
  async load(accountIds: readonly string[], prune: boolean): Promise<Record<string, Snapshot>> {
    if (!this.readOnly) await removeAbandonedTemps(this.dir);
    const found: Record<string, Snapshot> = {};
    for (const accountId of accountIds) {
      const snapshot = await this.read(accountId);
      if (snapshot) found[accountId] = snapshot;
    }
    if (prune && !this.readOnly) {
      const named = new Set(accountIds.map((id) => this.pathOf(id)));
      const names = await readdir(this.dir).catch(() => []);
      for (const name of names.filter((n) => n.endsWith('.json') && !named.has(join(this.dir, n)))) {
        await rm(join(this.dir, name), { force: true }).catch(() => undefined);
      }
    }
    return found;
  }

  /** Writes the account's list if it changed; answers whether it wrote. */
  async save(accountId: string, snapshot: Snapshot): Promise<boolean> {
    this.refuseIfReadOnly();
    const known = this.onDisk.get(accountId);
    if (known?.latest === snapshot) return false;
    const { refreshedAt, tokens } = snapshot;
    if (
      known &&
      refreshedAt - known.refreshedAt < REFRESHED_AT_WRITTEN_EVERY_MS &&
      sameTokens(known.tokens, tokens)
    ) {
      this.onDisk.set(accountId, { tokens, refreshedAt: known.refreshedAt, latest: snapshot });
      return false;
    }
    const text = `${JSON.stringify({ version: 1, accountId, refreshedAt, tokens })}\n`;
    await writeAtomically(this.pathOf(accountId), text);
    this.onDisk.set(accountId, { tokens, refreshedAt, latest: snapshot });
    return true;
  }

  async remove(accountId: string): Promise<void> {
    this.refuseIfReadOnly();
    await rm(this.pathOf(accountId), { force: true });
    this.onDisk.delete(accountId);
  }

  private refuseIfReadOnly(): void {
    if (this.readOnly) throw new Error('These lists are read-only: nothing is written.');
  }

  /**
   * An unreadable file is moved aside and reported, never a reason not to start (read-only: only
   * reported, `keptAs` being where it still is).
   */
  private async read(accountId: string): Promise<Snapshot | null> {
    const path = this.pathOf(accountId);
    let reason: string;
    try {
      const parsed = SnapshotFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success && parsed.data.accountId === accountId) {
        const { refreshedAt, tokens } = parsed.data;
        const snapshot = frozenSnapshot({ refreshedAt, tokens });
        this.onDisk.set(accountId, { tokens, refreshedAt, latest: snapshot });
        return snapshot;
      }
      const issue = parsed.error?.issues[0];
      reason = issue
        ? `unexpected content at ${issue.path.join('.') || 'top level'}: ${issue.message}`
        : 'it names another account';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      reason =
        error instanceof SyntaxError
          ? `not valid JSON (${error.message})`
          : ((error as NodeJS.ErrnoException).code ?? 'unreadable');
    }
    const keptAs = this.readOnly ? path : await keepAside(path).catch(() => path);
    this.problems.push({ accountId, reason, keptAs });
    return null;
  }
}

/** Lists are shared between the store's states, not copied: frozen, a change in place would throw. */
export function frozenSnapshot(snapshot: Snapshot): Snapshot {
  Object.freeze(snapshot.tokens);
  return Object.freeze(snapshot);
}

const TOKEN_KEYS = Object.keys(TokenView.shape) as (keyof TokenView)[];

/**
 * Equal as their files would be: thousands of tokens in a blink, field by field of the schema (a
 * field whose value is undefined is absent from the file).
 */
function sameTokens(a: readonly TokenView[], b: readonly TokenView[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    for (const key of TOKEN_KEYS) {
      if (x[key] !== y[key] && !sameJson(x[key], y[key])) return false;
    }
  }
  return true;
}

/** Equal as JSON says (a key whose value is undefined is absent). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  let defined = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    if (!sameJson(x[key], y[key])) return false;
    defined++;
  }
  for (const key in y) if (y[key] !== undefined) defined--;
  return defined === 0;
}
