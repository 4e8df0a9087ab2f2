/** Tokens: the server's list merged with what the vault holds, and the value's few ways out. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CopiedVia, GenerateInput, HistoryEntry, TokenList, TokenRef, TokenView } from '@contract';
import { eachLimited } from '@core/concurrency';
import type { ShownOnce } from '@core/once-values';
import { VaultError } from '@core/errors';
import { redact } from '@core/redact';
import { tokenExpiry } from '@shared/expiry';
import { parseSonarDate } from '@core/sonarqube/dates';
import type { GeneratedToken, ServerToken } from '@core/sonarqube/client';
import { clientFor, findAccount, flavourOf, withAccount } from '@core/accounts/accounts';
import { secretKeys, type VaultContext } from '@core/context';
import { deleteSecret, keepSecret } from '@core/storage/keychain';
import type { AccountRecord, Metadata, RotationRecord, VaultTokenRecord } from '@core/storage/metadata-store';
import { isOwnCredential, refuseUnconfirmedRevoke } from '@core/own-credential/marks';
import { ownCredentialRevoked } from '@core/own-credential/own-credential';
import { REFRESH_CONCURRENCY } from './refresher';
import { requireTokenFeatures } from './server-features';

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

function rotationRecords(metadata: Metadata, accountId: string): RotationRecord[] {
  return (metadata.rotations ?? []).filter((r) => r.accountId === accountId);
}

/** Marks both tokens of each rotation; any rotation a view carried before is replaced. */
function withRotations(views: readonly TokenView[], rotations: RotationRecord[]): TokenView[] {
  const byName = new Map<string, NonNullable<TokenView['rotation']>>();
  for (const r of rotations) {
    // Sanitized again here: a record written by an older version went to disk as it was.
    const state = {
      revokeAt: r.revokeAt,
      ...(r.lastError === undefined ? {} : { lastError: redact(r.lastError) }),
    };
    byName.set(r.successor, { role: 'successor', partner: r.predecessor, ...state });
    byName.set(r.predecessor, { role: 'predecessor', partner: r.successor, ...state });
  }
  // Most lists are in no rotation: their views are kept as they are, not copied.
  return views.map((view) => {
    const rotation = byName.get(view.name);
    if (rotation) return { ...view, rotation };
    if (!view.rotation) return view;
    const { rotation: _previous, ...rest } = view;
    return rest;
  });
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

export async function generateToken(
  ctx: VaultContext,
  input: GenerateInput,
): Promise<ShownOnce<'tokens.generate'>> {
  const result = await storeGenerated(ctx, input);
  // Refresh the list (and everyone showing it); the token exists whether or not this succeeds.
  if (!result.forUser) await listTokens(ctx, input.accountId).catch(() => undefined);
  return result;
}

/**
 * Generates (once: never retried) and keeps the value, without refreshing the list: rotation
 * records its own state first, so the one refresh that follows shows it.
 */
export async function storeGenerated(
  ctx: VaultContext,
  input: GenerateInput,
): Promise<ShownOnce<'tokens.generate'>> {
  const account = await findAccount(ctx, input.accountId);
  const cloud = flavourOf(account) === 'cloud';
  if (cloud && input.type !== 'USER_TOKEN') {
    throw new VaultError('invalid-input', 'SonarQube Cloud personal access tokens are user tokens only.');
  }
  // An older Server would drop a type or date it does not know and make a plain, lasting token.
  await requireTokenFeatures(ctx, account, input);
  const forUser = input.login && input.login !== account.login ? input.login : undefined;
  const generated = await withAccount(ctx, account.id, (api) =>
    asAdministrator(account, forUser, () =>
      api.generateToken({
        name: input.name,
        type: input.type,
        projectKey: input.type === 'PROJECT_ANALYSIS_TOKEN' ? input.projectKey : undefined,
        // Cloud has no fixed dates: a token lives 60 days after its last use.
        expirationDate: cloud ? undefined : (input.expirationDate ?? undefined),
        login: forUser,
      }),
    ),
  );
  ctx.log.info('token generated', {
    account: account.id,
    name: generated.name,
    forAnotherUser: Boolean(forUser),
  });
  const token = { ...toView(account, fromGenerated(generated, input), false, forUser), owner: forUser };
  // Another user's token is theirs to keep: it is shown once, to be handed over.
  if (forUser) return { token, value: generated.token, stored: false, forUser };

  let stored = true;
  let storeError: string | undefined;
  const ref = { accountId: account.id, name: generated.name };
  try {
    await keepSecret(ctx, secretKeys.token(ref.accountId, ref.name), generated.token, (m) => holds(m, ref));
    await ctx.store.update((m) => {
      dropHeld(m, ref);
      m.tokens.push({
        accountId: account.id,
        name: generated.name,
        type: generated.type ?? input.type,
        projectKey: generated.projectKey,
        storedAt: ctx.clock.now(),
        origin: 'generated',
      });
    });
  } catch (error) {
    // The server has shown the value once; the user must still get it, with the reason.
    stored = false;
    storeError = redact(error instanceof Error ? error.message : String(error));
    ctx.log.error('generated token not stored', { account: account.id, name: generated.name });
  }
  const held = { ...token, inVault: stored, ...(stored ? { origin: 'generated' as const } : {}) };
  return { token: held, value: generated.token, stored, storeError };
}

/** An administrator's view of another user's tokens; nothing of theirs is kept. */
export async function listTokensFor(ctx: VaultContext, accountId: string, login: string): Promise<TokenList> {
  return withAccount(ctx, accountId, async (api, account) => {
    const { tokens } = await asAdministrator(account, login, () => api.searchTokens(login));
    return {
      accountId,
      tokens: tokens.map((t) => ({ ...toView(account, t, false, login), owner: login })),
      refreshedAt: ctx.clock.now(),
      stale: false,
    };
  });
}

/** Acting for another user needs Administer System: a refusal says so, in those words. */
async function asAdministrator<T>(
  account: AccountRecord,
  forUser: string | undefined,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (forUser && error instanceof VaultError && error.code === 'forbidden') {
      throw new VaultError(
        'forbidden',
        `${account.login} lacks the Administer System permission on ${account.label}, which acting for ${forUser} needs.`,
      );
    }
    throw error;
  }
}

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
  const value = await ctx.secrets.get(secretKeys.token(ref.accountId, ref.name));
  if (value === null) {
    throw new VaultError('not-in-vault', `The vault does not hold the value of "${ref.name}".`);
  }
  return value;
}

