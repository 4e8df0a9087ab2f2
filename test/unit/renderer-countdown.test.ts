/**
 * A tick that costs nothing: each countdown knows the next instant its text or colour changes,
 * the shared clock wakes only then (and not at all while paused), and the sidebar's counts follow
 * the user's thresholds. Also the keys of a table navigated row by row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { accountHealth, healthText, nextHealthChange } from '@renderer/features/accounts/account-health';
import { countdown, nextCountdownChange, nextStateChange } from '@renderer/features/tokens/countdown';
import { formatTimeLeft, nextTimeLeftChange } from '@renderer/format';
import { MAX_SLEEP_MS, SharedClock, type Timers } from '@renderer/store/clock';
import { moveRow, rowMoveOf } from '@renderer/ui/row-navigation';

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

describe('nextTimeLeftChange: when "13d 4h", "3h 12m", "12m 5s" next read differently', () => {
  it('ticks by the hour while days show, by the minute while hours show, by the second below', () => {
    const E = T0 + 13 * DAY_MS + 4 * HOUR_MS + 30 * MINUTE_MS;
    expect(formatTimeLeft(E - T0)).toBe('13d 4h');
    expect(nextTimeLeftChange(E, T0)! - T0).toBe(30 * MINUTE_MS + 1_000);
    const hours = T0 + 3 * HOUR_MS + 12 * MINUTE_MS + 30_000; // "3h 12m"
    expect(nextTimeLeftChange(hours, T0)! - T0).toBe(31_000);
    const minutes = T0 + 12 * MINUTE_MS + 5_000; // "12m 5s"
    expect(nextTimeLeftChange(minutes, T0)! - T0).toBe(1_000);
    expect(nextTimeLeftChange(T0 + 45_500, T0)! - T0).toBe(500); // 45.5 s reads "46s" until 45 s
  });

  it('crosses from one granularity to the next at the instant the text does', () => {
    const E = T0 + DAY_MS; // "1d 0h" until one second has passed, then "23h 59m"
    const next = nextTimeLeftChange(E, T0)!;
    expect(next - T0).toBe(1_000);
    expect(formatTimeLeft(E - next)).toBe('23h 59m');
    const hour = T0 + HOUR_MS;
    expect(formatTimeLeft(hour - nextTimeLeftChange(hour, T0)!)).toBe('59m 59s');
  });

  it('says "expired" at the instant itself, and nothing after', () => {
    expect(nextTimeLeftChange(T0 + 1, T0)).toBe(T0 + 1);
    expect(formatTimeLeft(0)).toBe('expired');
    expect(nextTimeLeftChange(T0, T0)).toBeNull();
    expect(nextTimeLeftChange(T0 - DAY_MS, T0)).toBeNull();
  });

  it('property: the text holds until the instant named, and changes exactly then', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 * DAY_MS }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (left, fraction) => {
          const expiresAt = T0 + left;
          const next = nextTimeLeftChange(expiresAt, T0)!;
          expect(next).toBeGreaterThan(T0);
          const text = formatTimeLeft(expiresAt - T0);
          // Any instant before it reads the same; the instant itself does not.
          const before = T0 + Math.floor(((next - T0 - 1) * fraction) / 1_000_000);
          expect(formatTimeLeft(expiresAt - before)).toBe(text);
          expect(formatTimeLeft(expiresAt - (next - 1))).toBe(text);
          expect(formatTimeLeft(expiresAt - next)).not.toBe(text);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('a countdown sleeps until its text or its colour changes', () => {
  const thresholds = [14 * DAY_MS, DAY_MS, HOUR_MS];

  it('wakes at the first threshold (expiring), the last (critical) and the expiry itself', () => {
    const token = { expiresAt: T0 + 14 * DAY_MS + 30 * MINUTE_MS, serverSaysExpired: false };
    expect(countdown(token, T0, thresholds)).toEqual({ state: 'ok', text: '14d 0h' });
    // The text changes in 30 min + 1 s, the colour at 30 min: the colour first.
    expect(nextCountdownChange(token, T0, thresholds)).toBe(T0 + 30 * MINUTE_MS);
    expect(countdown(token, T0 + 30 * MINUTE_MS, thresholds).state).toBe('expiring');
    expect(nextStateChange(token, T0 + 30 * MINUTE_MS, thresholds)).toBe(token.expiresAt - HOUR_MS);
    expect(nextStateChange(token, token.expiresAt - HOUR_MS, thresholds)).toBe(token.expiresAt);
    expect(countdown(token, token.expiresAt, thresholds)).toEqual({ state: 'expired', text: 'expired' });
    expect(nextCountdownChange(token, token.expiresAt, thresholds)).toBeNull();
  });

  it('never wakes for a token that never expires, or that the server says has expired', () => {
    expect(nextCountdownChange({ expiresAt: null, serverSaysExpired: false }, T0)).toBeNull();
    expect(nextCountdownChange({ expiresAt: T0 + DAY_MS, serverSaysExpired: true }, T0)).toBeNull();
    expect(countdown({ expiresAt: T0 + DAY_MS, serverSaysExpired: true }, T0).text).toBe('expired');
  });

  it('a day of 10,000 countdowns: each wakes once an hour above a day, not 86,400 times', () => {
    let wakes = 0;
    for (let i = 0; i < 10_000; i++) {
      const token = { expiresAt: T0 + 2 * DAY_MS + i * 37_000, serverSaysExpired: false };
      for (let t = T0; t < T0 + DAY_MS; wakes++) t = nextCountdownChange(token, t)!;
    }
    expect(wakes / 10_000).toBeLessThanOrEqual(26);
  });
});

/** Timers the test moves by hand. */
class ManualTimers implements Timers {
  time = T0;
  private queue: { at: number; run: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.time;
  setTimeout = (run: () => void, ms: number) => {
    const id = ++this.ids;
    this.queue.push({ at: this.time + ms, run, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== handle);
  };
  /** The wall clock is set back: timers still fire after the time they had left. */
  setBack(ms: number): void {
    this.time -= ms;
    for (const timer of this.queue) timer.at -= ms;
  }
  get pending(): number {
    return this.queue.length;
  }
  /** Moves the time on, running each timer at its instant. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.time = next.at;
      next.run();
    }
    this.time = end;
  }
}

describe('the shared clock', () => {
  it('keeps one timer for every view, and wakes each view only at its own instants', () => {
    const timers = new ManualTimers();
    const clock = new SharedClock(timers);
    const seconds: number[] = [];
    const hours: number[] = [];
    clock.watch(
      (now) => now + 1_000 - (now % 1_000),
      (now) => seconds.push(now),
    );
    clock.watch(
      (now) => now + HOUR_MS - (now % HOUR_MS),
      (now) => hours.push(now),
    );
    expect(timers.pending).toBe(1);
    timers.advance(10_000);
    expect(seconds).toHaveLength(10);
    expect(hours).toHaveLength(0);
    expect(timers.pending).toBe(1);
  });

  it('with nothing due soon, sleeps at most MAX_SLEEP_MS; with nothing to wait for, not at all', () => {
    const timers = new ManualTimers();
    const clock = new SharedClock(timers);
    const woken: number[] = [];
    const stop = clock.watch(
      () => T0 + DAY_MS,
      (now) => woken.push(now),
    );
    timers.advance(HOUR_MS);
    expect(woken).toEqual([]);
    expect(timers.pending).toBe(1);
    stop();
    timers.advance(MAX_SLEEP_MS);
    expect(timers.pending).toBe(0);
    clock.watch(
      () => null,
      (now) => woken.push(now),
    );
    expect(timers.pending).toBe(0);
  });

  it('paused (the window hidden), it runs no timer at all; resumed, the views that changed catch up once', () => {
    const timers = new ManualTimers();
    const clock = new SharedClock(timers);
    const fast: number[] = [];
    const slow: number[] = [];
    clock.watch(
      (now) => now + 1_000 - (now % 1_000),
      (now) => fast.push(now),
    );
    clock.watch(
      (now) => T0 + HOUR_MS + (now >= T0 + HOUR_MS ? HOUR_MS : 0),
      (now) => slow.push(now),
    );
    clock.pause();
    expect(timers.pending).toBe(0);
    timers.advance(30 * 60_000);
    expect(fast).toEqual([]);
    clock.resume();
    // The per-second view redraws once for the half hour; the hourly one is not due yet.
    expect(fast).toEqual([T0 + 30 * 60_000]);
    expect(slow).toEqual([]);
    timers.advance(30 * 60_000);
    expect(slow).toEqual([T0 + HOUR_MS]);
  });

  it('a view subscribing after it was drawn is told of a change it missed in between', () => {
    const timers = new ManualTimers();
    const clock = new SharedClock(timers);
    const woken: number[] = [];
    const drawnAt = T0 - 2_000;
    clock.watch(
      (now) => now + 1_000,
      (now) => woken.push(now),
      drawnAt,
    );
    timers.advance(0);
    expect(woken).toEqual([T0]);
  });

  it('a wall clock set back redraws every view at once', () => {
    const timers = new ManualTimers();
    const clock = new SharedClock(timers);
    const woken: number[] = [];
    clock.watch(
      () => T0 + DAY_MS,
      (now) => woken.push(now),
    );
    timers.setBack(HOUR_MS);
    timers.advance(MAX_SLEEP_MS);
    expect(woken).toHaveLength(1);
  });
});

describe("the sidebar's counts", () => {
  const token = (left: number | null, extra: { serverSaysExpired?: boolean; onServer?: boolean } = {}) => ({
    expiresAt: left === null ? null : T0 + left,
    serverSaysExpired: extra.serverSaysExpired ?? false,
    onServer: extra.onServer ?? true,
  });
  const tokens = [
    token(-3 * DAY_MS),
    token(47 * MINUTE_MS),
    token(3 * DAY_MS),
    token(12 * DAY_MS),
    token(81 * DAY_MS),
    token(null),
    token(DAY_MS, { serverSaysExpired: true }),
    token(HOUR_MS, { onServer: false }),
  ];

  it('counts expiring (critical included) and expired tokens by the thresholds, and names the worst', () => {
    const health = accountHealth(tokens, T0);
    expect(health).toEqual({ expiring: 3, expired: 2, worst: 'expired' });
    expect(healthText(health)).toBe('3 expiring · 2 expired');
    expect(accountHealth(tokens.slice(1, 6), T0)).toEqual({ expiring: 3, expired: 0, worst: 'critical' });
    expect(accountHealth(tokens.slice(2, 6), T0, [2 * DAY_MS, HOUR_MS])).toEqual({
      expiring: 0,
      expired: 0,
      worst: 'ok',
    });
    expect(healthText(accountHealth([], T0))).toBe('None expiring');
  });

  it('changes only when a token crosses a threshold or expires', () => {
    // release-bot expires first; nightly-scan turns critical later (3 days less an hour).
    expect(nextHealthChange(tokens, T0)).toBe(T0 + 47 * MINUTE_MS);
    expect(nextHealthChange(tokens.slice(2), T0)).toBe(T0 + 3 * DAY_MS - HOUR_MS);
    expect(nextHealthChange([token(null)], T0)).toBeNull();
  });
});

describe('keys in a table navigated row by row', () => {
  it('moves one row, a page, or to either end, and stops there', () => {
    expect(rowMoveOf('ArrowDown')).toBe('next');
    expect(rowMoveOf('Enter')).toBeNull();
    expect(moveRow(0, 10_000, 'next', 12)).toBe(1);
    expect(moveRow(0, 10_000, 'previous', 12)).toBe(0);
    expect(moveRow(5, 10_000, 'page-down', 12)).toBe(17);
    expect(moveRow(5, 10_000, 'page-up', 12)).toBe(0);
    expect(moveRow(5, 10_000, 'last', 12)).toBe(9_999);
    expect(moveRow(9_999, 10_000, 'next', 12)).toBe(9_999);
    expect(moveRow(9_990, 10_000, 'page-down', 12)).toBe(9_999);
    expect(moveRow(3, 10, 'first', 12)).toBe(0);
    expect(moveRow(-1, 10, 'next', 0)).toBe(1);
    expect(moveRow(0, 0, 'next', 12)).toBe(-1);
  });
});
