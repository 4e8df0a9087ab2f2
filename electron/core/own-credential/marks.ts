/**
 * How the own credential shows (the account's view, the marker on its token) and the guard on
 * revoking it. Pure: the lists, the account view and the revoke all read it from here.
 */
import type { AccountView, TokenView } from '@contract';
import { VaultError } from '@core/errors';
import type { AccountRecord } from '@core/storage/schema';
import { renewAt } from './renew-at';

/**
 * Whether `name` (a token of `owner`, by default the account's own user) is the token the vault
 * signs in with, or the successor a switch is making: either one revoked stops the account.
 */
export function isOwnCredential(account: AccountRecord, name: string, owner = account.login): boolean {
  if (owner !== account.login) return false;
  return name === account.ownCredential?.name || name === account.ownCredentialState?.switch?.successor;
}

/** The views with the marker set as the account stands now (lists kept from before a switch too). */
export function markOwnCredential(account: AccountRecord, views: readonly TokenView[]): TokenView[] {
  return views.map(({ ownCredential: _before, ...view }) =>
    isOwnCredential(account, view.name, view.owner) ? { ...view, ownCredential: true } : view,
  );
}

/** What the account view says of its credential. */
export function ownCredentialView(
  account: AccountRecord,
): Pick<AccountView, 'ownCredential' | 'ownCredentialUnavailable' | 'pastedCredentialLeft'> {
  const own = account.ownCredential;
  const state = account.ownCredentialState;
  return {
    ...(own && {
      ownCredential: {
        name: own.name,
        expiresAt: own.expiresAt,
        renewAt: renewAt(own),
        ...(own.problem === undefined ? {} : { problem: own.problem }),
      },
    }),
    ...(state?.unavailable === undefined ? {} : { ownCredentialUnavailable: state.unavailable }),
    pastedCredentialLeft: state?.pastedLeft ?? false,
  };
}

/** Revoking the own credential needs the user's explicit confirmation: the account stops working. */
export function refuseUnconfirmedRevoke(
  account: AccountRecord,
  ref: { name: string; ownCredentialConfirmed?: boolean | undefined },
): void {
  if (ref.ownCredentialConfirmed || !isOwnCredential(account, ref.name)) return;
  throw new VaultError(
    'rejected',
    `"${ref.name}" is the token the vault signs in with for ${account.label}: revoked, the account stops working until it gets a new credential. Confirm that this is what you want.`,
  );
}
