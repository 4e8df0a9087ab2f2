/**
 * When a token stops working, and how close that is. Pure functions of their inputs (the clock
 * is a parameter), shared by the core and the renderer's countdowns.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** SonarQube Cloud removes a token 60 days after its last use (or its creation, if never used). */
export const CLOUD_INACTIVITY_MS = 60 * DAY_MS;

/** Default warning thresholds, longest first: 14 days, 3 days, 1 day, 1 hour. */
export const DEFAULT_THRESHOLDS_MS: readonly number[] = [14 * DAY_MS, 3 * DAY_MS, DAY_MS, HOUR_MS];

export type Flavour = 'server' | 'cloud';
export type ExpiryBasis = 'fixed' | 'rolling' | 'never';
export type ExpiryState = 'never' | 'ok' | 'expiring' | 'critical' | 'expired';

export interface ExpiryFacts {
  createdAt: number | null;
  lastUsedAt: number | null;
  /** The instant the server reports (Server: the start of the chosen day, UTC). */
  serverExpiresAt: number | null;
}

export function tokenExpiry(
  facts: ExpiryFacts,
  flavour: Flavour,
): { expiresAt: number | null; basis: ExpiryBasis } {
  if (flavour === 'cloud') {
    const lastActivity = facts.lastUsedAt ?? facts.createdAt;
    if (lastActivity === null) return { expiresAt: facts.serverExpiresAt, basis: 'fixed' };
    const rolling = lastActivity + CLOUD_INACTIVITY_MS;
    // A fixed date, should Cloud ever report one, wins when it comes first.
    if (facts.serverExpiresAt !== null && facts.serverExpiresAt < rolling) {
      return { expiresAt: facts.serverExpiresAt, basis: 'fixed' };
    }
    return { expiresAt: rolling, basis: 'rolling' };
  }
  // Server: the reported instant is authoritative; no date means the token never expires.
  return facts.serverExpiresAt === null
    ? { expiresAt: null, basis: 'never' }
    : { expiresAt: facts.serverExpiresAt, basis: 'fixed' };
}

/**
 * ok above the first threshold, expiring below it, critical below the last one, expired at the
 * instant itself (a Server token stops working exactly at its expiration instant).
 */
export function expiryState(
  expiresAt: number | null,
  now: number,
  thresholds: readonly number[] = DEFAULT_THRESHOLDS_MS,
): ExpiryState {
  if (expiresAt === null) return 'never';
  const left = expiresAt - now;
  if (left <= 0) return 'expired';
  if (left <= Math.min(...thresholds)) return 'critical';
  if (left <= Math.max(...thresholds)) return 'expiring';
  return 'ok';
}
