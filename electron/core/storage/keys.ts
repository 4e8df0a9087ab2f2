/** Keychain entry names, and reading a held value by them. */
import type { TokenRef } from '@contract';
import { VaultError } from '@core/errors';
import type { SecretStore } from '@core/ports';
import type { Metadata } from './schema';

/** Values live only under these keys, in the OS keychain. */
export const secretKeys = {
  credential: (accountId: string) => `account/${accountId}/credential`,
  token: (accountId: string, name: string) => `token/${accountId}/${name}`,
  /** The credential for a delivery target's CI service (a GitHub or GitLab token). */
  delivery: (deliveryId: string) => `delivery/${deliveryId}/credential`,
};

/**
 * The value the vault holds for `ref`, read only when vault.json records it (an entry it does not
 * know is a leftover: never read); else a "not in the vault" error naming it as `shownAs`.
 */
export async function heldValueOf(
  secrets: SecretStore,
  metadata: Metadata,
  ref: TokenRef,
  shownAs = `"${ref.name}"`,
): Promise<string> {
  const notHeld = (why: string) => new VaultError('not-in-vault', `${shownAs} is not in the vault: ${why}`);
  if (!metadata.tokens.some((t) => t.accountId === ref.accountId && t.name === ref.name)) {
    throw notHeld('the vault does not hold its value (generate or import it in the app to keep it).');
  }
  const value = await secrets.get(secretKeys.token(ref.accountId, ref.name));
  if (value === null) throw notHeld('the keychain has no entry for it (was it removed from the keychain?).');
  return value;
}
