/**
 * How an account's tokens stand, for the sidebar: how many are expiring (under the first warning
 * threshold) or expired, and the worst state among them. Pure: callers pass the clock.
 */
import type { TokenView } from '@contract';
import { earliest, nextStateChange, tokenState } from '@renderer/features/tokens/countdown';

/** Worst last: an expired token already broke whatever used it. */
export const HEALTH_ORDER = ['ok', 'expiring', 'critical', 'expired'] as const;
export type Health = (typeof HEALTH_ORDER)[number];

export interface AccountHealth {
  /** Under the first threshold, critical ones included (as the Expiring filter counts them). */
  readonly expiring: number;
  readonly expired: number;
  readonly worst: Health;
}

type Counted = Pick<TokenView, 'expiresAt' | 'serverSaysExpired' | 'onServer'>;

/** Tokens the server no longer lists are not counted: they have their own badge. */
export function accountHealth(
  tokens: readonly Counted[],
  now: number,
  thresholds?: readonly number[],
): AccountHealth {
  let expiring = 0;
  let expired = 0;
  let worst = 0;
  for (const token of tokens) {
    if (!token.onServer) continue;
    const state = tokenState(token, now, thresholds);
    if (state === 'never' || state === 'ok') continue;
    if (state === 'expired') expired++;
    else expiring++;
    worst = Math.max(worst, HEALTH_ORDER.indexOf(state));
  }
  return { expiring, expired, worst: HEALTH_ORDER[worst]! };
}

/** When any token's state (and so the counts) next changes. */
export function nextHealthChange(
  tokens: readonly Counted[],
  now: number,
  thresholds?: readonly number[],
): number | null {
  return earliest(tokens.map((t) => (t.onServer ? nextStateChange(t, now, thresholds) : null)));
}

/** "3 expiring · 1 expired", or "None expiring". */
export function healthText({ expiring, expired }: AccountHealth): string {
  const parts = [
    expiring > 0 && `${expiring.toLocaleString()} expiring`,
    expired > 0 && `${expired.toLocaleString()} expired`,
  ];
  const text = parts.filter(Boolean).join(' · ');
  return text || 'None expiring';
}

export const HEALTH_NAMES: Readonly<Record<Health, string>> = {
  ok: 'all tokens fine',
  expiring: 'a token is expiring',
  critical: 'a token expires very soon',
  expired: 'a token has expired',
};
