/** When the vault renews its own credential: pure, so the threshold is tested on its own. */
import { DAY_MS } from '@shared/expiry';
import type { OwnCredentialRecord } from '@core/storage/schema';

/** Renewed no later than this before it expires, however short its lifetime. */
export const RENEW_MARGIN_MIN_MS = 7 * DAY_MS;

/**
 * When a third of its lifetime or 7 days remain, whichever comes first; null when it never
 * expires (a Server without a cap) or lives on by use (Cloud: the vault's refreshes use it).
 */
export function renewAt(own: Pick<OwnCredentialRecord, 'createdAt' | 'expiresAt'>): number | null {
  if (own.expiresAt === null) return null;
  const lifetime = own.expiresAt - own.createdAt;
  return own.expiresAt - Math.max(lifetime / 3, RENEW_MARGIN_MIN_MS);
}
