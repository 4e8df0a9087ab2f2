/**
 * The words of the vault's own credential (the account header, the revoke guard, the offer to
 * revoke the pasted token), kept pure so they are tested once and read the same everywhere.
 */
import type { AccountView, TokenView } from '@contract';
import { formatDateTime, type DateDisplay } from '@renderer/format';

/** The header's line about the token the vault signs in with; `ownRow` is its row in the list. */
export function ownCredentialLine(
  account: Pick<AccountView, 'kind' | 'ownCredential'>,
  ownRow: Pick<TokenView, 'expiresAt'> | undefined,
  display: DateDisplay = {},
): string | null {
  const own = account.ownCredential;
  if (!own) return null;
  const signsIn = `Signs in with the vault's own token, ${own.name}`;
  if (account.kind !== 'server') {
    const when = ownRow?.expiresAt == null ? '' : `, ${formatDateTime(ownRow.expiresAt, display)}`;
    return `${signsIn}: kept alive by the vault's use; expires 60 days after its last use${when}.`;
  }
  if (own.expiresAt === null) return `${signsIn}, which never expires.`;
  const renewed =
    own.renewAt === null ? '' : `; the vault renews it from ${formatDateTime(own.renewAt, display)}`;
  return `${signsIn}: expires ${formatDateTime(own.expiresAt, display)}${renewed}.`;
}

/** An account that signs in with the token the user pasted: what that means, and why not. */
export function pastedCredentialLine(unavailable: string | undefined): string {
  const line = 'Signs in with the token you pasted: the account stops working when it expires.';
  return unavailable ? `${line} ${unavailable}` : line;
}

export const ADOPT_LABEL = 'Use a vault-made token';

export function adoptedToast(name: string): string {
  return `The vault now signs in with its own token, ${name}`;
}

/** Under the header once the own credential replaced a pasted token. */
export function pastedOfferText(ownName: string): string {
  return `The vault now signs in with its own token, ${ownName}. The token you pasted is no longer needed: revoke it, so that no copy of it can be used.`;
}

export const PICK_PASTED_LEAD =
  'SonarQube cannot say which of your tokens a value is: pick the one you pasted. The most recently used come first.';

/**
 * The tokens the pasted one may be: the user's own that the server lists, not the vault's own
 * credential; most recently used first, then the newest.
 */
export function pastedCandidates(tokens: readonly TokenView[]): TokenView[] {
  const used = (t: TokenView) => t.lastUsedAt ?? Number.NEGATIVE_INFINITY;
  const created = (t: TokenView) => t.createdAt ?? Number.NEGATIVE_INFINITY;
  return tokens
    .filter((t) => t.onServer && !t.ownCredential && !t.owner)
    .sort((a, b) => used(b) - used(a) || created(b) - created(a));
}

/** A no-break space keeps "Vault's own" together: two lines in a narrow Vault column. */
export const OWN_CREDENTIAL_BADGE = "Vault's\u00a0own credential";

export function revokeOwnCredentialText(name: string, accountLabel: string): string {
  return `${name} is the token the vault signs in with for ${accountLabel}. Revoked, the account stops working until it gets a new credential: Replace credential with a token you paste, then let the vault make its own again.`;
}

export const REVOKE_OWN_CONFIRMATION =
  'I understand: the account stops working until it gets a new credential';
