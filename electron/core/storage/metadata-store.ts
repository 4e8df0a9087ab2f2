/**
 * The vault's non-secret metadata (accounts, which token values the keychain holds, settings) in
 * one JSON file, and each account's last token list in a file of its own (snapshot-files.ts).
 * Writes are atomic (temp file, fsync, rename), serialized, and made only when a file's content
 * changed; a file that cannot be read is moved aside and reported, never silently overwritten.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { redact } from '@core/redact';
import { keepAside, removeAbandonedTemps, writeAtomically, type LoadProblem } from './atomic-file';
import { Metadata, type AccountRecord } from './schema';
import { frozenSnapshot, Snapshot, SnapshotFiles } from './snapshot-files';

export type { LoadProblem } from './atomic-file';

/** What vault.json holds now: everything but the lists. */
const VaultFile = Metadata.omit({ snapshots: true });

export const FILE_NAME = 'vault.json';

/** Why a stored account must not be used (its entry was changed by someone else), or null. */
export type AccountCheck = (account: AccountRecord) => string | null;

export interface StoreOptions {
  /**
   * Another process reads the app's files (the command line): it must change nothing the app
   * owns. Loading then leaves temp files, unreadable files and unnamed lists where they are (an
   * unreadable file is only reported: `keptAs` is its own path), and every write is refused.
   */
  readOnly?: boolean;
}

export class MetadataStore {
  readonly path: string;
  /** The accounts' last token lists, one file each. */
  readonly snapshots: SnapshotFiles;
  private data: Metadata | undefined;
  private loading: Promise<Metadata> | undefined;
  /** vault.json's text as last read or written: an update that changes nothing writes nothing. */
  private stored: string | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Set when the file could not be read at load; shown to the user. */
  problem: LoadProblem | null = null;

  readonly readOnly: boolean;

  /** `check` runs on every account read from the file: the file decides nothing unchecked. */
  constructor(
    dataDir: string,
    private readonly check: AccountCheck = () => null,
    { readOnly = false }: StoreOptions = {},
  ) {
    this.path = join(dataDir, FILE_NAME);
    this.readOnly = readOnly;
    this.snapshots = new SnapshotFiles(dataDir, { readOnly });
  }

  async load(): Promise<Metadata> {
    if (this.data) return this.data;
    // Callers that come while the files are read share that read.
    this.loading ??= this.read().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async read(): Promise<Metadata> {
    const stored = await this.readVaultFile();
    const ids = [...stored.accounts, ...stored.setAside.map((s) => s.account)].map((a) => a.id);
    const kept = await this.snapshots.load(ids, this.problem === null);
    return (this.data = { ...stored, snapshots: newerLists(stored.snapshots, kept) });
  }

  private async readVaultFile(): Promise<Metadata> {
    if (!this.readOnly) await removeAbandonedTemps(dirname(this.path), FILE_NAME);
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return emptyMetadata();
    }
    const parsed = parseMetadata(text);
    if (parsed.ok) {
      this.stored = text;
      return this.setAsideFailing(parsed.data);
    }
    this.problem = { reason: parsed.reason, keptAs: this.readOnly ? this.path : await keepAside(this.path) };
    return emptyMetadata();
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

  /**
   * Applies `change` to a copy and persists it; readers never see a half-applied change. Lists
   * are replaced, never changed in place (they are frozen): only the replaced ones are checked
   * and, if their content changed, written; vault.json is written if its own content changed.
   */
  async update(change: (draft: Metadata) => void): Promise<Metadata> {
    this.refuseIfReadOnly();
    const run = this.writing.then(async () => {
      const { snapshots: lists, ...rest } = await this.load();
      const draft: Metadata = { ...structuredClone(rest), snapshots: { ...lists } };
      change(draft);
      const { snapshots: changedLists, ...changedRest } = draft;
      const valid = VaultFile.parse(changedRest);
      const snapshots = Object.fromEntries(
        Object.entries(changedLists).map(([id, list]) => [
          id,
          list === lists[id] ? list : frozenSnapshot(Snapshot.parse(list)),
        ]),
      );
      // Lists first: a kill before vault.json is written leaves at worst a list it does not name
      // yet, removed at the next load.
      for (const [id, list] of Object.entries(snapshots)) await this.snapshots.save(id, list);
      const text = `${JSON.stringify(valid, null, 2)}\n`;
      if (text !== this.stored) {
        await writeAtomically(this.path, text);
        this.stored = text;
      }
      for (const id of Object.keys(lists).filter((id) => !Object.hasOwn(snapshots, id))) {
        await this.snapshots.remove(id);
      }
      this.data = { ...valid, snapshots };
    });
    return this.queued(run);
  }

  /**
   * Keeps an account's newest list, as `update` would, without touching vault.json: a refresh of
   * many accounts changes their lists only. Not for an account gone meanwhile, nor over a list
   * asked later.
   */
  async putList(accountId: string, list: Snapshot): Promise<Metadata> {
    this.refuseIfReadOnly();
    const run = this.writing.then(async () => {
      const data = await this.load();
      const kept = data.snapshots[accountId];
      if (!data.accounts.some((a) => a.id === accountId) || (kept && kept.refreshedAt > list.refreshedAt)) {
        return;
      }
      // Not parsed again: the list is the vault's own, made of answers parsed as they came (and
      // its file is parsed when read back).
      const snapshot = frozenSnapshot(list);
      await this.snapshots.save(accountId, snapshot);
      this.data = { ...data, snapshots: { ...data.snapshots, [accountId]: snapshot } };
    });
    return this.queued(run);
  }

  /**
   * The files that could not be read, in words, sanitized (they quote the files, which anyone
   * could have written anything into). The app moved them aside; a read-only reader left them.
   */
  async problemsInWords(): Promise<string[]> {
    const { accounts, setAside } = await this.load();
    const label = (id: string) =>
      [...accounts, ...setAside.map((s) => s.account)].find((a) => a.id === id)?.label ?? 'an account';
    const problems = this.snapshots.problems.map(({ accountId, reason, keptAs }) =>
      this.readOnly
        ? `The last token list of ${label(accountId)} could not be read (${reason}); the app fetches it again.`
        : `The last token list of ${label(accountId)} could not be read (${reason}). It was kept as ${keptAs}; the next refresh fetches it again.`,
    );
    const { problem } = this;
    if (problem) {
      problems.unshift(
        this.readOnly
          ? `The vault's data file ${problem.keptAs} could not be read (${problem.reason}); the app sets it aside at its next start.`
          : `The vault's data file could not be read (${problem.reason}). It was kept as ${problem.keptAs}; the vault started empty.`,
      );
    }
    return problems.map(redact);
  }

  private refuseIfReadOnly(): void {
    if (this.readOnly) throw new Error('This store is read-only: it writes nothing.');
  }

  /** Writes run one after another; a failed one must not wedge the next (its caller sees it). */
  private async queued(run: Promise<void>): Promise<Metadata> {
    this.writing = run.catch(() => undefined);
    await run;
    return this.data!;
  }
}

/** Per account, the later of the list vault.json carried (a file from before) and its own file. */
function newerLists(
  inVaultFile: Record<string, Snapshot>,
  inOwnFiles: Record<string, Snapshot>,
): Record<string, Snapshot> {
  const lists: Record<string, Snapshot> = {};
  for (const id of new Set([...Object.keys(inVaultFile), ...Object.keys(inOwnFiles)])) {
    const [carried, own] = [inVaultFile[id], inOwnFiles[id]];
    lists[id] = own && !(carried && carried.refreshedAt > own.refreshedAt) ? own : frozenSnapshot(carried!);
  }
  return lists;
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
