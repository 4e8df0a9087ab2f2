import type { Clock } from '@core/ports';

/**
 * A clock tests move by hand: timers fire, in order, only when `advance` passes them. `shift`
 * moves the wall clock without running time, as a machine that slept or a clock that was set does
 * (timers keep their remaining delay, like the OS's monotonic timers).
 */
export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(private current = Date.UTC(2026, 10, 25, 9, 0, 0)) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const id = this.nextId++;
    this.timers.push({ at: this.current + Math.max(0, ms), fn, id });
    return { cancel: () => (this.timers = this.timers.filter((t) => t.id !== id)) };
  }

  /** Runs time forward; after each timer, `settle` lets the async work it started finish. */
  async advance(ms: number, settle: () => Promise<unknown> = nextTurn): Promise<void> {
    const until = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = due.at;
      due.fn();
      await settle();
    }
    this.current = until;
  }

  shift(ms: number): void {
    this.current += ms;
    for (const timer of this.timers) timer.at += ms;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
