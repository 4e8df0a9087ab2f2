/**
 * The administrator's overview: every user's tokens that expire soon or have expired, on one
 * SonarQube Server. A scan lists the users page by page, then asks for each user's tokens, a few
 * at a time (SCAN_CONCURRENCY): a server with hundreds of users is asked hundreds of times, never
 * all at once. A user whose tokens cannot be listed is named with the reason; the rest stands.
 *
 * Held in memory per account (other users' tokens never go to disk), refreshed when opened, on
 * demand and with the vault's periodic refresh once opened; one scan per account at a time.
 */
import type { AdminOverview, OwnedTokenView } from '@contract';
import { errorWords, VaultError } from '@core/errors';
import { redact } from '@core/redact';
import { serverView } from '@core/tokens/views';
import type { ServerToken, ServerUser, SonarQubeClient } from '@core/sonarqube/client';
import { asAdministrator, findAccount, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import type { AccountRecord } from '@core/storage/schema';
import { REFRESH_CONCURRENCY } from '@core/tokens/refresher';
import { administeredAccount, LISTING_EVERY_USER } from './administrator';
import { eachLimited } from '@core/concurrency';

/** Token lists asked for at once during a scan. */
export const SCAN_CONCURRENCY = 4;
/** SonarQube's largest page of users. */
const USERS_PAGE_SIZE = 500;
/** 50,000 users: a bound on what one scan asks, whatever the server claims. */
const MAX_USER_PAGES = 100;
/** Failures that are the account's, not one user's: the scan stops and says so. */
const ACCOUNT_FAILURES = new Set(['forbidden', 'unauthorized', 'unreachable']);

/** A scan's outcome, every token with an expiry kept: the thresholds are applied when shown. */
type Scan = Omit<AdminOverview, 'accountId'>;

export class AdminOverviews {
  private readonly held = new Map<string, Scan>();
  private readonly running = new Map<string, Promise<Scan>>();
  /** Tokens revoked while a scan runs: its answer may predate the revoke. */
  private readonly revokedDuringScan = new Map<string, Set<string>>();
  private stopped = false;

  constructor(private readonly ctx: VaultContext) {
    // An account removed takes its overview along.
    ctx.events.subscribe((event) => {
      if (event === 'accounts.changed') void this.prune();
    });
  }

  /** The overview held (`refresh` false) or a fresh one; refused unless an administrator's. */
  async overview(accountId: string, refresh: boolean): Promise<AdminOverview> {
    await administeredAccount(this.ctx, accountId, LISTING_EVERY_USER);
    const held = this.held.get(accountId);
    return this.view(accountId, !refresh && held ? held : await this.scan(accountId));
  }

  /** With each refresh of the vault's lists: every overview opened so far, again, a few at a time. */
  async refreshHeld(): Promise<void> {
    // As the lists are: a hung server holds up its own slot, not the other accounts' overviews.
    await eachLimited([...this.held.keys()], REFRESH_CONCURRENCY, (accountId) =>
      this.scan(accountId).then(
        () => undefined,
        () => undefined,
      ),
    );
  }

  /** A token revoked through the vault leaves the overview at once. */
  async revoked(ref: { accountId: string; name: string; login?: string | undefined }): Promise<void> {
    const held = this.held.get(ref.accountId);
    const during = this.revokedDuringScan.get(ref.accountId);
    if (!held && !during) return;
    const account = await findAccount(this.ctx, ref.accountId).catch(() => null);
    if (!account) return;
    const owner = ref.login ?? account.login;
    during?.add(key(owner, ref.name));
    if (!held) return;
    const tokens = held.tokens.filter((t) => !(t.owner === owner && t.name === ref.name));
    if (tokens.length === held.tokens.length) return;
    this.held.set(ref.accountId, { ...held, tokens });
    await this.changed(ref.accountId);
  }

  /** Scans stop taking new users; nothing more is held or sent. */
  stop(): void {
    this.stopped = true;
  }

  private scan(accountId: string): Promise<Scan> {
    let running = this.running.get(accountId);
    if (!running) {
      running = this.run(accountId).finally(() => this.running.delete(accountId));
      this.running.set(accountId, running);
    }
    return running;
  }

  private async run(accountId: string): Promise<Scan> {
    const account = await administeredAccount(this.ctx, accountId, LISTING_EVERY_USER);
    const revoked = new Set<string>();
    this.revokedDuringScan.set(accountId, revoked);
    let scan: Scan;
    try {
      const fresh = await withAccount(this.ctx, accountId, (api) =>
        asAdministrator(account, LISTING_EVERY_USER, () => this.collect(api, account)),
      );
      scan = { ...fresh, tokens: fresh.tokens.filter((t) => !revoked.has(key(t.owner, t.name))) };
    } catch (error) {
      // As a token list does: the last overview stays, marked stale, with the reason.
      const previous = this.held.get(accountId);
      if (!(error instanceof VaultError) || !previous) throw error;
      scan = { ...previous, stale: true, problem: redact(error.message) };
    } finally {
      this.revokedDuringScan.delete(accountId);
    }
    if (this.stopped) return scan;
    this.held.set(accountId, scan);
    await this.changed(accountId);
    return scan;
  }

  private async collect(api: SonarQubeClient, account: AccountRecord): Promise<Scan> {
    const accountId = account.id;
    const refreshedAt = this.ctx.clock.now();
    const users = new Map<string, ServerUser>();
    let total = 0;
    for (let page = 1; page <= MAX_USER_PAGES && !this.stopped; page++) {
      const found = await api.searchUsers({ page, pageSize: USERS_PAGE_SIZE });
      // Keyed by login: a user added between two pages shifts the paging, and may come twice.
      for (const user of found.users) users.set(user.login, user);
      total = Math.max(found.total, users.size);
      this.progress(accountId, total, 0, 0);
      if (found.users.length === 0 || page * found.pageSize >= found.total) break;
    }

    const everyone = [...users.values()];
    const tokens: OwnedTokenView[] = [];
    const failed: Scan['failed'] = [];
    let scanned = 0;
    await eachLimited(
      everyone,
      SCAN_CONCURRENCY,
      async (user) => {
        // Administrators are told how many tokens each user has: with none, there is nothing to ask.
        if (user.tokensCount !== 0) {
          try {
            const listed = await api.searchTokens(user.login);
            for (const token of listed.tokens) {
              const view = ownedToken(accountId, user, token);
              if (view.expiresAt !== null || view.serverSaysExpired) tokens.push(view);
            }
          } catch (error) {
            if (error instanceof VaultError && ACCOUNT_FAILURES.has(error.code)) throw error;
            failed.push({ login: user.login, reason: errorWords(error) });
          }
        }
        scanned++;
        this.progress(accountId, total, scanned, failed.length);
      },
      () => this.stopped,
    );
    this.ctx.log.info('admin overview scanned', {
      account: accountId,
      users: total,
      failed: failed.length,
    });
    failed.sort((a, b) => a.login.localeCompare(b.login));
    return { users: total, scanned, failed, tokens, refreshedAt, stale: false };
  }

  /** What is shown: the tokens within the longest warning threshold now, or expired. */
  private async view(accountId: string, scan: Scan): Promise<AdminOverview> {
    const { thresholdsMs } = (await this.ctx.store.load()).settings;
    const horizon = this.ctx.clock.now() + Math.max(...thresholdsMs);
    const tokens = scan.tokens
      .filter((t) => t.serverSaysExpired || (t.expiresAt !== null && t.expiresAt <= horizon))
      .sort(soonestFirst);
    return { accountId, ...scan, tokens };
  }

  private async changed(accountId: string): Promise<void> {
    const held = this.held.get(accountId);
    if (held) this.ctx.events.emit('admin.overviewChanged', await this.view(accountId, held));
  }

  private progress(accountId: string, users: number, scanned: number, failed: number): void {
    this.ctx.events.emit('admin.progress', { accountId, users, scanned, failed });
  }

  private async prune(): Promise<void> {
    const ids = new Set((await this.ctx.store.load()).accounts.map((a) => a.id));
    for (const id of [...this.held.keys()]) if (!ids.has(id)) this.held.delete(id);
  }
}

function key(owner: string, name: string): string {
  return `${owner}\n${name}`;
}

function ownedToken(accountId: string, user: ServerUser, token: ServerToken): OwnedTokenView {
  return {
    ...serverView(accountId, token, 'server'),
    owner: user.login,
    ownerName: user.name,
    ...(user.email === undefined ? {} : { ownerEmail: user.email }),
  };
}

/** Expired first (by the server's word or the clock), each group by instant; ties by owner and name. */
function soonestFirst(a: OwnedTokenView, b: OwnedTokenView): number {
  const group = (t: OwnedTokenView) => (t.serverSaysExpired ? 0 : 1);
  const at = (t: OwnedTokenView) => t.expiresAt ?? Number.NEGATIVE_INFINITY;
  return (
    group(a) - group(b) ||
    Math.sign(at(a) - at(b)) ||
    a.owner.localeCompare(b.owner) ||
    a.name.localeCompare(b.name)
  );
}
