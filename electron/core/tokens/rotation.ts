/**
 * Rotation: a successor with the predecessor's type, project and lifetime first, the predecessor's
 * revocation only once the user confirms (or a chosen delay passes). Between the two steps a
 * record in the metadata says which token replaces which, so a failure at any step leaves both
 * tokens and the reason, never a lost value.
 */
import type { GenerateInput, TokenRef, TokenType } from '@contract';
import type { ShownOnce } from '@core/once-values';
import { VaultError } from '@core/errors';
import { redact } from '@core/redact';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { addDays, parseSonarDate, tomorrowUtc, utcDay } from '@core/sonarqube/dates';
import { lifetimeDays, type ServerToken } from '@core/sonarqube/client';
import { findAccount, flavourOf, hasAccount, withAccount } from '@core/accounts/accounts';
import type { VaultContext } from '@core/context';
import type { AccountRecord, Metadata, RotationRecord } from '@core/storage/metadata-store';
import { forgetRevoked, listTokens, revokeOnServer, storeGenerated } from './tokens';

/** After a scheduled revoke fails, the next attempt waits this long. */
export const ROTATION_RETRY_MS = 15 * MINUTE_MS;
/** The scheduler wakes at least this often to look at the clock again. */
const MAX_SLEEP_MS = HOUR_MS;
const MAX_NAME_LENGTH = 100;
/** "-YYYY-MM-DD", and the "-N" a name collision added after it, at the end of a name. */
const DATED_SUFFIX = /-\d{4}-\d{2}-\d{2}(-\d+)?$/;

export interface RotateInput extends TokenRef {
  revokeOldAfterMs?: number | undefined;
}

/** Step 1: generates and keeps the successor; the predecessor is left as it is. */
export function rotateToken(ctx: VaultContext, input: RotateInput): Promise<ShownOnce<'tokens.rotate'>> {
  return exclusive(ctx, input.accountId, async () => {
    const account = await findAccount(ctx, input.accountId);
    const { searched, maxDays } = await withAccount(ctx, account.id, async (api) => ({
      searched: await api.searchTokens(),
      // A cap lowered since the predecessor was made would refuse its lifetime: ask before generating.
      maxDays: flavourOf(account) === 'server' ? lifetimeDays(await api.maxTokenLifetime()) : null,
    }));
    if (searched.login !== account.login) {
      throw new VaultError(
        'rejected',
        `${account.label} answered for ${searched.login}, not ${account.login}.`,
      );
    }
    const predecessor = searched.tokens.find((t) => t.name === input.name);
    if (!predecessor) {
      throw new VaultError(
        'not-found',
        `${account.login} has no token named "${input.name}" on ${account.label}.`,
      );
    }
    const metadata = await ctx.store.load();
    const listed = new Set(searched.tokens.map((t) => t.name));
    const pending = pendingRotations(metadata, account.id).find(
      (r) => listed.has(r.predecessor) && (r.predecessor === input.name || r.successor === input.name),
    );
    if (pending) {
      throw new VaultError(
        'rejected',
        `"${pending.predecessor}" is already being replaced by "${pending.successor}": complete or cancel that rotation first.`,
      );
    }
    // Names of values the vault holds are taken too: generating one would overwrite that value.
    const taken = new Set([
      ...listed,
      ...metadata.tokens.filter((t) => t.accountId === account.id).map((t) => t.name),
    ]);
    const now = ctx.clock.now();
    const generate: GenerateInput = {
      accountId: account.id,
      name: successorName(input.name, utcDay(now), taken),
      ...successorKind(account, predecessor),
      expirationDate: successorExpiry(account, predecessor, now, maxDays),
    };

    // Sent once: a failure here leaves no record and the predecessor untouched.
    const generated = await storeGenerated(ctx, generate);
    const record: RotationRecord = {
      accountId: account.id,
      predecessor: predecessor.name,
      successor: generated.token.name,
      startedAt: now,
      revokeAt: input.revokeOldAfterMs === undefined ? null : now + input.revokeOldAfterMs,
    };
    if (!generated.stored) {
      // The user may not have kept the value either: the predecessor goes only when they confirm.
      record.revokeAt = null;
      record.lastError = `The value of "${record.successor}" was not kept when it was generated, so "${record.predecessor}" is revoked only when you confirm "${record.successor}" works.`;
    }
    let recorded = true;
    try {
      // One record per predecessor: one left from an earlier token of that name is over.
      await ctx.store.update(
        (m) => void (m.rotations = [...(m.rotations ?? []).filter((r) => !sameRotation(r, record)), record]),
      );
    } catch (error) {
      // The value has been shown by the server only this once: it must still reach the user.
      recorded = false;
      ctx.log.error('rotation not recorded', {
        account: account.id,
        name: record.predecessor,
        error: describe(error),
      });
    }
    ctx.log.info('token rotation started', {
      account: account.id,
      predecessor: record.predecessor,
      successor: record.successor,
      stored: generated.stored,
      delayed: record.revokeAt !== null,
    });
    await listTokens(ctx, account.id).catch(() => undefined);
    const rotation = {
      role: 'successor' as const,
      partner: record.predecessor,
      revokeAt: record.revokeAt,
      ...(record.lastError === undefined ? {} : { lastError: record.lastError }),
    };
    return {
      token: recorded ? { ...generated.token, rotation } : generated.token,
      value: generated.value,
      stored: generated.stored,
      storeError: generated.storeError,
      predecessor: predecessor.name,
    };
  });
}

