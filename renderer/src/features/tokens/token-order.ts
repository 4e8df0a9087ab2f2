import type { TokenView } from '../../../../electron/contract';

/** What "soonest" means: already expired first, then by expiry instant; never-expiring last. */
function expiryKey(token: Pick<TokenView, 'expiresAt' | 'serverSaysExpired'>): number {
  if (token.serverSaysExpired) return Number.NEGATIVE_INFINITY;
  return token.expiresAt ?? Number.POSITIVE_INFINITY;
}

/** Soonest to expire first (the same order as time left, whatever the clock); ties by name. */
export function byTimeLeft(
  a: Pick<TokenView, 'name' | 'expiresAt' | 'serverSaysExpired'>,
  b: Pick<TokenView, 'name' | 'expiresAt' | 'serverSaysExpired'>,
): number {
  const ka = expiryKey(a);
  const kb = expiryKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.name.localeCompare(b.name);
}
