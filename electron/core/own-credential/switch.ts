/**
 * Switching an account's credential to a new token of the vault's own, one step at a time, each
 * step written to vault.json before it is taken (records.ts, CredentialSwitch):
 *
 *   generating  the generate is sent: its answer, the only copy of the value, may be lost
 *   generated   the successor's value is in the keychain, held like any token's value
 *   switched    the successor is the account's credential; the previous own token is revoked next
 *
 * Resumed from any step, after a crash, a lost answer, a keychain or a network failure: a value
 * the keychain kept goes on; a successor whose value is lost is revoked on the server and made
 * again. The account's credential entry always holds a token that works: the previous one until
 * the successor is verified and swapped in, and the previous one is revoked only after that.
 * Callers hold the account's turn (rotation.ts `exclusive`).
 */
import { VaultError } from '@core/errors';
import { parseSonarDate } from '@core/sonarqube/dates';
import { clientFor, findAccount, flavourOf, hasAccount, withAccount } from '@core/accounts/access';
import { type VaultContext } from '@core/context';
import { secretKeys } from '@core/storage/keys';
import { generationRules } from '@core/tokens/generation';
import { keepSecret } from '@core/storage/keychain';
import type { AccountRecord, Metadata } from '@core/storage/schema';
import { forgetValue } from '@core/tokens/values';
import { listTokens } from '@core/tokens/list';
import { revokeOnServer } from '@core/tokens/revoke';
import { storeGenerated } from '@core/tokens/generate';
import { ownCredentialName } from './naming';
import type { CredentialSwitch } from '@core/storage/schema';

/** Starts a switch (none may be in progress) and takes it to its end. */
export async function switchCredential(
  ctx: VaultContext,
  accountId: string,
  purpose: CredentialSwitch['purpose'],
): Promise<void> {
  const account = await findAccount(ctx, accountId);
  const { tokens } = await withAccount(ctx, accountId, (api) => api.searchTokens());
  // The longest lifetime the server allows: its cap, or none (Cloud: 60 days after the last use).
  const { maxDate } = await generationRules(ctx, accountId);
  // Names of values the vault holds are taken too: the successor's value is held under its name.
  const held = (await ctx.store.load()).tokens.filter((t) => t.accountId === accountId);
  const taken = new Set([...tokens.map((t) => t.name), ...held.map((t) => t.name)]);
  const change: CredentialSwitch = {
    purpose,
    successor: ownCredentialName(ctx.computerName(), taken),
    previous: purpose === 'renew' ? (account.ownCredential?.name ?? null) : null,
    step: 'generating',
    startedAt: ctx.clock.now(),
  };
  await setSwitch(ctx, accountId, change);

  let generated: Awaited<ReturnType<typeof storeGenerated>>;
  try {
    generated = await storeGenerated(ctx, {
      accountId,
      name: change.successor,
      type: 'USER_TOKEN',
      expirationDate: maxDate,
    });
  } catch (error) {
    // A refusal created nothing; any other failure may have: the record stays, for the resume.
    if (refusedBeforeActing(error)) await setSwitch(ctx, accountId, undefined);
    throw error;
  }
  if (!generated.stored) {
    // The keychain refused the value: nobody could use this token, so it must not stay.
    await revokeOnServer(ctx, { accountId, name: change.successor, ownCredentialConfirmed: true });
    await setSwitch(ctx, accountId, undefined);
    throw new VaultError(
      'keychain-unavailable',
      `The keychain did not keep the vault's new token (${generated.storeError ?? 'no reason given'}).`,
    );
  }
  await setSwitch(ctx, accountId, {
    ...change,
    step: 'generated',
    successorCreatedAt: generated.token.createdAt ?? ctx.clock.now(),
    successorExpiresAt: recordedExpiry(account, generated.token.expiresAt),
  });
  await resumeSwitch(ctx, accountId);
}

/** Takes the account's switch in progress, if any, from the step it is at to its end. */
export async function resumeSwitch(ctx: VaultContext, accountId: string): Promise<void> {
  for (;;) {
    const account = await findAccount(ctx, accountId);
    const change = account.ownCredentialState?.switch;
    if (!change) return;
    if (change.step === 'generating') {
      if (await recoverValue(ctx, account, change)) continue;
      await revokeLost(ctx, account, change);
      // Then made again, as it was meant to be.
      return switchCredential(ctx, accountId, change.purpose);
    }
    if (change.step === 'generated') await swapIn(ctx, account, change);
    else await finish(ctx, account, change);
  }
}

/**
 * 'generating' found after a crash: the keychain may hold the value (written before the crash
 * recorded it). Then it is recorded as held, as the interrupted write would have, and goes on.
 */
async function recoverValue(
  ctx: VaultContext,
  account: AccountRecord,
  change: CredentialSwitch,
): Promise<boolean> {
  const value = await ctx.secrets.get(secretKeys.token(account.id, change.successor));
  if (value === null) return false;
  await ctx.store.update((m) => {
    if (!m.tokens.some((t) => t.accountId === account.id && t.name === change.successor)) {
      m.tokens.push({
        accountId: account.id,
        name: change.successor,
        type: 'USER_TOKEN',
        storedAt: ctx.clock.now(),
      });
    }
    const state = stateOf(m, account.id);
    if (state) state.switch = { ...change, step: 'generated' };
  });
  ctx.log.info('own credential: successor value recovered', { account: account.id });
  return true;
}

/**
 * The successor's value is lost (its generate's answer never came, or the keychain lost it): if
 * the server made the token, nobody can ever use it, so it is revoked before another is made.
 */
