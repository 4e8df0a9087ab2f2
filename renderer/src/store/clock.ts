/**
 * The window's one clock. Nothing ticks every second: each view that shows time (a countdown, a
 * toast's life, the "copy it now" panel) says when what it shows next changes, and the clock sleeps
 * with a single timer until the soonest of those instants, then wakes only the views that are due.
 * While the window is hidden it does not run at all; back in view, the views that changed catch up.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { nextTimeLeftChange } from '@renderer/format';
import { on } from '@renderer/vault-client';

/** When a view's content next changes, given the time it was drawn at; null: never. */
export type NextChange = (now: number) => number | null;

interface Watch {
  readonly next: NextChange;
  /** Called with the wake's time once `due` has passed. */
  readonly onDue: (now: number) => void;
  due: number | null;
}

export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A wake at least this often, so a wall clock set forward (or a missed timer) is caught soon. */
export const MAX_SLEEP_MS = 60_000;

export class SharedClock {
  private readonly watches = new Set<Watch>();
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private paused = false;
  private lastWake: number;

  constructor(private readonly timers: Timers) {
    this.lastWake = timers.now();
  }

  now(): number {
    return this.timers.now();
  }

  /** Whether the clock sleeps for a hidden window. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** How many views wait on the clock (for tests and benchmarks). */
  get size(): number {
    return this.watches.size;
  }

  /**
   * Calls `onDue` once `next(from)` has passed, then again at each next change it names. `from`
   * is when the view was drawn: a change between drawing and subscribing is not missed.
   */
  watch(next: NextChange, onDue: (now: number) => void, from = this.now()): () => void {
    const watch: Watch = { next, onDue, due: next(from) };
    this.watches.add(watch);
    this.schedule();
    return () => {
      this.watches.delete(watch);
    };
  }

  /** The window was hidden: no timer until it is back. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.clearTimer();
  }

  /** The window is back: the views whose content changed meanwhile are told at once. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.wake();
  }

  private wake(): void {
    this.clearTimer();
    const now = this.now();
    // A wall clock set back: what was drawn may be ahead of the time, so everyone redraws.
    const wentBack = now < this.lastWake;
    this.lastWake = now;
    for (const watch of [...this.watches]) {
      if (!this.watches.has(watch)) continue;
      if (wentBack || (watch.due !== null && watch.due <= now)) {
        watch.due = watch.next(now);
        watch.onDue(now);
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.paused) return;
    let soonest = Number.POSITIVE_INFINITY;
    for (const { due } of this.watches) if (due !== null && due < soonest) soonest = due;
    if (soonest === Number.POSITIVE_INFINITY) return this.clearTimer();
    const now = this.now();
    const at = Math.min(soonest, now + MAX_SLEEP_MS);
    if (this.timer !== null && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.wake();
      },
      Math.max(0, at - now),
    );
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}

export const clock = new SharedClock({
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

/**
 * Pauses the clock while the window is hidden (the page's visibility, and the core's
 * 'window.hidden', sent when the window is hidden or minimized), and resumes it when the page is
 * visible, focused or used again. Returns the stop.
 */
export function startClock(): () => void {
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') clock.pause();
    else clock.resume();
  };
  // The core can say hidden while the page still counts as visible (a minimized window on some
  // desktops): any sign of the user brings the clock back.
  const onBack = () => {
    if (clock.isPaused && document.visibilityState !== 'hidden') clock.resume();
  };
  const offHidden = on('window.hidden', () => clock.pause());
  const backEvents = ['focus', 'pointerdown', 'pointermove', 'keydown'] as const;
  document.addEventListener('visibilitychange', onVisibility);
  for (const event of backEvents) window.addEventListener(event, onBack, { capture: true, passive: true });
  onVisibility();
  return () => {
    offHidden();
    document.removeEventListener('visibilitychange', onVisibility);
    for (const event of backEvents) window.removeEventListener(event, onBack, { capture: true });
    clock.resume();
  };
}

/**
 * The time a view should show, from the shared clock: it changes (and the component re-renders)
 * only at the instants `nextChange` names. `nextChange` must be stable (useCallback) for as long
 * as what it computes stays the same.
 */
export function useClockNow(nextChange: NextChange): number {
  const source = useMemo(() => clockSource(nextChange), [nextChange]);
  return useSyncExternalStore(source.subscribe, source.snapshot);
}

/** One view's subscription: the time it last changed at, moved on by the clock when due. */
function clockSource(nextChange: NextChange) {
  let seen = clock.now();
  return {
    subscribe: (onChange: () => void) =>
      clock.watch(
        nextChange,
        (now) => {
          seen = now;
          onChange();
        },
        seen,
      ),
    snapshot: () => seen,
  };
}

/** The time for a "… left" text counting down to `until` (formatTimeLeft): changes when that text does. */
export function useTimeLeftNow(until: number | null): number {
  const next = useCallback<NextChange>(
    (now) => (until === null ? null : nextTimeLeftChange(until, now)),
    [until],
  );
  return useClockNow(next);
}
