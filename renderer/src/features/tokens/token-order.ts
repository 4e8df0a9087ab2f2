import type { TokenView } from '@contract';

type Ordered = Pick<TokenView, 'name' | 'expiresAt' | 'serverSaysExpired'> & { onServer?: boolean };

/**
 * What "soonest" means: gone from the server first (the held value no longer works: forget it),
 * then already expired, then by expiry instant; never-expiring last.
 */
function expiryKey(token: Ordered): [number, number] {
  if (token.onServer === false) return [0, 0];
  if (token.serverSaysExpired) return [1, 0];
  return [2, token.expiresAt ?? Number.POSITIVE_INFINITY];
}

/** Soonest to expire first (the same order as time left, whatever the clock); ties by name. */
export function byTimeLeft(a: Ordered, b: Ordered): number {
  const [ga, ka] = expiryKey(a);
  const [gb, kb] = expiryKey(b);
  if (ga !== gb) return ga - gb;
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.name.localeCompare(b.name);
}