async function revokeLost(
  ctx: VaultContext,
  account: AccountRecord,
  change: CredentialSwitch,
): Promise<void> {
  const { tokens } = await withAccount(ctx, account.id, (api) => api.searchTokens());
  if (tokens.some((t) => t.name === change.successor)) {
    await revokeOnServer(ctx, {
      accountId: account.id,
      name: change.successor,
      ownCredentialConfirmed: true,
    });
    ctx.log.info('own credential: successor without a value revoked', { account: account.id });
  }
  await forgetValue(ctx, { accountId: account.id, name: change.successor });
  await setSwitch(ctx, account.id, undefined);
}

/** 'generated': verifies the successor, then makes it the account's credential. */
async function swapIn(ctx: VaultContext, account: AccountRecord, change: CredentialSwitch): Promise<void> {
  const value = await ctx.secrets.get(secretKeys.token(account.id, change.successor));
  if (value === null) {
    // Gone from the keychain since (forgotten as a leftover, say): start the step over.
    await setSwitch(ctx, account.id, { ...change, step: 'generating' });
    return;
  }
  await verify(ctx, account, change, value);
  const facts = await successorFacts(ctx, account, change);
  await keepSecret(ctx, secretKeys.credential(account.id), value, (m) => hasAccount(m, account.id));
  await ctx.store.update((m) => {
    const stored = m.accounts.find((a) => a.id === account.id);
    if (!stored) return;
    stored.ownCredential = { name: change.successor, ...facts, origin: 'generated' };
    const state = (stored.ownCredentialState ??= {});
    state.switch = { ...change, step: 'switched' };
    delete state.unavailable;
    if (change.purpose === 'adopt') state.pastedLeft = true;
  });
  ctx.log.info('own credential: signs in with its successor', { account: account.id });
  ctx.events.emit('accounts.changed', {});
}

/** Signs in with the successor as the account's user, before it replaces a credential that works. */
async function verify(
  ctx: VaultContext,
  account: AccountRecord,
  change: CredentialSwitch,
  value: string,
): Promise<void> {
  let login: string;
  try {
    login = (await clientFor(ctx, account, value).currentUser()).login;
  } catch (error) {
    if (!(error instanceof VaultError && error.code === 'unauthorized')) throw error;
    login = '';
  }
  if (login === account.login) return;
  // It will never work: gone, with its value, and the switch with it.
  await revokeOnServer(ctx, { accountId: account.id, name: change.successor, ownCredentialConfirmed: true });
  await forgetValue(ctx, { accountId: account.id, name: change.successor });
  await setSwitch(ctx, account.id, undefined);
  await listTokens(ctx, account.id).catch(() => undefined);
  throw new VaultError(
    'rejected',
    login
      ? `The vault's new token "${change.successor}" signed in as ${login}, not ${account.login}: it was revoked.`
      : `The server did not accept the vault's new token "${change.successor}": it was revoked.`,
  );
}

/** When the successor was made and expires: from the generate's answer, else from the list. */
async function successorFacts(
  ctx: VaultContext,
  account: AccountRecord,
  change: CredentialSwitch,
): Promise<{ createdAt: number; expiresAt: number | null }> {
  if (change.successorCreatedAt !== undefined && change.successorExpiresAt !== undefined) {
    return { createdAt: change.successorCreatedAt, expiresAt: change.successorExpiresAt };
  }
  const { tokens } = await withAccount(ctx, account.id, (api) => api.searchTokens());
  const listed = tokens.find((t) => t.name === change.successor);
  return {
    createdAt: parseSonarDate(listed?.createdAt) ?? change.startedAt,
    expiresAt: recordedExpiry(account, parseSonarDate(listed?.expirationDate)),
  };
}

/** 'switched': the successor's held entry was a waypoint; the previous own token is revoked. */
async function finish(ctx: VaultContext, account: AccountRecord, change: CredentialSwitch): Promise<void> {
  await forgetValue(ctx, { accountId: account.id, name: change.successor });
  if (change.previous !== null) {
    await revokeOnServer(ctx, { accountId: account.id, name: change.previous, ownCredentialConfirmed: true });
  }
  await setSwitch(ctx, account.id, undefined);
  ctx.log.info('own credential switched', { account: account.id, purpose: change.purpose });
  ctx.events.emit('accounts.changed', {});
  await listTokens(ctx, account.id).catch(() => undefined);
}

async function setSwitch(
  ctx: VaultContext,
  accountId: string,
  change: CredentialSwitch | undefined,
): Promise<void> {
  await ctx.store.update((m) => {
    const stored = m.accounts.find((a) => a.id === accountId);
    if (!stored) return;
    const state = (stored.ownCredentialState ??= {});
    if (change) state.switch = change;
    else delete state.switch;
  });
}

function stateOf(metadata: Metadata, accountId: string) {
  return metadata.accounts.find((a) => a.id === accountId)?.ownCredentialState;
}

/** Cloud tokens have no fixed date (60 days after the last use, and the vault uses its own). */
function recordedExpiry(account: AccountRecord, expiresAt: number | null): number | null {
  return flavourOf(account) === 'cloud' ? null : expiresAt;
}

/** The server answered with a refusal: it did not create the token (anything else may have). */
function refusedBeforeActing(error: unknown): boolean {
  return (
    error instanceof VaultError &&
    ['invalid-input', 'rejected', 'unauthorized', 'forbidden', 'not-found', 'not-in-vault'].includes(
      error.code,
    )
  );
}
