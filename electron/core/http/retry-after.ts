/** When a server asks to be called again: `Retry-After`, in seconds or as an HTTP date. */
import { LATEST_SHOWABLE_MS } from '@core/wording';

/** The wait asked for, in ms; null when absent or unreadable (so long that no date can say its end included). */
export function retryAfterMs(header: string | null, now: number): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) {
    const ms = Number(value) * 1000;
    return now + ms <= LATEST_SHOWABLE_MS ? ms : null;
  }
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
