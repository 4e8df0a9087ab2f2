/**
 * Pure helpers for the Settings dialog: the choices it offers, the words for durations, the
 * threshold list's rules, and the patch that carries only what the user changed.
 */
import type { Settings } from '@contract';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { formatDate, formatDateTime, formatTime, type DateDisplay } from '@renderer/format';

export interface DelayChoice {
  ms: number;
  label: string;
}

const SECOND_MS = 1_000;

export const CLIPBOARD_CHOICES: readonly DelayChoice[] = [
  { ms: 0, label: 'Never' },
  { ms: 10 * SECOND_MS, label: '10 s' },
  { ms: 30 * SECOND_MS, label: '30 s (default)' },
  { ms: MINUTE_MS, label: '1 min' },
  { ms: 2 * MINUTE_MS, label: '2 min' },
  { ms: 5 * MINUTE_MS, label: '5 min' },
];

export const REVEAL_CHOICES: readonly DelayChoice[] = [
  { ms: 5 * SECOND_MS, label: '5 s' },
  { ms: 10 * SECOND_MS, label: '10 s (default)' },
  { ms: 30 * SECOND_MS, label: '30 s' },
  { ms: MINUTE_MS, label: '1 min' },
];

export const ONCE_VALUE_CHOICES: readonly DelayChoice[] = [
  { ms: 30 * SECOND_MS, label: '30 s' },
  { ms: MINUTE_MS, label: '1 min' },
  { ms: 2 * MINUTE_MS, label: '2 min (default)' },
  { ms: 5 * MINUTE_MS, label: '5 min' },
  { ms: 10 * MINUTE_MS, label: '10 min' },
];

/** Where quiet hours start when first turned on. */
export const DEFAULT_QUIET_HOURS = { start: '22:00', end: '07:00' } as const;

export const PAUSE_MS = HOUR_MS;

/** The contract's limits on the threshold list. */
export const MAX_THRESHOLDS = 6;
export const MAX_THRESHOLD_MS = 365 * DAY_MS;

/** A delay as the choices word it: "Never", "45 s", "2 min", "90 s". */
export function formatDelay(ms: number): string {
  if (ms <= 0) return 'Never';
  if (ms >= MINUTE_MS && ms % MINUTE_MS === 0) return `${ms / MINUTE_MS} min`;
  return `${Math.round(ms / SECOND_MS)} s`;
}

/**
 * The offered choices, plus the current value when it is none of them (set elsewhere, e.g. by an
 * older version): a select must show what is really in effect, not silently another value.
 */
export function choicesWith(choices: readonly DelayChoice[], current: number): DelayChoice[] {
  if (choices.some((c) => c.ms === current)) return [...choices];
  return [...choices, { ms: current, label: formatDelay(current) }].sort((a, b) => a.ms - b.ms);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A threshold in the largest whole unit: "14 days", "1 hour", "90 minutes". */
export function formatThreshold(ms: number): string {
  if (ms % DAY_MS === 0) return plural(ms / DAY_MS, 'day');
  if (ms % HOUR_MS === 0) return plural(ms / HOUR_MS, 'hour');
  if (ms % MINUTE_MS === 0) return plural(ms / MINUTE_MS, 'minute');
  return plural(Math.round(ms / SECOND_MS), 'second');
}

export type ThresholdUnit = 'days' | 'hours';

export const THRESHOLD_UNIT_MS: Readonly<Record<ThresholdUnit, number>> = { days: DAY_MS, hours: HOUR_MS };

/**
 * What the "Add" control's amount and unit mean, or the reason it cannot be added. The core
 * checks the list again; this only keeps obviously wrong entries out of the draft.
 */
export function parseThreshold(amount: string, unit: ThresholdUnit): { ms: number } | { error: string } {
  const max = MAX_THRESHOLD_MS / THRESHOLD_UNIT_MS[unit];
  const n = Number(amount.trim());
  if (!/^\d+$/.test(amount.trim()) || n < 1 || n > max) {
    return { error: `Enter a whole number of ${unit} from 1 to ${max}.` };
  }
  return { ms: n * THRESHOLD_UNIT_MS[unit] };
}

/** The list with `ms` added: longest first, once each (the order the contract requires). */
export function addThreshold(thresholds: readonly number[], ms: number): number[] {
  return [...new Set([...thresholds, ms])].sort((a, b) => b - a);
}

/** The list without `ms`; the last one stays, since at least one is required. */
export function removeThreshold(thresholds: readonly number[], ms: number): number[] {
  if (thresholds.length <= 1) return [...thresholds];
  return thresholds.filter((t) => t !== ms);
}

/** `mutedAccounts` with the account muted or not; ids of other (even gone) accounts are kept. */
export function setMuted(muted: readonly string[], accountId: string, mute: boolean): string[] {
  const others = muted.filter((id) => id !== accountId);
  return mute ? [...others, accountId] : others;
}

/** Whether notifications are paused at `now`. */
export function isPaused(settings: Pick<Settings, 'notificationsPausedUntil'>, now: number): boolean {
  return settings.notificationsPausedUntil !== null && settings.notificationsPausedUntil > now;
}

/** When the pause line reads differently: the pause ends, or midnight makes its day "today". */
export function nextPauseChange(until: number | null, now: number): number | null {
  if (until === null || until <= now) return null;
  const midnight = new Date(now);
  midnight.setHours(24, 0, 0, 0);
  return Math.min(until, midnight.getTime());
}

/** "Paused until 3:45 PM", with the date when it is not today. */
export function pausedUntilText(until: number, now: number, display: DateDisplay = {}): string {
  const today = formatDate(until, display) === formatDate(now, display);
  return `Paused until ${today ? formatTime(until, display) : formatDateTime(until, display)}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  // Settings are plain JSON (numbers, strings, arrays, one small object): comparing their JSON is exact.
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The keys the draft changed since the dialog opened, with their new values. Compared with what
 * the dialog started from, not with the latest settings: a change made meanwhile elsewhere (the
 * tray's pause) is not undone by a save that did not touch it.
 */
export function changedSettings(original: Settings, draft: Settings): Partial<Settings> {
  const patch: Partial<Settings> = {};
  const copy = <K extends keyof Settings>(key: K) => {
    if (!sameValue(original[key], draft[key])) patch[key] = draft[key];
  };
  for (const key of Object.keys(draft) as (keyof Settings)[]) copy(key);
  return patch;
}
