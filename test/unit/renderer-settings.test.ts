import { describe, expect, it } from 'vitest';
import { SETTINGS_DEFAULTS, Settings } from '@contract';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import {
  addThreshold,
  changedSettings,
  choicesWith,
  CLIPBOARD_CHOICES,
  formatDelay,
  formatThreshold,
  isPaused,
  parseThreshold,
  pausedUntilText,
  removeThreshold,
  setMuted,
} from '@renderer/features/settings/settings-draft';

const display = { locale: 'en-US', timeZone: 'UTC' };

describe('delays', () => {
  it('words delays as the choices do', () => {
    expect(formatDelay(0)).toBe('Never');
    expect(formatDelay(2_000)).toBe('2 s');
    expect(formatDelay(90_000)).toBe('90 s');
    expect(formatDelay(5 * MINUTE_MS)).toBe('5 min');
  });

  it('adds the value in effect when it is none of the choices, in order', () => {
    expect(choicesWith(CLIPBOARD_CHOICES, 30_000)).toEqual(CLIPBOARD_CHOICES);
    const labels = choicesWith(CLIPBOARD_CHOICES, 2_000).map((c) => c.label);
    expect(labels).toEqual(['Never', '2 s', '10 s', '30 s (default)', '1 min', '2 min', '5 min']);
  });
});

describe('thresholds', () => {
  it('words each in its largest whole unit', () => {
    expect(formatThreshold(14 * DAY_MS)).toBe('14 days');
    expect(formatThreshold(DAY_MS)).toBe('1 day');
    expect(formatThreshold(HOUR_MS)).toBe('1 hour');
    expect(formatThreshold(36 * HOUR_MS)).toBe('36 hours');
    expect(formatThreshold(90 * MINUTE_MS)).toBe('90 minutes');
  });

  it('keeps the list longest first and once each', () => {
    expect(addThreshold([3 * DAY_MS, HOUR_MS], 2 * DAY_MS)).toEqual([3 * DAY_MS, 2 * DAY_MS, HOUR_MS]);
    expect(addThreshold([3 * DAY_MS, HOUR_MS], 72 * HOUR_MS)).toEqual([3 * DAY_MS, HOUR_MS]);
  });

  it('never removes the last one', () => {
    expect(removeThreshold([DAY_MS, HOUR_MS], DAY_MS)).toEqual([HOUR_MS]);
    expect(removeThreshold([HOUR_MS], HOUR_MS)).toEqual([HOUR_MS]);
  });

  it('reads the Add control, refusing what the contract would', () => {
    expect(parseThreshold('2', 'days')).toEqual({ ms: 2 * DAY_MS });
    expect(parseThreshold(' 12 ', 'hours')).toEqual({ ms: 12 * HOUR_MS });
    expect(parseThreshold('', 'days')).toEqual({ error: 'Enter a whole number of days from 1 to 365.' });
    expect(parseThreshold('1.5', 'days')).toHaveProperty('error');
    expect(parseThreshold('0', 'hours')).toHaveProperty('error');
    expect(parseThreshold('366', 'days')).toHaveProperty('error');
    expect(parseThreshold('8760', 'hours')).toEqual({ ms: 365 * DAY_MS });
  });
});

describe('muting and pausing', () => {
  it('mutes and unmutes one account, keeping the others', () => {
    expect(setMuted(['a', 'b'], 'c', true)).toEqual(['a', 'b', 'c']);
    expect(setMuted(['a', 'b'], 'a', false)).toEqual(['b']);
    expect(setMuted(['a'], 'a', true)).toEqual(['a']);
  });

  it('is paused only until the instant', () => {
    expect(isPaused({ notificationsPausedUntil: null }, 1_000)).toBe(false);
    expect(isPaused({ notificationsPausedUntil: 2_000 }, 1_000)).toBe(true);
    expect(isPaused({ notificationsPausedUntil: 1_000 }, 1_000)).toBe(false);
  });

  it('says until when, with the date only when it is not today', () => {
    const now = Date.UTC(2026, 10, 25, 9, 0);
    expect(pausedUntilText(now + HOUR_MS, now, display)).toBe('Paused until 10:00 AM');
    expect(pausedUntilText(now + DAY_MS, now, display)).toBe('Paused until Nov 26, 2026, 9:00 AM');
  });
});

describe('changedSettings', () => {
  const original = { ...SETTINGS_DEFAULTS, thresholdsMs: [...SETTINGS_DEFAULTS.thresholdsMs] };

  it('sends nothing when nothing changed', () => {
    expect(changedSettings(original, { ...original, thresholdsMs: [...original.thresholdsMs] })).toEqual({});
  });

  it('sends only the changed keys, whole', () => {
    const draft: Settings = {
      ...original,
      clipboardClearMs: 10_000,
      thresholdsMs: [3 * DAY_MS, HOUR_MS],
      quietHours: { start: '22:00', end: '07:00' },
    };
    expect(changedSettings(original, draft)).toEqual({
      clipboardClearMs: 10_000,
      thresholdsMs: [3 * DAY_MS, HOUR_MS],
      quietHours: { start: '22:00', end: '07:00' },
    });
    // What it sends is a valid update.
    expect(Settings.partial().strict().safeParse(changedSettings(original, draft)).success).toBe(true);
  });

  it('sends a setting turned off (null) too', () => {
    const quiet = { ...original, quietHours: { start: '22:00', end: '07:00' } };
    expect(changedSettings(quiet, original)).toEqual({ quietHours: null });
  });
});