/**
 * Step 2: revokes the predecessor (its value goes only once the server confirms), then ends the
 * rotation. If the revoke fails, both tokens stay and the record says why; the error is rethrown.
 * Once the server has revoked it, the rotation is over, even if the keychain keeps its value.
 */
export function completeRotation(ctx: VaultContext, ref: TokenRef): Promise<void> {
  return exclusive(ctx, ref.accountId, async () => {
    const record = await findRotation(ctx, ref);
    const old = { accountId: record.accountId, name: record.predecessor };
    try {
      await revokeOnServer(ctx, old);
    } catch (error) {
      // Written to vault.json and shown in lists: a server's or the OS's words, sanitized.
      const lastError = redact(describe(error));
      // The revoke's failure is what the caller must see, even if the disk refuses the note too.
      await ctx.store
        .update((m) => {
          const kept = m.rotations?.find((r) => sameRotation(r, record));
          if (kept) kept.lastError = lastError;
        })
        .catch(() => undefined);
      ctx.log.warn('rotation not completed', { account: ref.accountId, name: ref.name, error: lastError });
      // Everyone showing the list learns why (a stale list carries the rotation state too).
      await listTokens(ctx, ref.accountId).catch(() => undefined);
      throw error;
    }
    ctx.log.info('token rotation completed', { account: ref.accountId, predecessor: record.predecessor });
    // Where the predecessor's value was delivered, its successor's goes from now on.
    await ctx.store
      .update((m) => {
        for (const d of m.deliveries ?? []) {
          if (d.accountId === record.accountId && d.tokenName === record.predecessor)
            d.tokenName = record.successor;
        }
      })
      .catch(() => undefined);
    try {
      await forgetRevoked(ctx, old);
    } finally {
      // forgetRevoked's refresh already ended it, unless that refresh failed: then show the end now.
      if (await removeRotation(ctx, record)) await listTokens(ctx, ref.accountId).catch(() => undefined);
    }
  });
}

/** Abandons a rotation: both tokens stay, nothing is revoked. */
export function cancelRotation(ctx: VaultContext, ref: TokenRef): Promise<void> {
  return exclusive(ctx, ref.accountId, async () => {
    const record = await findRotation(ctx, ref);
    await removeRotation(ctx, record);
    ctx.log.info('token rotation cancelled', { account: ref.accountId, predecessor: record.predecessor });
    await listTokens(ctx, ref.accountId).catch(() => undefined);
  });
}

