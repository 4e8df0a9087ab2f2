/**
 * The account's tokens as its server lists them, merged with the values the vault holds; every
 * account refreshed a few at a time; an administrator's look at another user's tokens.
 */
import type { TokenList } from '@contract';
import { actingFor, withAccount } from '@core/accounts/access';
import { eachLimited } from '@core/concurrency';
import type { VaultContext } from '@core/context';
import { VaultError } from '@core/errors';
import { markOwnCredential } from '@core/own-credential/marks';
import { redact } from '@core/redact';
import type { RotationRecord } from '@core/storage/schema';
import { REFRESH_CONCURRENCY } from './refresher';
import {
  deliveryCounts,
  fromRecord,
  heldRecords,
  rotationRecords,
  toView,
  withRotations,
  withTargets,
} from './views';

/**
 * The account's tokens as its server lists them, merged with the values the vault holds. When the
 * server cannot answer, the last list it gave comes back marked stale, with the reason.
 */
export async function listTokens(ctx: VaultContext, accountId: string): Promise<TokenList> {
  // A list is as fresh as its question: of two lists asked at once (a refresh, and the one after a
  // generate), the one asked later wins even if it is answered first.
  const askedAt = ctx.clock.now();
  let list: TokenList;
  let onServer: Set<string>;
  try {
    ({ list, onServer } = await withAccount(ctx, accountId, async (api, account) => {
      const { tokens } = await api.searchTokens();
      const metadata = await ctx.store.load();
      const held = heldRecords(metadata, accountId);
      const listed = new Set(tokens.map((t) => t.name));
      const targets = deliveryCounts(metadata, accountId);
      const goneFromServer = [...held.values()].filter((r) => !listed.has(r.name));
      const views = [
        ...tokens.map((t) => withTargets(toView(account, t, held.get(t.name) ?? false), targets)),
        ...goneFromServer.map((r) =>
          withTargets({ ...toView(account, fromRecord(r), r), onServer: false }, targets),
        ),
      ];
      // A rotation whose predecessor the server no longer lists is over, however it ended.
      const rotations = rotationRecords(metadata, accountId).filter((r) => listed.has(r.predecessor));
      return {
        list: {
          accountId,
          tokens: withRotations(views, rotations),
          refreshedAt: askedAt,
          stale: false,
        },
        onServer: listed,
      };
    }));
  } catch (error) {
    const metadata = await ctx.store.load();
    const snapshot = metadata.snapshots[accountId];
    if (!(error instanceof VaultError) || !snapshot) throw error;
    // The rotation state is ours, not the server's: show it as it is now, even offline.
    const tokens = withRotations(snapshot.tokens, rotationRecords(metadata, accountId));
    list = { accountId, ...snapshot, tokens, stale: true, problem: redact(error.message) };
    ctx.events.emit('tokens.changed', list);
    return list;
  }
  // Kept for the expiry watcher and the tray (and shown offline): the last list each server gave.
  const { rotations } = await ctx.store.putList(accountId, {
    refreshedAt: list.refreshedAt,
    tokens: list.tokens,
  });
  const over = (r: RotationRecord) => r.accountId === accountId && !onServer.has(r.predecessor);
  if (rotations?.some(over)) {
    await ctx.store.update((m) => {
      m.rotations = m.rotations?.filter((r) => !over(r));
    });
  }
  ctx.events.emit('tokens.changed', list);
  return list;
}

/** Every account at once, a few at a time: one slow server does not hold up the others. */
export async function refreshAll(ctx: VaultContext): Promise<{ refreshed: number; failed: number }> {
  return refreshAccounts(
    ctx,
    (await ctx.store.load()).accounts.map((a) => a.id),
  );
}

/**
 * These accounts' lists, REFRESH_CONCURRENCY at a time: a slow or hung server holds up its own
 * slot only, and meanwhile everyone else reads its last list (the tray, the watcher, All tokens).
 */
export async function refreshAccounts(
  ctx: VaultContext,
  ids: readonly string[],
): Promise<{ refreshed: number; failed: number }> {
  let refreshed = 0;
  await eachLimited(ids, REFRESH_CONCURRENCY, async (id) => {
    // withAccount records each account's status; a failure does not stop the others.
    const list = await listTokens(ctx, id).catch(() => null);
    if (list && !list.stale) refreshed++;
  });
  return { refreshed, failed: ids.length - refreshed };
}

/** An administrator's view of another user's tokens; nothing of theirs is kept. */
export async function listTokensFor(ctx: VaultContext, accountId: string, login: string): Promise<TokenList> {
  return withAccount(ctx, accountId, async (api, account) => {
    const { tokens } = await actingFor(account, login, () => api.searchTokens(login));
    return {
      accountId,
      tokens: tokens.map((t) => ({ ...toView(account, t, false, login), owner: login })),
      refreshedAt: ctx.clock.now(),
      stale: false,
    };
  });
}

/**
 * Every account's last list, from the vault alone (All tokens searches across them offline):
 * stale when the last call to that server failed, each marked as its account stands now (a list
 * kept from before a switch of the own credential names the old token).
 */
export async function allLists(ctx: VaultContext): Promise<TokenList[]> {
  const { accounts, snapshots } = await ctx.store.load();
  return accounts.flatMap((a) => {
    const snapshot = snapshots[a.id];
    const failing = ctx.status.get(a.id)?.status;
    return snapshot
      ? [
          {
            accountId: a.id,
            ...snapshot,
            tokens: markOwnCredential(a, snapshot.tokens),
            stale: failing !== undefined && failing !== 'ok',
          },
        ]
      : [];
  });
}
