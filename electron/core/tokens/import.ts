/**
 * Keeps a pasted value for a token the server lists. SonarQube does not say which token a value
 * is, so the check is what it can be: the token exists on the server, the value is not one the
 * vault holds for another token, and it authenticates as the account's own user.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenRef, TokenView } from '@contract';
import { clientFor, findAccount, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import { VaultError } from '@core/errors';
import { secretKeys } from '@core/storage/keys';
import type { AccountRecord } from '@core/storage/schema';
import { listTokens } from './list';
import { keepValue } from './values';
import { toView } from './views';

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
  await keepValue(ctx, input, input.value, {
    type: listed.type,
    projectKey: listed.project?.key,
    origin: 'imported',
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