/**
 * Revokes predecessors whose `revokeAt` has come, with one Clock timer for the soonest. Replanned
 * on start and whenever the tokens change (every rotation step ends with a refreshed list); a
 * failed revoke is tried again ROTATION_RETRY_MS later, its reason kept in the record.
 */
export class RotationScheduler {
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;
  /** Failed attempts wait ROTATION_RETRY_MS, even when the disk refuses to note the new time. */
  private readonly retryAt = new Map<string, number>();

  constructor(private readonly ctx: VaultContext) {}

  /** Catches up at once on any revokeAt that passed while the app was off. */
  start(): Promise<void> {
    this.stopped = false;
    return this.replan();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  /** Resolves once no planning or scheduled revoke is in progress (including work it queued). */
  async settled(): Promise<void> {
    for (let seen = this.running; ; seen = this.running) {
      await seen;
      if (seen === this.running) return;
    }
  }

  replan(): Promise<void> {
    return this.enqueue('plan', () => this.arm());
  }

  private enqueue(step: string, work: () => Promise<void>): Promise<void> {
    this.running = this.running.then(work).catch((error: unknown) => {
      this.ctx.log.error('rotation scheduler failed', { step, error: describe(error) });
    });
    return this.running;
  }

  private async arm(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    if (this.stopped) return;
    let metadata = await this.ctx.store.load();
    // An account removed from the vault takes its rotations with it.
    if (metadata.rotations?.some((r) => !hasAccount(metadata, r.accountId))) {
      metadata = await this.ctx.store.update(
        (m) => void (m.rotations = m.rotations?.filter((r) => hasAccount(m, r.accountId))),
      );
    }
    const rotations = metadata.rotations ?? [];
    for (const key of this.retryAt.keys()) {
      if (!rotations.some((r) => rotationKey(r) === key)) this.retryAt.delete(key);
    }
    const times = rotations.flatMap((r) => (r.revokeAt === null ? [] : [this.attemptAt(r)]));
    if (times.length === 0) return;
    // Capped: Node's timers overflow past 24.8 days, and a sleeping machine's clock moves on.
    const delay = Math.min(Math.max(0, Math.min(...times) - this.ctx.clock.now()), MAX_SLEEP_MS);
    this.timer = this.ctx.clock.setTimeout(() => void this.enqueue('revoke', () => this.revokeDue()), delay);
  }

  /** The record's revokeAt, or later if an attempt failed (even if noting that on disk failed too). */
  private attemptAt(record: RotationRecord): number {
    return Math.max(record.revokeAt ?? 0, this.retryAt.get(rotationKey(record)) ?? 0);
  }

  private async revokeDue(): Promise<void> {
    try {
      const now = this.ctx.clock.now();
      const due = ((await this.ctx.store.load()).rotations ?? []).filter(
        (r) => r.revokeAt !== null && this.attemptAt(r) <= now,
      );
      for (const record of due) {
        if (this.stopped) return;
        try {
          await completeRotation(this.ctx, { accountId: record.accountId, name: record.predecessor });
        } catch {
          // completeRotation kept the reason and logged it. The next attempt's time is shown too.
          const next = this.ctx.clock.now() + ROTATION_RETRY_MS;
          this.retryAt.set(rotationKey(record), next);
          await this.ctx.store
            .update((m) => {
              const kept = m.rotations?.find((r) => sameRotation(r, record));
              if (kept) kept.revokeAt = next;
            })
            .catch(() => undefined);
        }
      }
    } finally {
      await this.arm();
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** SonarQube trims and caps names at 100: "<base>-<today>", then "-2", "-3"… while one is taken. */
export function successorName(predecessor: string, today: string, taken: ReadonlySet<string>): string {
  const base = predecessor.replace(DATED_SUFFIX, '');
  for (let n = 1; ; n++) {
    const suffix = `${base ? '-' : ''}${today}${n > 1 ? `-${n}` : ''}`;
    const name = `${base.slice(0, MAX_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(name)) return name;
  }
}

function successorKind(
  account: AccountRecord,
  predecessor: ServerToken,
): { type: TokenType; projectKey?: string } {
  // Cloud has user tokens only; servers before 9.5 report no type, and had only user tokens.
  const type = flavourOf(account) === 'cloud' ? 'USER_TOKEN' : (predecessor.type ?? 'USER_TOKEN');
  if (type !== 'PROJECT_ANALYSIS_TOKEN') return { type };
  const projectKey = predecessor.project?.key;
  if (!projectKey) {
    throw new VaultError(
      'rejected',
      `The server does not say which project "${predecessor.name}" analyses: generate its successor by hand.`,
    );
  }
  return { type, projectKey };
}

/**
 * The predecessor's lifetime in whole days (at least 1) from today (UTC); never before tomorrow,
 * never beyond the server's cap. Never-expiring stays never-expiring where the server allows it.
 * Cloud: no date (a token lives 60 days after its last use).
 */
function successorExpiry(
  account: AccountRecord,
  predecessor: ServerToken,
  now: number,
  maxDays: number | null,
): string | null {
  if (flavourOf(account) === 'cloud') return null;
  const expiresAt = parseSonarDate(predecessor.expirationDate);
  let days: number | null = null;
  if (expiresAt !== null) {
    const createdAt = parseSonarDate(predecessor.createdAt);
    if (createdAt === null) {
      throw new VaultError(
        'rejected',
        `The server does not say when "${predecessor.name}" was created, so its lifetime is unknown: generate its successor by hand.`,
      );
    }
    days = Math.max(1, Math.round((expiresAt - createdAt) / DAY_MS));
  }
  if (maxDays !== null) days = days === null ? maxDays : Math.min(days, maxDays);
  if (days === null) return null;
  const day = addDays(utcDay(now), days);
  const earliest = tomorrowUtc(now);
  return day < earliest ? earliest : day;
}

/**
 * One rotation step at a time per account: a double click cannot send two generates, and the
 * scheduler and the user cannot both act on one rotation at once. A switch of the account's own
 * credential (own-credential/) takes its turn in the same queue.
 */
const queues = new WeakMap<VaultContext, Map<string, Promise<unknown>>>();

export function exclusive<T>(ctx: VaultContext, accountId: string, step: () => Promise<T>): Promise<T> {
  let byAccount = queues.get(ctx);
  if (!byAccount) queues.set(ctx, (byAccount = new Map<string, Promise<unknown>>()));
  const run = (byAccount.get(accountId) ?? Promise.resolve()).then(step);
  const tail = run.catch(() => undefined);
  byAccount.set(accountId, tail);
  void tail.then(() => {
    if (byAccount.get(accountId) === tail) byAccount.delete(accountId);
  });
  return run;
}

function pendingRotations(metadata: Metadata, accountId: string): RotationRecord[] {
  return (metadata.rotations ?? []).filter((r) => r.accountId === accountId);
}

async function findRotation(ctx: VaultContext, ref: TokenRef): Promise<RotationRecord> {
  await findAccount(ctx, ref.accountId);
  const record = pendingRotations(await ctx.store.load(), ref.accountId).find(
    (r) => r.predecessor === ref.name,
  );
  if (!record) throw new VaultError('not-found', `No rotation of "${ref.name}" is in progress.`);
  return record;
}

/** True when the record was still there. */
async function removeRotation(ctx: VaultContext, record: RotationRecord): Promise<boolean> {
  let removed = false;
  await ctx.store.update((m) => {
    const rest = (m.rotations ?? []).filter((r) => !sameRotation(r, record));
    removed = rest.length !== (m.rotations ?? []).length;
    m.rotations = rest;
  });
  return removed;
}

function sameRotation(a: RotationRecord, b: RotationRecord): boolean {
  return rotationKey(a) === rotationKey(b);
}

function rotationKey(record: RotationRecord): string {
  return `${record.accountId}\n${record.predecessor}`;
}

/** A VaultError's message is written for the user and holds no secret; anything else may. */
function describe(error: unknown): string {
  if (error instanceof VaultError) return error.message;
  return `Unexpected failure (${error instanceof Error ? error.name : 'unknown'}).`;
}
