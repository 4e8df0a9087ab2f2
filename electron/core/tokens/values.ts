/** The held values' few ways out (copy, reveal: each recorded in the history), and forgetting one. */
import type { CopiedVia, HistoryEntry, TokenRef } from '@contract';
import { findAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import { deleteSecret, keepSecret } from '@core/storage/keychain';
import { heldValueOf, secretKeys } from '@core/storage/keys';
import type { Metadata, VaultTokenRecord } from '@core/storage/schema';
import { listTokens } from './list';

/** Copies a held value in the core (the window by default, or the tray menu asked). */
export async function copyToken(
  ctx: VaultContext,
  ref: TokenRef,
  via: CopiedVia = 'window',
): Promise<{ clearAfterMs: number }> {
  const value = await heldValue(ctx, ref);
  const { settings } = await ctx.store.load();
  await ctx.clipboard.copy(value, settings.clipboardClearMs);
  ctx.log.info('token copied', { account: ref.accountId, name: ref.name, via });
  await recordUse(ctx, ref, 'copy', via);
  return { clearAfterMs: settings.clipboardClearMs };
}

export async function revealToken(
  ctx: VaultContext,
  ref: TokenRef,
): Promise<{ value: string; hideAfterMs: number }> {
  const value = await heldValue(ctx, ref);
  ctx.log.info('token revealed', { account: ref.accountId, name: ref.name });
  await recordUse(ctx, ref, 'reveal', 'window');
  return { value, hideAfterMs: (await ctx.store.load()).settings.revealMs };
}

/**
 * Each use of a held value goes into its history: when, what, from where, never the value. Not
 * recording (a full disk) is logged; the use itself stands.
 */
async function recordUse(
  ctx: VaultContext,
  ref: TokenRef,
  action: HistoryEntry['action'],
  via: CopiedVia,
): Promise<void> {
  const token = { accountId: ref.accountId, name: ref.name };
  try {
    await ctx.history.record({ ...token, at: ctx.clock.now(), action, via });
    ctx.events.emit('tokens.historyChanged', token);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    ctx.log.warn('use not recorded', { account: ref.accountId, name: ref.name, code });
  }
}

export async function heldValue(ctx: VaultContext, ref: TokenRef): Promise<string> {
  await findAccount(ctx, ref.accountId);
  return heldValueOf(ctx.secrets, await ctx.store.load(), ref);
}

/** Forgets a held value; the token itself is not touched. */
export async function forgetToken(ctx: VaultContext, ref: TokenRef): Promise<void> {
  await findAccount(ctx, ref.accountId);
  await forgetValue(ctx, ref);
  ctx.log.info('token value forgotten', { account: ref.accountId, name: ref.name });
  await listTokens(ctx, ref.accountId).catch(() => undefined);
}

export async function forgetValue(ctx: VaultContext, ref: TokenRef): Promise<void> {
  const forget = (m: Metadata) => dropHeld(m, ref);
  await deleteSecret(ctx, secretKeys.token(ref.accountId, ref.name), forget);
  await ctx.store.update(forget);
}

/**
 * Keeps a new value: the keychain first (a write that lands after the vault gave up is kept only if
 * by then recorded), then its record in vault.json, replacing any record of that name.
 */
export async function keepValue(
  ctx: VaultContext,
  ref: TokenRef,
  value: string,
  record: Pick<VaultTokenRecord, 'type' | 'projectKey' | 'origin'>,
): Promise<void> {
  await keepSecret(ctx, secretKeys.token(ref.accountId, ref.name), value, (m) => holds(m, ref));
  await ctx.store.update((m) => {
    dropHeld(m, ref);
    m.tokens.push({ accountId: ref.accountId, name: ref.name, ...record, storedAt: ctx.clock.now() });
  });
}

/** Whether vault.json records the value of `ref` as held. */
export function holds(metadata: Metadata, ref: TokenRef): boolean {
  return metadata.tokens.some((t) => t.accountId === ref.accountId && t.name === ref.name);
}

export function dropHeld(draft: Metadata, ref: TokenRef): void {
  draft.tokens = draft.tokens.filter((t) => !(t.accountId === ref.accountId && t.name === ref.name));
}

/**
 * The journal of uses stays bounded: the last uses of each token still held. Not from a vault
 * that could not read its file (it knows no token): that history waits for whoever restores it.
 */
export async function compactHistory(ctx: VaultContext): Promise<void> {
  const { tokens } = await ctx.store.load();
  if (ctx.store.problem) return;
  const held = new Set(tokens.map((t) => `${t.accountId}\n${t.name}`));
  await ctx.history
    .compact((ref) => held.has(`${ref.accountId}\n${ref.name}`))
    .catch(() => ctx.log.warn('history not compacted'));
}