/** How many delivery targets each token of the account has (few tokens have any). */
function deliveryCounts(metadata: Metadata, accountId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of metadata.deliveries ?? []) {
    if (d.accountId === accountId) counts.set(d.tokenName, (counts.get(d.tokenName) ?? 0) + 1);
  }
  return counts;
}

function withTargets(view: TokenView, counts: ReadonlyMap<string, number>): TokenView {
  const count = counts.get(view.name);
  return count ? { ...view, deliveryTargets: count } : view;
}

/** How the vault came to hold a value, when it recorded that (older records did not). */
function heldRecords(metadata: Metadata, accountId: string): Map<string, VaultTokenRecord> {
  return new Map(metadata.tokens.filter((t) => t.accountId === accountId).map((t) => [t.name, t]));
}

/** A held token the server no longer lists: what the vault recorded when it stored the value. */
function fromRecord(record: VaultTokenRecord): ServerToken {
  return {
    name: record.name,
    type: record.type,
    project: record.projectKey ? { key: record.projectKey } : undefined,
  };
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

/**
 * `held`: the vault's record of the token's value, or whether it holds one; `owner`: whose token it
 * is, when an administrator lists another user's (see isOwnCredential). One object per token: a
 * refresh makes thousands.
 */
function toView(
  account: AccountRecord,
  token: ServerToken,
  held: VaultTokenRecord | boolean,
  owner?: string,
): TokenView {
  const record = typeof held === 'object' ? held : undefined;
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
    inVault: held !== false,
    onServer: true,
    keepAlive: record?.keepAlive ?? false,
    ...(record?.origin ? { origin: record.origin } : {}),
    ...(isOwnCredential(account, token.name, owner) ? { ownCredential: true } : {}),
  };
}

/** Revokes on the server first; the value is forgotten only once the server has confirmed. */
export async function revokeToken(ctx: VaultContext, ref: RevokeRef): Promise<void> {
  const forUser = await revokeOnServer(ctx, ref);
  if (forUser) return;
  // Confirmed by the user: the account has no own credential any more.
  await ownCredentialRevoked(ctx, ref);
  await forgetRevoked(ctx, ref);
}

/** A token to revoke; the vault's own credential only with `ownCredentialConfirmed`. */
export type RevokeRef = TokenRef & {
  login?: string | undefined;
  ownCredentialConfirmed?: boolean | undefined;
};

/** The server part of a revoke; answers the other user it was for, if any. */
export async function revokeOnServer(ctx: VaultContext, ref: RevokeRef): Promise<string | undefined> {
  const account = await findAccount(ctx, ref.accountId);
  const forUser = ref.login && ref.login !== account.login ? ref.login : undefined;
  if (!forUser) refuseUnconfirmedRevoke(account, ref);
  await withAccount(ctx, ref.accountId, (api) =>
    asAdministrator(account, forUser, () => api.revokeToken(ref.name, forUser)),
  );
  ctx.log.info('token revoked', { account: ref.accountId, name: ref.name, forAnotherUser: Boolean(forUser) });
  return forUser;
}

