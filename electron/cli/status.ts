/**
 * `status`: one line, and an exit code for shell prompts and cron: 0 all fine, 1 a token expires
 * within the user's warning thresholds, 2 a token has expired or an account is broken (set aside,
 * its credential gone from the keychain, or the vault's file unreadable). Tokens count as the
 * app's tray icon counts them (the same function decides): muted accounts aside, and an expired
 * token only for a week, so a long-dead token the server still lists does not hold every prompt red.
 */
import { trayModel, RECENTLY_EXPIRED_MS } from '@core/tray-model';
import { describeTimeLeft } from '@core/expiry/notices';
import type { Metadata } from '@core/storage/schema';
import type { Listing } from './listing';

export const STATUS_EXIT = { ok: 0, expiring: 1, broken: 2, unknown: 3 } as const;

export interface Broken {
  /** Accounts whose credential the keychain no longer holds. */
  missingCredentials: string[];
  /** Why the keychain could not be asked (the credentials are then not checked). */
  keychainProblem: string | null;
  /** vault.json could not be read. */
  unreadable: boolean;
}

export function vaultStatus(
  metadata: Metadata,
  listing: Listing,
  broken: Broken,
): { exitCode: number; line: string } {
  const { now } = listing;
  const muted = new Set(metadata.settings.mutedAccounts);
  const watched = listing.accounts.filter((a) => !a.setAside && !muted.has(a.id)).flatMap((a) => a.tokens);
  const expiring = watched
    .filter((t) => t.state === 'expiring' || t.state === 'critical')
    .sort((a, b) => a.msLeft! - b.msLeft!);
  const expired = watched.filter((t) => t.state === 'expired' && -t.msLeft! < RECENTLY_EXPIRED_MS);
  const setAside = listing.accounts.filter((a) => a.setAside);
  const tokens = listing.accounts.reduce((n, a) => n + a.tokens.length, 0);
  const accounts = listing.accounts.length - setAside.length;

  const trouble = [
    broken.unreadable && "the vault's data file cannot be read",
    setAside.length && `set aside: ${setAside.map((a) => a.label).join(', ')}`,
    broken.missingCredentials.length && `credential missing: ${broken.missingCredentials.join(', ')}`,
    broken.keychainProblem && `keychain not available (${broken.keychainProblem})`,
    expired.length && `${expired.length} expired (${names(expired)})`,
    expiring.length &&
      `${expiring.length} expiring (soonest ${expiring[0]!.ref} in ${describeTimeLeft(expiring[0]!.msLeft!)})`,
  ].filter((part): part is string => Boolean(part));

  // The tray's own verdict on the tokens, so the two never disagree.
  const tray = trayModel(metadata, now).state;
  const isBroken = broken.unreadable || setAside.length > 0 || broken.missingCredentials.length > 0;
  const exitCode =
    isBroken || broken.keychainProblem || tray === 'expired'
      ? STATUS_EXIT.broken
      : tray === 'expiring'
        ? STATUS_EXIT.expiring
        : STATUS_EXIT.ok;
  const word = ['ok', 'expiring', 'critical'][exitCode]!;
  const counted = `${tokens} token${tokens === 1 ? '' : 's'} in ${accounts} account${accounts === 1 ? '' : 's'}`;
  const mutedNote = muted.size
    ? `; ${muted.size} muted account${muted.size === 1 ? '' : 's'} not counted`
    : '';
  const line = trouble.length
    ? `Token Vault ${word}: ${trouble.join('; ')} (${counted}${mutedNote})`
    : `Token Vault ok: ${counted}, none expiring${mutedNote}`;
  return { exitCode, line };
}

function names(rows: readonly { ref: string }[], shown = 3): string {
  const listed = rows.slice(0, shown).map((r) => r.ref);
  return rows.length > shown ? `${listed.join(', ')} and ${rows.length - shown} more` : listed.join(', ');
}
