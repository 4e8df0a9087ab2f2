/**
 * Keychain leftovers. Values are written to the keychain first, then recorded in vault.json; a
 * process killed between the two leaves an entry vault.json does not know. At start, after each
 * refresh while some are reported, and on demand, the vault lists its keychain entries (names only,
 * never a value) and, for each one vault.json does not reference:
 * - the value of a token its account's last list shows is adopted: recorded as held, as the
 *   interrupted write would have (the vault wrote it for that token, and the user may have seen it
 *   only once);
 * - anything else is reported, to be forgotten by the user: never read, sent or deleted silently.
 */
import type { Clock, Logger, SecretStore } from '@core/ports';
import { VaultError } from '@core/errors';
import { redact } from '@core/redact';
import type { MetadataStore } from './metadata-store';
import type { Metadata, VaultTokenRecord } from './schema';
import { secretKeys } from './keys';

export interface Leftover {
  readonly key: string;
  /** What the entry is, in the user's words (quotes the data file and the keychain: sanitized). */
  readonly description: string;
}

export interface SortedLeftovers {
  /** Token values to record as held. */
  readonly adopt: readonly VaultTokenRecord[];
  readonly report: readonly Leftover[];
}

/** Every keychain key vault.json references: account credentials (in use or set aside), held values. */
export function referencedKeys(metadata: Metadata): Set<string> {
  return new Set([
    ...[...metadata.accounts, ...metadata.setAside.map((s) => s.account)].map((a) =>
      secretKeys.credential(a.id),
    ),
    ...metadata.tokens.map((t) => secretKeys.token(t.accountId, t.name)),
    ...(metadata.deliveries ?? []).map((d) => secretKeys.delivery(d.id)),
  ]);
}

/** What becomes of each of `keys` that vault.json does not reference (pure). */
export function sortLeftovers(metadata: Metadata, keys: readonly string[], now: number): SortedLeftovers {
  const referenced = referencedKeys(metadata);
  const adopt: VaultTokenRecord[] = [];
  const report: Leftover[] = [];
  for (const key of new Set(keys)) {
    if (referenced.has(key)) continue;
    const entry = parseKey(key);
    if (entry?.kind === 'token') {
      const listed = metadata.accounts.some((a) => a.id === entry.accountId)
        ? metadata.snapshots[entry.accountId]?.tokens.find((t) => t.name === entry.name && t.onServer)
        : undefined;
      if (listed) {
        adopt.push({
          accountId: entry.accountId,
          name: entry.name,
          type: listed.type,
          projectKey: listed.projectKey,
          storedAt: now,
        });
        continue;
      }
    }
    report.push({ key, description: redact(describe(metadata, key, entry)) });
  }
  return { adopt, report };
}

type Entry =
  | { kind: 'credential'; accountId: string }
  | { kind: 'token'; accountId: string; name: string }
  | { kind: 'delivery' };

/** The inverse of `secretKeys` (context.ts); null for a key the vault never writes. */
export function parseKey(key: string): Entry | null {
  const credential = /^account\/([^/]+)\/credential$/.exec(key);
  if (credential) return { kind: 'credential', accountId: credential[1]! };
  if (/^delivery\/[^/]+\/credential$/.test(key)) return { kind: 'delivery' };
  const token = /^token\/([^/]+)\/(.+)$/s.exec(key);
  if (token) return { kind: 'token', accountId: token[1]!, name: token[2]! };
  return null;
}

function describe(metadata: Metadata, key: string, entry: Entry | null): string {
  if (!entry) return `A keychain entry the vault does not recognize ("${shorten(key)}")`;
  if (entry.kind === 'credential') {
    return 'A credential for an account that was never saved (interrupted while adding an account)';
  }
  if (entry.kind === 'delivery') {
    return 'A CI credential for a delivery target that was never saved (interrupted while adding it)';
  }
  const token = `token "${shorten(entry.name)}"`;
  const inUse = metadata.accounts.find((a) => a.id === entry.accountId);
  if (inUse) return `The value of ${token} of ${inUse.label}, which its server's last list does not show`;
  const setAside = metadata.setAside.find((s) => s.account.id === entry.accountId);
  if (setAside) return `The value of ${token} of ${setAside.account.label}, an account set aside`;
  return `The value of ${token} of an account the vault does not know`;
}

