/**
 * A token's countdown as the window shows it (its expiry state and time left) and the next instant
 * that would change, so each view sleeps until then. Pure: callers pass the clock and thresholds.
 */
import type { TokenView } from '@contract';
import { DEFAULT_THRESHOLDS_MS, expiryState, type ExpiryState } from '@shared/expiry';
import { formatTimeLeft, nextTimeLeftChange } from '@renderer/format';

export type Expiring = Pick<TokenView, 'expiresAt' | 'serverSaysExpired'>;

/** The state that colours a token: the server's verdict wins over our arithmetic (clocks differ). */
export function tokenState(token: Expiring, now: number, thresholds?: readonly number[]): ExpiryState {
  return token.serverSaysExpired ? 'expired' : expiryState(token.expiresAt, now, thresholds);
}

export interface Countdown {
  readonly state: ExpiryState;
  readonly text: string;
}

export function countdown(token: Expiring, now: number, thresholds?: readonly number[]): Countdown {
  const state = tokenState(token, now, thresholds);
  if (state === 'never') return { state, text: 'never' };
  if (state === 'expired' || token.expiresAt === null) return { state: 'expired', text: 'expired' };
  return { state, text: formatTimeLeft(token.expiresAt - now) };
}

/**
 * When the token's state next changes: it crosses the first threshold (expiring), the last one
 * (critical), or its expiry instant. `expiryState` counts a threshold as crossed at equality.
 */
export function nextStateChange(
  token: Expiring,
  now: number,
  thresholds: readonly number[] = DEFAULT_THRESHOLDS_MS,
): number | null {
  const { expiresAt } = token;
  if (token.serverSaysExpired || expiresAt === null) return null;
  const crossings = [expiresAt - Math.max(...thresholds), expiresAt - Math.min(...thresholds), expiresAt];
  return earliest(crossings.filter((t) => t > now));
}

/** When the countdown's text or colour next changes; null when neither ever will. */
export function nextCountdownChange(
  token: Expiring,
  now: number,
  thresholds?: readonly number[],
): number | null {
  if (token.serverSaysExpired || token.expiresAt === null) return null;
  return earliest([nextTimeLeftChange(token.expiresAt, now), nextStateChange(token, now, thresholds)]);
}

/** The earliest of some instants, ignoring nulls; null when there is none. */
export function earliest(instants: Iterable<number | null>): number | null {
  let soonest: number | null = null;
  for (const t of instants) if (t !== null && (soonest === null || t < soonest)) soonest = t;
  return soonest;
}
