/**
 * Keeps every account's token list fresh: on start, every 5 minutes, when the window comes back
 * (unless a refresh ran moments ago) and on demand. Refreshes never overlap: a request made
 * while one runs shares it.
 */
import type { Clock } from '@core/ports';
import { MINUTE_MS } from '@shared/expiry';

export type RefreshReason = 'start' | 'timer' | 'focus' | 'user';
export type RefreshResult = { refreshed: number; failed: number };

export const REFRESH_EVERY_MS = 5 * MINUTE_MS;
/** A window focused again within this of the last refresh does not ask the servers again. */
export const FOCUS_QUIET_MS = 30_000;
/** Accounts refreshed at once (administrators' overviews too): a hung server takes one slot. */
export const REFRESH_CONCURRENCY = 4;

export class Refresher {
  private running: Promise<RefreshResult> | null = null;
  private lastFinishedAt = Number.NEGATIVE_INFINITY;
  private timer: { cancel(): void } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly refreshAll: () => Promise<RefreshResult>,
    /** Tests walking months on a fake clock refresh once a day instead. */
    private readonly everyMs = REFRESH_EVERY_MS,
  ) {}

  start(): Promise<RefreshResult> {
    return this.refresh('start');
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  refresh(reason: RefreshReason): Promise<RefreshResult> {
    if (this.running) return this.running;
    if (reason === 'focus' && this.clock.now() - this.lastFinishedAt < FOCUS_QUIET_MS) {
      return Promise.resolve({ refreshed: 0, failed: 0 });
    }
    this.timer?.cancel();
    this.running = this.refreshAll().finally(() => {
      this.running = null;
      this.lastFinishedAt = this.clock.now();
      this.timer = this.clock.setTimeout(() => void this.refresh('timer'), this.everyMs);
    });
    return this.running;
  }
}

/**
 * A refresh of every account, then each step that follows one (in order, each handling its own
 * failures): what a fresh list makes due (keep-alive uses, leftovers to adopt, renewals).
 */
export function refreshRound(
  refreshAll: () => Promise<RefreshResult>,
  after: readonly (() => Promise<unknown>)[],
): () => Promise<RefreshResult> {
  return async () => {
    const result = await refreshAll();
    for (const step of after) await step();
    return result;
  };
}
