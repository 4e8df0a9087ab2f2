/** Revoking: on the server first; the value is forgotten only once the server has confirmed. */
import type { TokenRef } from '@contract';
import { actingFor, findAccount, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import { VaultError } from '@core/errors';
import { refuseUnconfirmedRevoke } from '@core/own-credential/marks';
import { listTokens } from './list';
import { forgetValue } from './values';

/** Revokes on the server first; the value is forgotten only once the server has confirmed. */
export async function revokeToken(ctx: VaultContext, ref: RevokeRef): Promise<void> {
  const forUser = await revokeOnServer(ctx, ref);
  if (forUser) return;
  // Confirmed by the user: the account has no own credential any more.
  await ctx.hooks.tokenRevoked(ref);
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
    actingFor(account, forUser, () => api.revokeToken(ref.name, forUser)),
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
