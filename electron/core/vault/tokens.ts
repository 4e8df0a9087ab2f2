/** Tokens: the server's list merged with what the vault holds, and the value's few ways out. */
import type { CallOutput, GenerateInput, TokenList, TokenRef, TokenView } from '../../contract';
import { VaultError } from '../errors';
import { tokenExpiry } from '../expiry/expiry';
import { parseSonarDate } from '../sonarqube/dates';
import type { GeneratedToken, ServerToken } from '../sonarqube/client';
import { findAccount, flavourOf, withAccount } from './accounts';
import { secretKeys, type VaultContext } from './context';
import type { AccountRecord } from './metadata-store';

export async function listTokens(ctx: VaultContext, accountId: string): Promise<TokenList> {
  const list = await withAccount(ctx, accountId, async (api, account) => {
    const { tokens } = await api.searchTokens();
    const held = await heldNames(ctx, accountId);
    return {
      accountId,
      tokens: tokens.map((t) => toView(account, t, held.has(t.name))),
      refreshedAt: ctx.clock.now(),
    };
  });
  // Kept for the expiry watcher and the tray (and shown offline): the last list each server gave.
  await ctx.store.update((m) => {
    if (m.accounts.some((a) => a.id === accountId)) m.snapshots[accountId] = list;
  });
  ctx.events.emit('tokens.changed', list);
  return list;
}

/** Every account at once, a few at a time: one slow server does not hold up the others. */
export async function refreshAll(ctx: VaultContext): Promise<{ refreshed: number; failed: number }> {
  const ids = (await ctx.store.load()).accounts.map((a) => a.id);
  let refreshed = 0;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        await listTokens(ctx, id);
        refreshed++;
      } catch {
        // withAccount has recorded the account's status; the others go on.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REFRESH_CONCURRENCY, ids.length) }, worker));
  return { refreshed, failed: ids.length - refreshed };
}

const REFRESH_CONCURRENCY = 4;

export async function generateToken(
  ctx: VaultContext,
  input: GenerateInput,
): Promise<CallOutput<'tokens.generate'>> {
  const account = await findAccount(ctx, input.accountId);
  const cloud = flavourOf(account) === 'cloud';
  if (cloud && input.type !== 'USER_TOKEN') {
    throw new VaultError('invalid-input', 'SonarQube Cloud personal access tokens are user tokens only.');
  }
  const generated = await withAccount(ctx, account.id, (api) =>
    api.generateToken({
      name: input.name,
      type: input.type,
      projectKey: input.type === 'PROJECT_ANALYSIS_TOKEN' ? input.projectKey : undefined,
      // Cloud has no fixed dates: a token lives 60 days after its last use.
      expirationDate: cloud ? undefined : (input.expirationDate ?? undefined),
    }),
  );
  ctx.log.info('token generated', { account: account.id, name: generated.name });

  let stored = true;
  let storeError: string | undefined;
  try {
    await ctx.secrets.set(secretKeys.token(account.id, generated.name), generated.token);
    await ctx.store.update((m) => {
      m.tokens = m.tokens.filter((t) => !(t.accountId === account.id && t.name === generated.name));
      m.tokens.push({
        accountId: account.id,
        name: generated.name,
        type: generated.type ?? input.type,
        projectKey: generated.projectKey,
        storedAt: ctx.clock.now(),
      });
    });
  } catch (error) {
    // The server has shown the value once; the user must still get it, with the reason.
    stored = false;
    storeError = error instanceof Error ? error.message : String(error);
    ctx.log.error('generated token not stored', { account: account.id, name: generated.name });
  }
  // Refresh the list (and everyone showing it); the token exists whether or not this succeeds.
  await listTokens(ctx, account.id).catch(() => undefined);
  return {
    token: toView(account, fromGenerated(generated, input), stored),
    value: generated.token,
    stored,
    storeError,
  };
}

export async function copyToken(ctx: VaultContext, ref: TokenRef): Promise<{ clearAfterMs: number }> {
  const value = await heldValue(ctx, ref);
  const { settings } = await ctx.store.load();
  await ctx.clipboard.copy(value, settings.clipboardClearMs);
  ctx.log.info('token copied', { account: ref.accountId, name: ref.name });
  return { clearAfterMs: settings.clipboardClearMs };
}

export async function revealToken(
  ctx: VaultContext,
  ref: TokenRef,
): Promise<{ value: string; hideAfterMs: number }> {
  const value = await heldValue(ctx, ref);
  ctx.log.info('token revealed', { account: ref.accountId, name: ref.name });
  return { value, hideAfterMs: (await ctx.store.load()).settings.revealMs };
}

async function heldValue(ctx: VaultContext, ref: TokenRef): Promise<string> {
  await findAccount(ctx, ref.accountId);
  const value = await ctx.secrets.get(secretKeys.token(ref.accountId, ref.name));
  if (value === null) {
    throw new VaultError('not-in-vault', `The vault does not hold the value of "${ref.name}".`);
  }
  return value;
}

async function heldNames(ctx: VaultContext, accountId: string): Promise<Set<string>> {
  const { tokens } = await ctx.store.load();
  return new Set(tokens.filter((t) => t.accountId === accountId).map((t) => t.name));
}

function fromGenerated(generated: GeneratedToken, input: GenerateInput): ServerToken {
  return {
    name: generated.name,
    type: generated.type ?? input.type,
    project: generated.projectKey ? { key: generated.projectKey } : undefined,
    createdAt: generated.createdAt,
    expirationDate: generated.expirationDate,
  };
}

function toView(account: AccountRecord, token: ServerToken, inVault: boolean): TokenView {
  const createdAt = parseSonarDate(token.createdAt);
  const lastUsedAt = parseSonarDate(token.lastConnectionDate);
  const { expiresAt, basis } = tokenExpiry(
    { createdAt, lastUsedAt, serverExpiresAt: parseSonarDate(token.expirationDate) },
    flavourOf(account),
  );
  return {
    accountId: account.id,
    name: token.name,
    type: token.type,
    projectKey: token.project?.key,
    projectName: token.project?.name,
    createdAt,
    lastUsedAt,
    expiresAt,
    expiryBasis: basis,
    serverSaysExpired: token.isExpired ?? false,
    inVault,
  };
}
