/**
 * Rotation: a successor with the predecessor's type, project and lifetime first, the predecessor's
 * revocation only once the user confirms (or a chosen delay passes). Between the two steps a
 * record in the metadata says which token replaces which, so a failure at any step leaves both
 * tokens and the reason, never a lost value.
 */
import type { GenerateInput, TokenRef, TokenType } from '@contract';
import type { ShownOnce } from '@core/once-values';
import { exclusive } from '@core/concurrency';
import { errorWords, VaultError } from '@core/errors';
import { DAY_MS } from '@shared/expiry';
import { addDays, parseSonarDate, tomorrowUtc, utcDay } from '@core/sonarqube/dates';
import { lifetimeDays, type ServerToken } from '@core/sonarqube/client';
import { findAccount, flavourOf, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import type { AccountRecord, Metadata, RotationRecord } from '@core/storage/schema';
import { forgetRevoked, revokeOnServer } from './revoke';
import { listTokens } from './list';
import { storeGenerated } from './generate';

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
        error: errorWords(error),
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
      const lastError = errorWords(error);
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

export function sameRotation(a: RotationRecord, b: RotationRecord): boolean {
  return rotationKey(a) === rotationKey(b);
}

export function rotationKey(record: RotationRecord): string {
  return `${record.accountId}\n${record.predecessor}`;
}
