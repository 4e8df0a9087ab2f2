/**
 * The vault's own credential: the token it signs in with for an account is one it made itself
 * (or a browser sign-in handed over), recorded by name, so that the vault knows it, marks it in
 * the lists, guards it against a revoke, and renews it before it expires (scheduler.ts).
 */
import type { AccountView } from '@contract';
import { errorWords, VaultError } from '@core/errors';
import type { SignedIn } from '@core/sign-in/sign-ins';
import type { CredentialOrigin } from '@core/context';
import { parseSonarDate } from '@core/sonarqube/dates';
import type { ServerToken } from '@core/sonarqube/client';
import { listAccounts } from '@core/accounts/accounts';
import { findAccount, flavourOf, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import type { AccountRecord } from '@core/storage/schema';
import { exclusive } from '@core/concurrency';
import type { OwnCredentialState } from '@core/storage/schema';
import { renewAt } from './renew-at';
import { resumeSwitch, switchCredential } from './switch';

/**
 * Right after an account is stored. A sign-in's token is recorded as the vault's own; with a
 * pasted one (unless the user opted out) the vault makes its own. A failure does not undo the
 * account: it signs in with the pasted token, and its view says why there is no own credential.
 */
export async function ownCredentialOnAdd(
  ctx: VaultContext,
  account: AccountRecord,
  how: CredentialOrigin,
): Promise<AccountRecord> {
  try {
    if (how.signedIn) await recordSignedIn(ctx, account, how.signedIn);
    else if (how.wanted ?? true) await exclusive(ctx, account.id, () => adopt(ctx, account.id));
  } catch (error) {
    const why = how.signedIn
      ? `The vault could not tell which of your tokens the sign-in made (${errorWords(error)}), so it cannot renew it.`
      : `The vault could not make its own token: ${errorWords(error)}`;
    await setState(ctx, account.id, (state) => void (state.unavailable = why));
    ctx.log.warn('own credential not made', { account: account.id, error: errorWords(error) });
  }
  ctx.events.emit('accounts.changed', {});
  return findAccount(ctx, account.id);
}

/** An account that signs in with a pasted token gets a token of the vault's own ('accounts.adoptOwnCredential'). */
export async function adoptOwnCredential(ctx: VaultContext, accountId: string): Promise<AccountView> {
  await exclusive(ctx, accountId, () => adopt(ctx, accountId));
  return viewOf(ctx, accountId);
}

async function adopt(ctx: VaultContext, accountId: string): Promise<void> {
  const account = await findAccount(ctx, accountId);
  if (account.ownCredential) {
    throw new VaultError('rejected', `The vault already signs in to ${account.label} with its own token.`);
  }
  // An adoption a crash interrupted is finished rather than started again.
  await resumeSwitch(ctx, accountId);
  if ((await findAccount(ctx, accountId)).ownCredential) return;
  await switchCredential(ctx, accountId, 'adopt');
}

/** Stops offering to revoke the pasted token ('accounts.dismissPastedCredential'). */
export async function dismissPastedCredential(ctx: VaultContext, accountId: string): Promise<void> {
  await findAccount(ctx, accountId);
  await setState(ctx, accountId, (state) => void delete state.pastedLeft);
  ctx.events.emit('accounts.changed', {});
}

/** Whether the account's own credential needs the vault now: a switch to resume, or a renewal due. */
export function needsRenewal(account: AccountRecord, now: number): boolean {
  const at = nextRenewalAt(account);
  return at !== null && at <= now;
}

/** When the account's own credential needs the vault next; null: not before something changes. */
export function nextRenewalAt(account: AccountRecord): number | null {
  if (account.ownCredentialState?.switch) return 0;
  return account.ownCredential ? renewAt(account.ownCredential) : null;
}

/** Resumes an interrupted switch, then renews the own credential if its time has come. */
export function renewOwnCredential(ctx: VaultContext, accountId: string): Promise<void> {
  return exclusive(ctx, accountId, async () => {
    await resumeSwitch(ctx, accountId);
    const account = await findAccount(ctx, accountId);
    if (account.ownCredential && needsRenewal(account, ctx.clock.now())) {
      await switchCredential(ctx, accountId, 'renew');
    }
  });
}

/**
 * After the user revoked the own credential (confirmed): the account has none any more. It says
 * "token not accepted" and offers Replace credential; then the vault can make its own again.
 */
export async function ownCredentialRevoked(
  ctx: VaultContext,
  ref: { accountId: string; name: string },
): Promise<void> {
  const account = await findAccount(ctx, ref.accountId);
  if (account.ownCredential?.name !== ref.name) return;
  await ctx.store.update((m) => {
    const stored = m.accounts.find((a) => a.id === ref.accountId);
    if (stored?.ownCredential?.name === ref.name) delete stored.ownCredential;
  });
  ctx.log.info('own credential revoked by the user', { account: ref.accountId });
  ctx.events.emit('accounts.changed', {});
}

/**
 * Which token a sign-in made: the name and expiry it gave, or else (older servers say nothing)
 * the user's most recently created token, as SonarQube lists it.
 */
async function recordSignedIn(ctx: VaultContext, account: AccountRecord, signedIn: SignedIn): Promise<void> {
  const cloud = flavourOf(account) === 'cloud';
  let facts: { name: string; createdAt: number; expiresAt: number | null };
  if (signedIn.tokenName !== undefined && (cloud || signedIn.expiresAt !== undefined)) {
    facts = { name: signedIn.tokenName, createdAt: ctx.clock.now(), expiresAt: signedIn.expiresAt ?? null };
  } else {
    const { tokens } = await withAccount(ctx, account.id, (api) => api.searchTokens());
    const token =
      signedIn.tokenName === undefined ? newest(tokens) : tokens.find((t) => t.name === signedIn.tokenName);
    if (!token) throw new VaultError('not-found', 'the server lists no such token');
    facts = {
      name: token.name,
      createdAt: parseSonarDate(token.createdAt) ?? ctx.clock.now(),
      expiresAt: parseSonarDate(token.expirationDate),
    };
  }
  await ctx.store.update((m) => {
    const stored = m.accounts.find((a) => a.id === account.id);
    if (stored)
      stored.ownCredential = { ...facts, expiresAt: cloud ? null : facts.expiresAt, origin: 'signed-in' };
  });
}

function newest(tokens: readonly ServerToken[]): ServerToken | undefined {
  const created = (t: ServerToken) => parseSonarDate(t.createdAt) ?? Number.NEGATIVE_INFINITY;
  return tokens.reduce<ServerToken | undefined>(
    (best, t) => (!best || created(t) > created(best) ? t : best),
    undefined,
  );
}

async function setState(
  ctx: VaultContext,
  accountId: string,
  change: (state: OwnCredentialState) => void,
): Promise<void> {
  await ctx.store.update((m) => {
    const stored = m.accounts.find((a) => a.id === accountId);
    if (stored) change((stored.ownCredentialState ??= {}));
  });
}

async function viewOf(ctx: VaultContext, accountId: string): Promise<AccountView> {
  const view = (await listAccounts(ctx)).find((a) => a.id === accountId);
  if (!view) throw new VaultError('not-found', 'That account is not in the vault.');
  return view;
}
