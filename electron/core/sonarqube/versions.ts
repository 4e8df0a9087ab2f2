/**
 * Which SonarQube Server a feature needs, and the refusal that says so before a request is sent
 * that an older server would refuse, or worse, quietly ignore (a Server drops a parameter it does
 * not know: an expiration date before 9.6, a token type before 9.5, and makes a plain user token
 * that never expires). SonarQube Cloud reports an old version number (8.0) but has everything the vault uses.
 */
import type { AccountKind } from '@contract';
import { VaultError } from '@core/errors';
import { isCloud } from './regions';

/** The first Server version with each feature the vault depends on. */
export const SINCE = {
  /** The IDE hand-off page `/sonarlint/auth` and its POST to the loopback port. */
  browserSignIn: '9.7',
  /** api/user_tokens/generate `type` and `projectKey`: global and project analysis tokens. */
  tokenTypes: '9.5',
  /** api/user_tokens/generate `expirationDate` (the server's own changelog for both). */
  expirationDates: '9.6',
  /** Bearer tokens; before this the client sends the token as a basic-auth login on its own. */
  bearer: '10.0',
} as const;

/** What the refusal needs to know of a server: an account record fits as it is. */
export interface VersionedServer {
  readonly kind: AccountKind;
  /** As api/server/version answered ("9.5.0.56709"); unknown: no refusal. */
  readonly serverVersion?: string | undefined;
  /** How the user knows it: the account's label, or its host before it is an account. */
  readonly label: string;
}

/**
 * Refuses (VaultError 'rejected') a feature a Server older than `minimum` lacks:
 * "Browser sign-in needs SonarQube Server 9.7 or later; ACME runs 9.5. Paste a token instead."
 * Cloud always passes, and so does a version that cannot be read (the server then answers in its
 * own words).
 */
export function requireVersion(
  server: VersionedServer,
  minimum: string,
  feature: string,
  instead = '',
): void {
  if (isCloud(server.kind) || server.serverVersion === undefined) return;
  if (atLeast(server.serverVersion, minimum) !== false) return;
  throw new VaultError(
    'rejected',
    `${feature} needs SonarQube Server ${minimum} or later; ${server.label} runs ${shortVersion(server.serverVersion)}.${instead ? ` ${instead}` : ''}`,
  );
}

/** "10.7.0.96327" >= "9.7"? Segment by segment, as numbers; null when `version` is not one. */
export function atLeast(version: string, minimum: string): boolean | null {
  const have = numbers(version);
  const need = numbers(minimum);
  if (have === null || need === null) return null;
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** "9.5.0.56709" -> "9.5": what people call a version. */
export function shortVersion(version: string): string {
  return /^\d+\.\d+/.exec(version.trim())?.[0] ?? version.trim();
}

function numbers(version: string): number[] | null {
  const match = /^\d+(?:\.\d+)*/.exec(version.trim());
  return match ? match[0].split('.').map(Number) : null;
}