/**
 * Once the server confirmed a revoke: forgets the value, then refreshes the list. If the keychain
 * does not answer, the token is still revoked: the value shows as gone from the server, to forget.
 */
export async function forgetRevoked(ctx: VaultContext, ref: TokenRef): Promise<void> {
  try {
    await forgetValue(ctx, ref);
  } catch (error) {
    const known = error instanceof VaultError;
    throw new VaultError(
      known ? error.code : 'internal',
      `"${ref.name}" is revoked. Its value could not be forgotten: ${known ? error.message : 'unexpected failure.'} ` +
        'It shows as gone from the server until you forget it.',
    );
  } finally {
    await listTokens(ctx, ref.accountId).catch(() => undefined);
  }
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

/** Whether vault.json records the value of `ref` as held. */
function holds(metadata: Metadata, ref: TokenRef): boolean {
  return metadata.tokens.some((t) => t.accountId === ref.accountId && t.name === ref.name);
}

function dropHeld(draft: Metadata, ref: TokenRef): void {
  draft.tokens = draft.tokens.filter((t) => !(t.accountId === ref.accountId && t.name === ref.name));
}

/**
 * Keeps a pasted value for a token the server lists. SonarQube does not say which token a value
 * is, so the check is what it can be: the token exists on the server, the value is not one the
 * vault holds for another token, and it authenticates as the account's own user.
 */
export async function importToken(
  ctx: VaultContext,
  input: TokenRef & { value: string },
): Promise<TokenView> {
  const { tokens } = await withAccount(ctx, input.accountId, (api) => api.searchTokens());
  const account = await findAccount(ctx, input.accountId);
  const listed = tokens.find((t) => t.name === input.name);
  if (!listed) {
    throw new VaultError(
      'not-found',
      `${account.login} has no token named "${input.name}" on ${account.label}.`,
    );
  }
  await refuseHeldElsewhere(ctx, account, input);
  let owner: string;
  try {
    owner = (await clientFor(ctx, account, input.value).currentUser()).login;
  } catch (error) {
    if (error instanceof VaultError && error.code === 'unauthorized') {
      throw new VaultError(
        'unauthorized',
        'The server did not accept that value: it may be mistyped, expired or revoked.',
      );
    }
    throw error;
  }
  if (owner !== account.login) {
    throw new VaultError(
      'rejected',
      `That value signs in as ${owner}, not ${account.login}: it is not one of this account's tokens.`,
    );
  }
  await keepSecret(ctx, secretKeys.token(account.id, input.name), input.value, (m) => holds(m, input));
  await ctx.store.update((m) => {
    dropHeld(m, input);
    m.tokens.push({
      accountId: account.id,
      name: input.name,
      type: listed.type,
      projectKey: listed.project?.key,
      storedAt: ctx.clock.now(),
      origin: 'imported',
    });
  });
  ctx.log.info('token value imported', { account: account.id, name: input.name });
  await listTokens(ctx, account.id).catch(() => undefined);
  return { ...toView(account, listed, true), origin: 'imported' };
}

/**
 * A value belongs to one token: refuses one the vault already holds for another token, or as a
 * credential, of this user on this server, in any of their accounts (rotating or revoking either
 * would act on the wrong token). Values are read from the keychain here and compared by SHA-256
 * digest in constant time; neither leaves the core.
 */
async function refuseHeldElsewhere(
  ctx: VaultContext,
  account: AccountRecord,
  input: TokenRef & { value: string },
): Promise<void> {
  const metadata = await ctx.store.load();
  const digest = sha256(input.value);
  const sameUser = metadata.accounts.filter(
    (a) => a.baseUrl === account.baseUrl && a.login === account.login,
  );
  for (const other of sameUser) {
    const where = other.id === account.id ? '' : ` (${other.label})`;
    const held = [
      { key: secretKeys.credential(other.id), as: `the credential of ${other.label}` },
      ...metadata.tokens
        .filter(
          (t) => t.accountId === other.id && !(t.accountId === input.accountId && t.name === input.name),
        )
        .map((t) => ({ key: secretKeys.token(other.id, t.name), as: `"${t.name}"${where}` })),
    ];
    for (const { key, as } of held) {
      const value = await ctx.secrets.get(key);
      if (value !== null && timingSafeEqual(sha256(value), digest)) {
        throw new VaultError(
          'rejected',
          `This value is already in the vault as ${as}: a value belongs to one token.`,
        );
      }
    }
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
