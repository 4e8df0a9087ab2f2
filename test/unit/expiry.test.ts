import { describe, expect, it } from 'vitest';
import { CLOUD_INACTIVITY_MS, DAY_MS, HOUR_MS, expiryState, tokenExpiry } from '@shared/expiry';
import { addDays, parseSonarDate, tomorrowUtc, utcDay } from '@core/sonarqube/dates';

describe('SonarQube dates', () => {
  it('reads the offset without a colon that SonarQube writes, and the other ISO forms', () => {
    const instant = Date.UTC(2026, 8, 1, 10, 15, 30);
    expect(parseSonarDate('2026-09-01T10:15:30+0000')).toBe(instant);
    expect(parseSonarDate('2026-09-01T10:15:30Z')).toBe(instant);
    expect(parseSonarDate('2026-09-01T10:15:30+00:00')).toBe(instant);
    expect(parseSonarDate('2026-09-01T12:15:30+0200')).toBe(instant);
    expect(parseSonarDate('2026-09-01T05:15:30-0500')).toBe(instant);
  });

  it('answers null for missing or malformed dates instead of inventing one', () => {
    expect(parseSonarDate(undefined)).toBeNull();
    expect(parseSonarDate('')).toBeNull();
    expect(parseSonarDate('yesterday')).toBeNull();
    expect(parseSonarDate('2026-13-45T99:00:00+0000')).toBeNull();
  });

  it('computes the earliest expiration day in UTC whatever the local time zone says', () => {
    // 23:30 UTC on the 25th is already the 26th in Tokyo and still the 25th in Los Angeles;
    // the server counts in UTC, so tomorrow is the 26th for everyone.
    const lateUtc = Date.UTC(2026, 10, 25, 23, 30);
    expect(tomorrowUtc(lateUtc)).toBe('2026-11-26');
    expect(tomorrowUtc(Date.UTC(2026, 11, 31, 0, 0))).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(utcDay(lateUtc)).toBe('2026-11-25');
  });

  it('shows a Server expiry instant in the user time zone without shifting the instant', () => {
    const expires = parseSonarDate('2026-12-01T00:00:00+0000')!;
    const show = (timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(expires);
    expect(show('UTC')).toBe('1 Dec 2026, 00:00');
    expect(show('America/Los_Angeles')).toBe('30 Nov 2026, 16:00');
    expect(show('Asia/Tokyo')).toBe('1 Dec 2026, 09:00');
  });
});

describe('token expiry', () => {
  const created = Date.UTC(2026, 8, 1);

  it('Server: the reported instant is the expiry; no date means never', () => {
    const at = Date.UTC(2026, 11, 1);
    expect(tokenExpiry({ createdAt: created, lastUsedAt: null, serverExpiresAt: at }, 'server')).toEqual({
      expiresAt: at,
      basis: 'fixed',
    });
    expect(
      tokenExpiry({ createdAt: created, lastUsedAt: created + DAY_MS, serverExpiresAt: null }, 'server'),
    ).toEqual({
      expiresAt: null,
      basis: 'never',
    });
  });

  it('Cloud: 60 days after the last use, rolling with each use', () => {
    const used = created + 10 * DAY_MS;
    expect(tokenExpiry({ createdAt: created, lastUsedAt: used, serverExpiresAt: null }, 'cloud')).toEqual({
      expiresAt: used + CLOUD_INACTIVITY_MS,
      basis: 'rolling',
    });
    const usedAgain = used + 30 * DAY_MS;
    expect(
      tokenExpiry({ createdAt: created, lastUsedAt: usedAgain, serverExpiresAt: null }, 'cloud').expiresAt,
    ).toBe(usedAgain + 60 * DAY_MS);
  });

  it('Cloud: a never-used token counts from its creation', () => {
    expect(
      tokenExpiry({ createdAt: created, lastUsedAt: null, serverExpiresAt: null }, 'cloud').expiresAt,
    ).toBe(created + 60 * DAY_MS);
  });

  it('states follow the thresholds, and a token is expired at its instant exactly', () => {
    const at = Date.UTC(2026, 11, 1);
    expect(expiryState(null, at)).toBe('never');
    expect(expiryState(at, at - 15 * DAY_MS)).toBe('ok');
    expect(expiryState(at, at - 14 * DAY_MS)).toBe('expiring');
    expect(expiryState(at, at - 2 * DAY_MS)).toBe('expiring');
    expect(expiryState(at, at - HOUR_MS)).toBe('critical');
    expect(expiryState(at, at - 1)).toBe('critical');
    expect(expiryState(at, at)).toBe('expired');
    expect(expiryState(at, at + DAY_MS)).toBe('expired');
    expect(expiryState(at, at - 10 * DAY_MS, [7 * DAY_MS, DAY_MS])).toBe('ok');
  });
});
