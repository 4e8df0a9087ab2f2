/**
 * How the core's work takes turns: a bounded fan-out over many items, one step at a time per
 * account, a queue of steps that a failure never wedges, and one timer for the soonest due time.
 */
import type { Clock } from './ports';

/**
 * Runs `task` over `items`, at most `limit` at a time, in order. A task that throws stops the
 * others from starting new items (those already running finish), and the call rejects with it;
 * so does `stopped()` turning true, quietly: the items not started are simply left.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && !stopped() && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const turns = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * One step at a time per `key` (an account) of `owner` (a vault): a double click cannot send two
 * generates, and a scheduler and the user cannot both act on one rotation, or on one switch of an
 * account's own credential, at once.
 */
export function exclusive<T>(owner: object, key: string, step: () => Promise<T>): Promise<T> {
  let byKey = turns.get(owner);
  if (!byKey) turns.set(owner, (byKey = new Map<string, Promise<unknown>>()));
  const run = (byKey.get(key) ?? Promise.resolve()).then(step);
  const tail = run.catch(() => undefined);
  byKey.set(key, tail);
  void tail.then(() => {
    if (byKey.get(key) === tail) byKey.delete(key);
  });
  return run;
}

/** Steps run one after another; a failing one is reported and does not stop the next. */
export class StepQueue {
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly failed: (step: string, error: unknown) => void) {}

  run(step: string, work: () => Promise<void>): Promise<void> {
    this.running = this.running.then(work).catch((error: unknown) => this.failed(step, error));
    return this.running;
  }

  /** Resolves once no step is in progress, including steps queued meanwhile. */
  async settled(): Promise<void> {
    for (let seen = this.running; ; seen = this.running) {
      await seen;
      if (seen === this.running) return;
    }
  }
}

/**
 * One Clock timer for the soonest of some instants. It wakes at least every `maxSleepMs` to look
 * at the clock again: Node's timers overflow past 24.8 days, and a sleeping machine's clock moves.
 */
export class Alarm {
  private timer: { cancel(): void } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly maxSleepMs: number,
  ) {}

  /** Sets the alarm for the soonest of `times` (none: no alarm). */
  set(times: readonly number[], wake: () => void): void {
    this.cancel();
    if (!times.length) return;
    const delay = Math.min(Math.max(0, Math.min(...times) - this.clock.now()), this.maxSleepMs);
    this.timer = this.clock.setTimeout(wake, delay);
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}
