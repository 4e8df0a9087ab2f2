/**
 * Pure text helpers for what the renderer shows: time left, dates, day arithmetic in UTC, and
 * the words for the contract's enums. No DOM, no clock: callers pass `now`.
 */
import type { AccountKind, TokenType } from '@contract';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';

/**
 * "13d 4h", "3h 12m", "12m 5s", "45s", or "expired" at zero and below. Seconds round up, so the
 * text never claims less time than is left (1 ms left reads "1s", not "0s").
 */
export function formatTimeLeft(ms: number): string {
  if (!(ms > 0)) return 'expired';
  const totalSeconds = Math.ceil(ms / 1000);
  const days = Math.floor(totalSeconds / (DAY_MS / 1000));
  const hours = Math.floor((totalSeconds % (DAY_MS / 1000)) / (HOUR_MS / 1000));
  const minutes = Math.floor((totalSeconds % (HOUR_MS / 1000)) / (MINUTE_MS / 1000));
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/**
 * The first instant after `now` at which `formatTimeLeft(expiresAt - t)` reads differently, or null
 * once it says "expired" for good. The text's last unit sets the pace: hours while it shows days
 * ("13d 4h"), minutes while it shows hours ("3h 12m"), seconds below an hour. A countdown sleeps
 * until then instead of re-rendering every second.
 */
export function nextTimeLeftChange(expiresAt: number, now: number): number | null {
  const ms = expiresAt - now;
  if (!(ms > 0)) return null;
  const totalSeconds = Math.ceil(ms / 1000);
  const unit = totalSeconds >= DAY_MS / 1000 ? HOUR_MS / 1000 : totalSeconds >= HOUR_MS / 1000 ? 60 : 1;
  // The text holds while the seconds left (rounded up) stay at or above the current multiple of
  // the unit; it changes when they drop one below it.
  const multiple = Math.floor(totalSeconds / unit) * unit;
  return expiresAt - (multiple - 1) * 1000;
}

/** Where and how dates are shown; tests pin both, the app uses the user's own. */
export interface DateDisplay {
  locale?: string;
  timeZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions, display: DateDisplay): Intl.DateTimeFormat {
  const key = JSON.stringify([options, display.locale ?? '', display.timeZone ?? '']);
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(display.locale, { ...options, timeZone: display.timeZone });
    formatters.set(key, cached);
  }
  return cached;
}

/** An instant as a date and time in the user's time zone, e.g. "Dec 1, 2026, 1:00 AM". */
export function formatDateTime(ms: number, display: DateDisplay = {}): string {
  return formatter({ dateStyle: 'medium', timeStyle: 'short' }, display).format(ms);
}

/** An instant as a date in the user's time zone, e.g. "Sep 1, 2026". */
export function formatDate(ms: number, display: DateDisplay = {}): string {
  return formatter({ dateStyle: 'medium' }, display).format(ms);
}

/** An instant's time of day in the user's time zone, e.g. "1:00 AM". */
export function formatTime(ms: number, display: DateDisplay = {}): string {
  return formatter({ timeStyle: 'short' }, display).format(ms);
}

/** The time zone's name as the user would read it next to a time, e.g. "CET" or "GMT+1". */
export function timeZoneName(ms: number, display: DateDisplay = {}): string {
  const parts = formatter({ timeZoneName: 'short' }, display).formatToParts(ms);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/**
 * The day (YYYY-MM-DD) that is `days` after today, counted in UTC: SonarQube reads an
 * expiration day as a UTC day, and its earliest allowed one is tomorrow UTC.
 */
export function utcDayPlus(now: number, days: number): string {
  const today = new Date(now);
  const target = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days));
  return target.toISOString().slice(0, 10);
}

/** The UTC day (YYYY-MM-DD) an instant falls on: the day a Server's expiration date names. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** What stands in for a value the vault holds but does not show. */
export const MASKED_VALUE = '••••••••';

/** Feedback after a copy through the core, which clears the clipboard after `clearAfterMs`. */
export function copiedMessage(clearAfterMs: number): string {
  if (clearAfterMs <= 0) return 'Copied';
  const seconds = Math.round(clearAfterMs / 1000);
  const after = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  return `Copied. The clipboard will be cleared in ${after}`;
}

export const TOKEN_TYPE_NAMES: Readonly<Record<TokenType, string>> = {
  USER_TOKEN: 'User',
  GLOBAL_ANALYSIS_TOKEN: 'Global analysis',
  PROJECT_ANALYSIS_TOKEN: 'Project analysis',
};

/** Old servers do not report a token's type. */
export function tokenTypeName(type: TokenType | undefined): string {
  return type ? TOKEN_TYPE_NAMES[type] : 'Unknown';
}

/** The full names, as in the "Account type" choice. */
export const ACCOUNT_KIND_NAMES: Readonly<Record<AccountKind, string>> = {
  'cloud-eu': 'SonarQube Cloud (EU)',
  'cloud-us': 'SonarQube Cloud (US)',
  server: 'SonarQube Server',
};

/** The short names, for badges. */
export const ACCOUNT_KIND_BADGES: Readonly<Record<AccountKind, string>> = {
  'cloud-eu': 'Cloud EU',
  'cloud-us': 'Cloud US',
  server: 'Server',
};

export const ACCOUNT_KIND_ORDER: readonly AccountKind[] = ['cloud-eu', 'cloud-us', 'server'];

export function isCloudKind(kind: AccountKind): boolean {
  return kind !== 'server';
}
