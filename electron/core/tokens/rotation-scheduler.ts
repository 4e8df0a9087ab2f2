/**
 * Revokes predecessors whose `revokeAt` has come, with one Clock timer for the soonest. Replanned
 * on start and whenever the tokens change (every rotation step ends with a refreshed list); a
 * failed revoke is tried again ROTATION_RETRY_MS later, its reason kept in the record.
 */
import { hasAccount } from '@core/accounts/access';
import { Alarm, StepQueue } from '@core/concurrency';
import type { VaultContext } from '@core/context';
import { errorWords } from '@core/errors';
import type { RotationRecord } from '@core/storage/schema';
import { HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { completeRotation, rotationKey, sameRotation } from './rotation';

/** After a scheduled revoke fails, the next attempt waits this long. */
export const ROTATION_RETRY_MS = 15 * MINUTE_MS;

export class RotationScheduler {
  private readonly alarm: Alarm;
  private readonly queue: StepQueue;
  private stopped = true;
  /** Failed attempts wait ROTATION_RETRY_MS, even when the disk refuses to note the new time. */
  private readonly retryAt = new Map<string, number>();

  constructor(private readonly ctx: VaultContext) {
    this.alarm = new Alarm(ctx.clock, HOUR_MS);
    this.queue = new StepQueue((step, error) =>
      ctx.log.error('rotation scheduler failed', { step, error: errorWords(error) }),
    );
  }

  /** Catches up at once on any revokeAt that passed while the app was off. */
  start(): Promise<void> {
    this.stopped = false;
    return this.replan();
  }

  stop(): void {
    this.stopped = true;
    this.alarm.cancel();
  }

  /** Resolves once no planning or scheduled revoke is in progress (including work it queued). */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  replan(): Promise<void> {
    return this.queue.run('plan', () => this.arm());
  }

  private async arm(): Promise<void> {
    this.alarm.cancel();
    if (this.stopped) return;
    let metadata = await this.ctx.store.load();
    // An account removed from the vault takes its rotations with it.
    if (metadata.rotations?.some((r) => !hasAccount(metadata, r.accountId))) {
      metadata = await this.ctx.store.update(
        (m) => void (m.rotations = m.rotations?.filter((r) => hasAccount(m, r.accountId))),
      );
    }
    const rotations = metadata.rotations ?? [];
    for (const key of this.retryAt.keys()) {
      if (!rotations.some((r) => rotationKey(r) === key)) this.retryAt.delete(key);
    }
    const times = rotations.flatMap((r) => (r.revokeAt === null ? [] : [this.attemptAt(r)]));
    this.alarm.set(times, () => void this.queue.run('revoke', () => this.revokeDue()));
  }

  /** The record's revokeAt, or later if an attempt failed (even if noting that on disk failed too). */
  private attemptAt(record: RotationRecord): number {
    return Math.max(record.revokeAt ?? 0, this.retryAt.get(rotationKey(record)) ?? 0);
  }

  private async revokeDue(): Promise<void> {
    try {
      const now = this.ctx.clock.now();
      const due = ((await this.ctx.store.load()).rotations ?? []).filter(
        (r) => r.revokeAt !== null && this.attemptAt(r) <= now,
      );
      for (const record of due) {
        if (this.stopped) return;
        try {
          await completeRotation(this.ctx, { accountId: record.accountId, name: record.predecessor });
        } catch {
          // completeRotation kept the reason and logged it. The next attempt's time is shown too.
          const next = this.ctx.clock.now() + ROTATION_RETRY_MS;
          this.retryAt.set(rotationKey(record), next);
          await this.ctx.store
            .update((m) => {
              const kept = m.rotations?.find((r) => sameRotation(r, record));
              if (kept) kept.revokeAt = next;
            })
            .catch(() => undefined);
        }
      }
    } finally {
      await this.arm();
    }
  }
}
