import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import {
  copiedMessage,
  formatDate,
  formatDateTime,
  formatTime,
  formatTimeLeft,
  tokenTypeName,
  utcDayPlus,
} from '@renderer/format';
import { byTimeLeft } from '@renderer/features/tokens/token-order';

describe('formatTimeLeft', () => {
  it('shows days and hours above a day', () => {
    expect(formatTimeLeft(13 * DAY_MS + 4 * HOUR_MS + 59 * MINUTE_MS)).toBe('13d 4h');
    expect(formatTimeLeft(DAY_MS)).toBe('1d 0h');
  });

  it('shows hours and minutes below a day', () => {
    expect(formatTimeLeft(3 * HOUR_MS + 12 * MINUTE_MS + 30_000)).toBe('3h 12m');
    expect(formatTimeLeft(DAY_MS - 1_000)).toBe('23h 59m');
  });

  it('shows minutes and seconds below an hour', () => {
    expect(formatTimeLeft(12 * MINUTE_MS + 5_000)).toBe('12m 5s');
    expect(formatTimeLeft(HOUR_MS - 1_000)).toBe('59m 59s');
  });

  it('shows seconds below a minute, rounding up so it never reads 0s too early', () => {
    expect(formatTimeLeft(45_000)).toBe('45s');
    expect(formatTimeLeft(44_001)).toBe('45s');
    expect(formatTimeLeft(1)).toBe('1s');
    expect(formatTimeLeft(59_999)).toBe('1m 0s');
  });

  it('says expired at zero and after', () => {
    expect(formatTimeLeft(0)).toBe('expired');
    expect(formatTimeLeft(-5 * DAY_MS)).toBe('expired');
    expect(formatTimeLeft(Number.NaN)).toBe('expired');
  });
});

describe('dates', () => {
  const instant = Date.UTC(2026, 11, 1, 0, 0, 0); // 2026-12-01T00:00Z
  const paris = { locale: 'en-US', timeZone: 'Europe/Paris' };
  // ICU versions differ on the space before AM/PM (plain or narrow no-break).
  const plain = (text: string) => text.replace(/\s/g, ' ');

  it('formats an instant in the given time zone', () => {
    expect(plain(formatDateTime(instant, paris))).toBe('Dec 1, 2026, 1:00 AM');
    expect(plain(formatDateTime(instant, { locale: 'en-US', timeZone: 'America/New_York' }))).toBe(
      'Nov 30, 2026, 7:00 PM',
    );
    expect(formatDate(instant, paris)).toBe('Dec 1, 2026');
  });

  it('formats the time of day alone', () => {
    expect(plain(formatTime(instant, paris))).toBe('1:00 AM');
    expect(plain(formatTime(instant, { locale: 'en-GB', timeZone: 'UTC' }))).toBe('00:00');
  });
});

describe('utcDayPlus', () => {
  it('counts days from today in UTC, whatever the local time', () => {
    const lateOnNewYearsEve = Date.UTC(2025, 11, 31, 23, 30);
    expect(utcDayPlus(lateOnNewYearsEve, 0)).toBe('2025-12-31');
    expect(utcDayPlus(lateOnNewYearsEve, 1)).toBe('2026-01-01');
    expect(utcDayPlus(lateOnNewYearsEve, 90)).toBe('2026-03-31');
    expect(utcDayPlus(Date.UTC(2028, 1, 28, 1), 1)).toBe('2028-02-29');
    expect(utcDayPlus(Date.UTC(2026, 0, 1), 365)).toBe('2027-01-01');
  });
});

describe('copiedMessage', () => {
  it('tells when the clipboard will be cleared', () => {
    expect(copiedMessage(30_000)).toBe('Copied. The clipboard will be cleared in 30 s');
    expect(copiedMessage(300_000)).toBe('Copied. The clipboard will be cleared in 5 min');
    expect(copiedMessage(0)).toBe('Copied');
  });
});

describe('tokenTypeName', () => {
  it('names the types, and says unknown for servers that do not report one', () => {
    expect(tokenTypeName('USER_TOKEN')).toBe('User');
    expect(tokenTypeName('GLOBAL_ANALYSIS_TOKEN')).toBe('Global analysis');
    expect(tokenTypeName('PROJECT_ANALYSIS_TOKEN')).toBe('Project analysis');
    expect(tokenTypeName(undefined)).toBe('Unknown');
  });
});

describe('byTimeLeft', () => {
  const token = (name: string, expiresAt: number | null, serverSaysExpired = false) => ({
    name,
    expiresAt,
    serverSaysExpired,
  });

  it('puts the soonest first, the server-expired before them, the never-expiring last', () => {
    const sorted = [
      token('forever', null),
      token('later', 5_000),
      token('gone', 9_000, true),
      token('soon', 1_000),
      token('also-forever', null),
    ].sort(byTimeLeft);
    expect(sorted.map((t) => t.name)).toEqual(['gone', 'soon', 'later', 'also-forever', 'forever']);
  });
});
