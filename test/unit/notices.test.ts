import { describe, expect, it } from 'vitest';
import type { Settings } from '@contract';
import { DAY_MS, DEFAULT_THRESHOLDS_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import {
  describeTimeLeft,
  planNotices,
  quietHoursEnd,
  recordKey,
  type NoticeSettings,
  type WatchedToken,
} from '@core/expiry/notices';

const NOW = Date.UTC(2026, 0, 10, 12, 0);
const settings = (patch: Partial<NoticeSettings> = {}): NoticeSettings => ({
  thresholdsMs: [...DEFAULT_THRESHOLDS_MS],
  quietHours: null,
  mutedAccounts: [],
  notificationsPausedUntil: null,
  ...patch,
});
const token = (name: string, expiresAt: number | null, accountId = 'acc-1'): WatchedToken => ({
  accountId,
  accountLabel: accountId === 'acc-1' ? 'ACME SonarQube' : 'Other',
  name,
  expiresAt,
});

describe('expiry notices', () => {
  it('a token first seen inside a threshold gets one notice, at its worst level', () => {
    const plan = planNotices([token('ci-main', NOW + 2 * DAY_MS + HOUR_MS)], {}, settings(), NOW);
    expect(plan.notices).toEqual([
      {
        title: 'Token expiring: ci-main',
        body: 'ACME SonarQube: ci-main expires in 2 days.',
        ref: { accountId: 'acc-1', name: 'ci-main' },
      },
    ]);
    expect(plan.records[recordKey('acc-1', 'ci-main')]?.sent).toEqual([14 * DAY_MS, 3 * DAY_MS]);
    expect(plan.nextAt).toBe(NOW + 2 * DAY_MS + HOUR_MS - DAY_MS);
  });

  it('is never repeated for the same expiry, whatever the time of asking', () => {
    const tokens = [token('ci-main', NOW + 2 * DAY_MS)];
    const first = planNotices(tokens, {}, settings(), NOW);
    expect(planNotices(tokens, first.records, settings(), NOW).notices).toEqual([]);
    expect(planNotices(tokens, first.records, settings(), NOW + HOUR_MS).notices).toEqual([]);
    // A clock set back does not make crossed thresholds new again.
    expect(planNotices(tokens, first.records, settings(), NOW - 5 * DAY_MS).notices).toEqual([]);
  });

  it('tells each threshold as it is crossed, then the expiry once', () => {
    const expiresAt = NOW + 20 * DAY_MS;
    const tokens = [token('ci-main', expiresAt)];
    let records = planNotices(tokens, {}, settings(), NOW).records;
    const told: string[] = [];
    for (const at of [
      expiresAt - 14 * DAY_MS,
      expiresAt - 3 * DAY_MS,
      expiresAt - DAY_MS,
      expiresAt - HOUR_MS,
      expiresAt,
      expiresAt + DAY_MS,
    ]) {
      const plan = planNotices(tokens, records, settings(), at);
      records = plan.records;
      told.push(...plan.notices.map((n) => n.body));
    }
    expect(told).toEqual([
      'ACME SonarQube: ci-main expires in 14 days.',
      'ACME SonarQube: ci-main expires in 3 days.',
      'ACME SonarQube: ci-main expires in 1 day.',
      'ACME SonarQube: ci-main expires in 1 hour.',
      'ACME SonarQube: ci-main has expired.',
    ]);
  });

  it('a token first seen already expired is recorded silently', () => {
    const plan = planNotices([token('legacy', NOW - DAY_MS)], {}, settings(), NOW);
    expect(plan.notices).toEqual([]);
    expect(plan.records[recordKey('acc-1', 'legacy')]).toMatchObject({ expired: true });
    expect(plan.nextAt).toBeNull();
  });

  it('a renewed Cloud token starts afresh; an expiry moved earlier tells what is newly crossed', () => {
    const before = planNotices([token('laptop', NOW + 2 * DAY_MS)], {}, settings(), NOW);
    const renewed = planNotices([token('laptop', NOW + 59 * DAY_MS)], before.records, settings(), NOW);
    expect(renewed.notices).toEqual([]);
    expect(renewed.records[recordKey('acc-1', 'laptop')]).toEqual({
      expiresAt: NOW + 59 * DAY_MS,
      sent: [],
      expired: false,
    });
    const shortened = planNotices([token('laptop', NOW + 12 * HOUR_MS)], renewed.records, settings(), NOW);
    expect(shortened.notices.map((n) => n.body)).toEqual(['ACME SonarQube: laptop expires in 12 hours.']);
  });

  it('several notices due together become one summary, soonest first', () => {
    const plan = planNotices(
      [
        token('a', NOW + 10 * DAY_MS),
        token('b', NOW + 2 * HOUR_MS),
        token('c', NOW + 30 * MINUTE_MS, 'acc-2'),
        token('d', NOW + 5 * DAY_MS),
      ],
      {
        [recordKey('acc-2', 'c')]: {
          expiresAt: NOW + 30 * MINUTE_MS,
          sent: [...DEFAULT_THRESHOLDS_MS],
          expired: false,
        },
      },
      settings(),
      NOW + 31 * MINUTE_MS,
    );
    expect(plan.notices).toEqual([
      {
        title: '4 SonarQube tokens need attention',
        body: '1 expired, 3 expiring: c (Other) expired; b (ACME SonarQube) in 1 hour; d (ACME SonarQube) in 4 days; and 1 more.',
        ref: null,
      },
    ]);
  });

  it('muted accounts are recorded silently and never told later', () => {
    const tokens = [token('x', NOW + DAY_MS, 'acc-2')];
    const muted = planNotices(tokens, {}, settings({ mutedAccounts: ['acc-2'] }), NOW);
    expect(muted.notices).toEqual([]);
    expect(planNotices(tokens, muted.records, settings(), NOW + MINUTE_MS).notices).toEqual([]);
  });

  it('a pause defers notices to its end, where they arrive', () => {
    const pausedUntil = NOW + 2 * HOUR_MS;
    const tokens = [token('a', NOW + DAY_MS - MINUTE_MS), token('b', NOW + 3 * DAY_MS - MINUTE_MS)];
    const paused = planNotices(tokens, {}, settings({ notificationsPausedUntil: pausedUntil }), NOW);
    expect(paused.notices).toEqual([]);
    expect(paused.nextAt).toBe(pausedUntil);
    const after = planNotices(
      tokens,
      paused.records,
      settings({ notificationsPausedUntil: pausedUntil }),
      pausedUntil,
    );
    expect(after.notices).toHaveLength(1);
    expect(after.notices[0]?.title).toBe('2 SonarQube tokens need attention');
  });

  it('quiet hours (local time, across midnight) defer notices to their end', () => {
    const quietHours: Settings['quietHours'] = { start: '22:00', end: '07:00' };
    const lateEvening = new Date(2026, 0, 10, 23, 30).getTime();
    const nextMorning = new Date(2026, 0, 11, 7, 0).getTime();
    expect(quietHoursEnd(quietHours, lateEvening)).toBe(nextMorning);
    expect(quietHoursEnd(quietHours, new Date(2026, 0, 11, 6, 59).getTime())).toBe(nextMorning);
    expect(quietHoursEnd(quietHours, new Date(2026, 0, 11, 7, 0).getTime())).toBeNull();
    expect(quietHoursEnd({ start: '09:00', end: '17:00' }, new Date(2026, 0, 11, 12, 0).getTime())).toBe(
      new Date(2026, 0, 11, 17, 0).getTime(),
    );
    const plan = planNotices([token('a', lateEvening + HOUR_MS)], {}, settings({ quietHours }), lateEvening);
    expect(plan.notices).toEqual([]);
    // It wakes at the expiry (still quiet: nothing is sent), and tells it when quiet hours end.
    expect(plan.nextAt).toBe(lateEvening + HOUR_MS);
    const atExpiry = planNotices(
      [token('a', lateEvening + HOUR_MS)],
      plan.records,
      settings({ quietHours }),
      lateEvening + HOUR_MS,
    );
    expect(atExpiry.notices).toEqual([]);
    expect(atExpiry.nextAt).toBe(nextMorning);
    const morning = planNotices(
      [token('a', lateEvening + HOUR_MS)],
      atExpiry.records,
      settings({ quietHours }),
      nextMorning,
    );
    expect(morning.notices.map((n) => n.body)).toEqual(['ACME SonarQube: a has expired.']);
  });

  it('plans the next wake at the soonest future crossing, and none for tokens that never expire', () => {
    const plan = planNotices([token('never', null), token('far', NOW + 40 * DAY_MS)], {}, settings(), NOW);
    expect(plan.nextAt).toBe(NOW + 26 * DAY_MS);
    expect(planNotices([token('never', null)], {}, settings(), NOW).nextAt).toBeNull();
  });

  it('says time left in words', () => {
    expect(describeTimeLeft(14 * DAY_MS)).toBe('14 days');
    expect(describeTimeLeft(DAY_MS + 5 * HOUR_MS)).toBe('1 day');
    expect(describeTimeLeft(HOUR_MS)).toBe('1 hour');
    expect(describeTimeLeft(2 * MINUTE_MS + 5)).toBe('2 minutes');
    expect(describeTimeLeft(59_000)).toBe('less than a minute');
  });
});