function shorten(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

/**
 * The keychain as the vault's own operations use it, noting every key this process writes: such a
 * key not yet recorded is a write in flight (its record follows), not a leftover of an earlier run.
 */
export function notingWrites(secrets: SecretStore): { secrets: SecretStore; written: ReadonlySet<string> } {
  const written = new Set<string>();
  return {
    written,
    secrets: {
      get: (key) => secrets.get(key),
      set: (key, value) => {
        written.add(key);
        return secrets.set(key, value);
      },
      delete: (key) => secrets.delete(key),
      keys: () => secrets.keys(),
    },
  };
}

export interface LeftoverDeps {
  store: MetadataStore;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  /** Keys this process wrote (see notingWrites): never leftovers. */
  ownWrites?: ReadonlySet<string>;
  /** The report changed, or values of these accounts were adopted. */
  changed?(change: { adopted: readonly string[] }): void;
}

/** Finds, adopts and reports leftovers; forgets those the user names. One operation at a time. */
export class Leftovers {
  private report: readonly Leftover[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private pendingCheck: Promise<readonly Leftover[]> | undefined;

  constructor(private readonly deps: LeftoverDeps) {}

  /** The last check's report (and what was forgotten since). */
  get reported(): readonly Leftover[] {
    return this.report;
  }

  /** Checks the keychain against vault.json; calls made before a queued check starts share it. */
  check(): Promise<readonly Leftover[]> {
    this.pendingCheck ??= this.serially(() => {
      this.pendingCheck = undefined;
      return this.run();
    });
    return this.pendingCheck;
  }

  /** Deletes reported entries from the keychain; refuses all if one is no longer reported. */
  forget(keys: readonly string[]): Promise<void> {
    return this.serially(async () => {
      const { store, secrets, log, ownWrites } = this.deps;
      const reported = new Set(this.report.map((l) => l.key));
      const referenced = referencedKeys(await store.load());
      // Recorded since (adopted, or a write of ours): it is the vault's, not a leftover any more.
      if (keys.some((k) => !reported.has(k) || referenced.has(k) || ownWrites?.has(k))) {
        throw new VaultError(
          'rejected',
          'The vault no longer reports some of these keychain entries as unknown: nothing was forgotten. Look at the list again.',
        );
      }
      const gone = new Set<string>();
      try {
        for (const key of new Set(keys)) {
          await secrets.delete(key);
          gone.add(key);
        }
      } finally {
        // Even when the keychain fails halfway: what is gone is no longer reported.
        this.report = this.report.filter((l) => !gone.has(l.key));
        if (gone.size) this.deps.changed?.({ adopted: [] });
      }
      log.info('keychain leftovers forgotten', { count: gone.size });
    });
  }

  private async run(): Promise<readonly Leftover[]> {
    const { store, secrets, clock, log, ownWrites } = this.deps;
    const keys = (await secrets.keys()).filter((k) => !ownWrites?.has(k));
    const now = clock.now();
    let sorted = sortLeftovers(await store.load(), keys, now);
    if (sorted.adopt.length) {
      // Sorted again on the latest metadata, inside its write queue.
      await store.update((draft) => {
        sorted = sortLeftovers(draft, keys, now);
        draft.tokens.push(...sorted.adopt);
      });
      for (const { accountId, name } of sorted.adopt) {
        log.info('keychain value adopted', { account: accountId, name });
      }
    }
    const before = this.report.map((l) => l.key).join('\n');
    this.report = sorted.report;
    const reportChanged = before !== this.report.map((l) => l.key).join('\n');
    if (reportChanged && this.report.length) {
      log.warn('keychain leftovers reported', { count: this.report.length });
    }
    if (reportChanged || sorted.adopt.length) {
      this.deps.changed?.({ adopted: [...new Set(sorted.adopt.map((r) => r.accountId))] });
    }
    return this.report;
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
