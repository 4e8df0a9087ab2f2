/**
 * What the vault does without being asked: refreshes every account (then what a fresh list makes
 * due: keep-alive uses, leftovers to adopt, renewals of the own credentials), revokes delayed
 * predecessors, notifies before tokens expire, keeps administrators' overviews fresh. Started once
 * the core is built, replanned whenever tokens, accounts or settings change, stopped on quit.
 */
import type { TokenRef } from '@contract';
import { AdminOverviews } from './admin/overview';
import { keychainLeftovers, type KeychainLeftovers } from './app-status';
import type { VaultContext } from './context';
import { ExpiryWatcher } from './expiry/watcher';
import { OwnCredentialScheduler } from './own-credential/scheduler';
import type { Notifier } from './ports';
import { redactingNotifier } from './redact';
import { keepAliveDue } from './tokens/keep-alive';
import { refreshAccounts, refreshAll } from './tokens/list';
import { Refresher, refreshRound } from './tokens/refresher';
import { RotationScheduler } from './tokens/rotation-scheduler';
import { compactHistory } from './tokens/values';

export interface BackgroundOptions {
  /** Expiry notifications; none when absent (unit tests that do not look at them). */
  notifier?: Notifier;
  /** A notification was clicked (the host shows its window); the core also emits the event. */
  onNotificationClick?(ref: TokenRef | null): void;
  /** After each expiry evaluation (the tray redraws its time-left labels). */
  onExpiryEvaluated?(): void;
  /** How often every account is refreshed (default 5 minutes; tests walking months use a day). */
  refreshEveryMs?: number;
}

/** At start, the expiry watcher waits this long at most for the fresh lists. */
export const START_WATCH_WAIT_MS = 10_000;

export class Background {
  readonly keychain: KeychainLeftovers;
  readonly ownCredentials: OwnCredentialScheduler;
  readonly overviews: AdminOverviews;
  readonly rotations: RotationScheduler;
  readonly refresher: Refresher;
  readonly watcher: ExpiryWatcher;

  constructor(
    private readonly ctx: VaultContext,
    options: BackgroundOptions,
  ) {
    const notifier = redactingNotifier(options.notifier ?? { notify: () => undefined });
    const clicked = (ref: TokenRef | null) => options.onNotificationClick?.(ref);
    this.keychain = keychainLeftovers(ctx, (adopted) => void refreshAccounts(ctx, adopted));
    this.ownCredentials = new OwnCredentialScheduler({ ctx, notifier, onClick: () => clicked(null) });
    this.overviews = new AdminOverviews(ctx);
    this.rotations = new RotationScheduler(ctx);
    this.refresher = new Refresher(
      ctx.clock,
      refreshRound(
        () => refreshAll(ctx),
        [
          // Administrators' overviews follow in the background: one can take minutes.
          () => Promise.resolve(void this.overviews.refreshHeld()),
          () => keepAliveDue(ctx).catch(() => ctx.log.warn('keep-alive round failed')),
          // While leftovers are reported, a fresh list may show a token to adopt.
          () => (this.keychain.leftovers.reported.length ? this.keychain.check() : Promise.resolve()),
          () => this.ownCredentials.check(),
        ],
      ),
      options.refreshEveryMs,
    );
    this.watcher = new ExpiryWatcher({
      store: ctx.store,
      clock: ctx.clock,
      log: ctx.log,
      notifier,
      onClick(ref) {
        clicked(ref);
        if (ref) ctx.events.emit('notification.clicked', ref);
      },
      onEvaluated: () => options.onExpiryEvaluated?.(),
    });
    // Whatever changes the tokens, the accounts or the rules changes the plans.
    ctx.events.subscribe((event) => {
      if (event === 'settings.changed') void this.watcher.replan(event);
      if (event !== 'tokens.changed' && event !== 'accounts.changed') return;
      void this.watcher.replan(event);
      void this.rotations.replan();
      void this.ownCredentials.replan();
    });
  }

  /**
   * Fresh lists first, so what happened while the app was off arrives as one summary (and
   * rotations whose predecessor is already gone are over before the scheduler looks). The watcher
   * waits START_WATCH_WAIT_MS at most: a hung server must not keep it from the last lists.
   */
  async start(): Promise<void> {
    await compactHistory(this.ctx);
    let watching: Promise<void> | null = null;
    const early = this.ctx.clock.setTimeout(() => {
      watching = this.watcher.start();
    }, START_WATCH_WAIT_MS);
    try {
      await this.refresher.start();
      await this.keychain.check();
      await this.rotations.start();
      await this.ownCredentials.start();
    } finally {
      early.cancel();
    }
    await (watching ?? this.watcher.start());
  }

  stop(): void {
    this.overviews.stop();
    for (const job of [this.refresher, this.rotations, this.ownCredentials, this.watcher]) job.stop();
  }
}
