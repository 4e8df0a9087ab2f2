/**
 * Runs the notice plan: evaluates, records what it sends before sending it (a crash or restart
 * never repeats a notice), then sleeps with one timer until the next instant anything changes.
 *
 * Sleep and clock changes: the host calls `replan` on resume from sleep; a wake far from when it
 * was planned (the wall clock jumped) is logged and simply re-planned from the new time; and no
 * sleep is longer than `maxSleepMs`, so a jump the host cannot see is caught within that bound.
 */
import type { TokenRef } from '@contract';
import type { Clock, Logger, Notifier } from '@core/ports';
import type { MetadataStore } from '@core/storage/metadata-store';
import { HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { planNotices, type WatchedToken } from './notices';

export interface WatcherOptions {
  store: MetadataStore;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  /** A notification was clicked: a token's, or a summary's (null). */
  onClick(ref: TokenRef | null): void;
  /** After each evaluation: the tray redraws its time-left labels. */
  onEvaluated?(): void;
  maxSleepMs?: number;
}

const JUMP_TOLERANCE_MS = MINUTE_MS;

export class ExpiryWatcher {
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: WatcherOptions) {}

  /** Starts watching: the first evaluation catches up on whatever happened while the app was off. */
  start(): Promise<void> {
    this.stopped = false;
    return this.replan('start');
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  /** Resolves when no evaluation is in progress. */
  settled(): Promise<void> {
    return this.running;
  }

  /** Evaluates now (after any evaluation in progress) and plans the next wake. */
  replan(reason: string): Promise<void> {
    const run = this.running.then(() => this.evaluate(reason));
    this.running = run.catch((error: unknown) => {
      this.options.log.error('expiry watcher failed', { reason, error: (error as Error)?.name ?? 'unknown' });
    });
    return this.running;
  }

  private async evaluate(reason: string): Promise<void> {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = null;
    const { store, clock, notifier } = this.options;
    const now = clock.now();
    const metadata = await store.load();
    const plan = planNotices(watchedTokens(metadata), metadata.notices, metadata.settings, now);
    if (JSON.stringify(plan.records) !== JSON.stringify(metadata.notices)) {
      await store.update((m) => void (m.notices = plan.records));
    }
    for (const notice of plan.notices) {
      this.options.log.info('notification sent', { reason, kind: notice.ref ? 'token' : 'summary' });
      notifier.notify({
        title: notice.title,
        body: notice.body,
        onClick: () => this.options.onClick(notice.ref),
      });
    }
    this.options.onEvaluated?.();
    if (plan.nextAt === null || this.stopped) return;
    const delay = Math.min(plan.nextAt - now, this.options.maxSleepMs ?? HOUR_MS);
    const plannedWake = now + delay;
    this.timer = clock.setTimeout(() => {
      const drift = clock.now() - plannedWake;
      if (Math.abs(drift) > JUMP_TOLERANCE_MS) this.options.log.info('clock jump seen', { driftMs: drift });
      void this.replan('timer');
    }, delay);
  }
}

function watchedTokens(metadata: Awaited<ReturnType<MetadataStore['load']>>): WatchedToken[] {
  return metadata.accounts.flatMap((account) =>
    (metadata.snapshots[account.id]?.tokens ?? []).map((t) => ({
      accountId: account.id,
      accountLabel: account.label,
      name: t.name,
      expiresAt: t.expiresAt,
      ...(t.deliveryTargets ? { delivered: true } : {}),
    })),
  );
}
