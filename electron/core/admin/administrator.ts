/**
 * Acting on every user of a server: SonarQube Server, and Administer System. The vault refuses
 * before asking (a non-administrator's user search would still answer, with less in it), and a
 * server that refuses later (the permission was taken away) gets the same words.
 */
import { VaultError } from '@core/errors';
import { findAccount, flavourOf, lacksAdminister } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import type { AccountRecord } from '@core/storage/schema';

/** What each administrator's action is called in a refusal ("…, which <what> needs."). */
export const SEARCHING_USERS = "searching the server's users";
export const LISTING_EVERY_USER = "listing every user's tokens";

export const CLOUD_HAS_NO_USER_SEARCH =
  "SonarQube Cloud offers no search of an organization's users that would show their tokens: type the exact login instead.";

/** The account, if it may act on every user; otherwise the refusal, in the vault's usual words. */
export async function administeredAccount(
  ctx: VaultContext,
  accountId: string,
  what: string,
): Promise<AccountRecord> {
  const account = await findAccount(ctx, accountId);
  if (flavourOf(account) === 'cloud') throw new VaultError('invalid-input', CLOUD_HAS_NO_USER_SEARCH);
  if (!account.isAdmin) throw lacksAdminister(account, what);
  return account;
}
