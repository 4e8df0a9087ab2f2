/**
 * Renews each account's own credential when its time comes (renew-at.ts), with one Clock timer
 * for the soonest, and after every refresh; resumes a switch a crash interrupted, at start. A
 * failure is kept on the account (its view shows it) and notified once, with what to do; the
 * next refresh tries again.
 */
import { describeTimeLeft } from '@core/expiry/notices';
import { errorWords } from '@core/errors';
import { Alarm, StepQueue } from '@core/concurrency';
import { HOUR_MS } from '@shared/expiry';
import type { Notifier } from '@core/ports';
import type { VaultContext } from '@core/context';
import type { AccountRecord } from '@core/storage/schema';
import { needsRenewal, nextRenewalAt, renewOwnCredential } from './own-credential';

/** The alarm wakes at least this often to look at the clock again (sleep, a clock set). */
const MAX_SLEEP_MS = HOUR_MS;

export interface OwnCredentialSchedulerDeps {
  readonly ctx: VaultContext;
  /** Sanitizes nothing itself: give it a redacting notifier. */
  readonly notifier: Notifier;
  /** A failure's notification was clicked: show the window. */
  onClick(): void;
}

export class OwnCredentialScheduler {
  private readonly alarm: Alarm;
  private readonly queue: StepQueue;
  /** 'idle': checks run when asked (after refreshes), no timer; 'stopped': nothing runs. */
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  /** Accounts whose last attempt failed: the timer leaves them to the next refresh. */
  private readonly failing = new Set<string>();

  constructor(private readonly deps: OwnCredentialSchedulerDeps) {
    this.alarm = new Alarm(deps.ctx.clock, MAX_SLEEP_MS);
    this.queue = new StepQueue((step, error) =>
      deps.ctx.log.error('own credential scheduler failed', { step, error: errorWords(error) }),
    );
  }

  /** Resumes interrupted switches and renews what fell due while the app was off. */
  start(): Promise<void> {
    this.state = 'started';
    return this.check();
  }

  stop(): void {
    this.state = 'stopped';
    this.alarm.cancel();
  }

  /** Resolves once no check or planning is in progress (including work it queued). */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  /** The accounts or their tokens changed: the soonest renewal may have moved. */
  replan(): Promise<void> {
    return this.queue.run('plan', () => this.arm());
  }

  /** After each refresh: every switch in progress and every renewal due, failing ones included. */
  check(): Promise<void> {
    return this.queue.run('check', async () => {
      await this.renewDue(false);
      await this.arm();
    });
  }

  private async renewDue(byTimer: boolean): Promise<void> {
    const { ctx } = this.deps;
    const { accounts } = await ctx.store.load();
    for (const account of accounts) {
      if (this.state === 'stopped') return;
      if (!needsRenewal(account, ctx.clock.now())) continue;
      if (byTimer && this.failing.has(account.id)) continue;
      try {
        await renewOwnCredential(ctx, account.id);
        this.failing.delete(account.id);
        await this.recovered(account.id);
      } catch (error) {
        this.failing.add(account.id);
        await this.failed(account.id, error);
      }
    }
  }

  private async arm(): Promise<void> {
    this.alarm.cancel();
    if (this.state !== 'started') return;
    const { accounts } = await this.deps.ctx.store.load();
    const times = accounts.flatMap((a) => {
      const at = this.failing.has(a.id) ? null : nextRenewalAt(a);
      return at === null ? [] : [at];
    });
    this.alarm.set(
      times,
      () =>
        void this.queue.run('timer', async () => {
          await this.renewDue(true);
          await this.arm();
        }),
    );
  }

  /** A renewal went through: its earlier failure is no longer news. */
  private async recovered(accountId: string): Promise<void> {
    const { ctx } = this.deps;
    const account = (await ctx.store.load()).accounts.find((a) => a.id === accountId);
    if (account?.ownCredential?.problem === undefined) return;
    await ctx.store.update((m) => {
      const stored = m.accounts.find((a) => a.id === accountId);
      if (stored?.ownCredential) delete stored.ownCredential.problem;
    });
    ctx.events.emit('accounts.changed', {});
  }

  /** Kept on the account and shown; notified when it starts failing (not at every retry). */
  private async failed(accountId: string, error: unknown): Promise<void> {
    const { ctx, notifier } = this.deps;
    const why = errorWords(error);
    ctx.log.warn('own credential not renewed', { account: accountId, error: why });
    let first = false;
    let title = '';
    let body = '';
    const metadata = await ctx.store.update((m) => {
      const account = m.accounts.find((a) => a.id === accountId);
      if (!account) return;
      if (account.ownCredential) {
        first = account.ownCredential.problem === undefined;
        ({ title, body } = renewalFailure(account, why, ctx.clock.now()));
        account.ownCredential.problem = body;
      } else {
        // Making the first one was interrupted: the account still signs in with the pasted token.
        (account.ownCredentialState ??= {}).unavailable = `The vault could not make its own token: ${why}`;
      }
    });
    ctx.events.emit('accounts.changed', {});
    if (first && !metadata.settings.mutedAccounts.includes(accountId)) {
      notifier.notify({ title, body, onClick: () => this.deps.onClick() });
    }
  }
}

/** What went wrong, how long the current token still works, and what the user can do. */
export function renewalFailure(
  account: Pick<AccountRecord, 'label' | 'ownCredential' | 'ownCredentialState'>,
  why: string,
  now: number,
): { title: string; body: string } {
  const said = why.trim().replace(/([^.])$/, '$1.');
  const change = account.ownCredentialState?.switch;
  if (change?.step === 'switched' && change.previous !== null) {
    // Renewed: only the previous token is still to revoke.
    return {
      title: `Revoking the vault's previous token for ${account.label} failed`,
      body: `${said} The vault signs in with its new token; the previous one, "${change.previous}", is revoked when the vault tries again at the next refresh.`,
    };
  }
  const title = `Renewing the vault's token for ${account.label} failed`;
  const expiresAt = account.ownCredential?.expiresAt ?? null;
  if (expiresAt === null) return { title, body: `${said} The vault tries again at the next refresh.` };
  const at = `${new Date(expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (expiresAt <= now) {
    return { title, body: `${said} The current one expired at ${at}: replace the credential.` };
  }
  return {
    title,
    body:
      `${said} The current one works until ${at} (${describeTimeLeft(expiresAt - now)} left). ` +
      'The vault tries again at the next refresh; or replace the credential.',
  };
}
