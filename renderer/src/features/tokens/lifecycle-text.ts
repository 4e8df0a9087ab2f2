/**
 * The words of the token lifecycle (revoke, forget, import, stale lists, a refused credential),
 * kept pure so they are tested once and read the same everywhere.
 */
import type { TokenList } from '@contract';
import { formatDateTime, type DateDisplay } from '@renderer/format';

export function revokeQuestion(name: string, accountLabel: string): string {
  return `Revoke ${name} on ${accountLabel}? Anything using it stops working at once. This cannot be undone.`;
}

export function forgetQuestion(name: string): string {
  return `Forget the value of ${name}? The vault holds it, but the server no longer knows this token.`;
}

export function importLead(name: string): string {
  return `Paste the value of ${name}. The vault checks it with the server before keeping it in your OS keychain.`;
}

export function replaceCredentialLead(login: string): string {
  return `Create a new user token for ${login} in SonarQube, paste it here. It is kept only in your OS keychain.`;
}

export function rotateLead(name: string): string {
  return `Generate a successor for ${name} with the same type, project and lifetime. The old token stays until you confirm the new one works.`;
}

export function finishRotationQuestion(name: string, accountLabel: string, successor: string): string {
  return `Revoke ${name} on ${accountLabel}? Confirm that ${successor} works first.`;
}

export function rotationFailedText(lastError: string): string {
  return `Not revoked yet: ${lastError}`;
}

/** In the "copy it now" panel of a token generated for another user. */
export function handOverText(login: string): string {
  return `Hand this value to ${login}: the vault does not keep other users' tokens.`;
}

/** Above a list the server could not give just now: when it is from, and why. */
export function staleText(
  list: Pick<TokenList, 'refreshedAt' | 'problem'>,
  display: DateDisplay = {},
): string {
  const asOf = `Showing the tokens as of ${formatDateTime(list.refreshedAt, display)}`;
  return list.problem ? `${asOf} — ${list.problem}` : asOf;
}

/** The account's own credential was refused; the core's reason goes in brackets, without its full stop. */
export function credentialInvalidText(statusMessage: string | undefined): string {
  const reason = statusMessage?.trim().replace(/\.$/, '');
  return reason
    ? `The vault's token for this account is no longer valid (${reason}).`
    : "The vault's token for this account is no longer valid.";
}
