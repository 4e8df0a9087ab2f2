/**
 * A server that hangs holds up its own slot only. Nine accounts on two servers, one of which stops
 * answering its token list: the vault never asks more than REFRESH_CONCURRENCY lists at once, the
 * other eight come fresh while the hung one waits out its timeouts, and meanwhile the tray, All
 * tokens and the expiry watcher work from the last lists. At start, the watcher waits for the
 * fresh lists START_WATCH_WAIT_MS at most. Administrators' overviews refreshed with the lists are
 * scanned a few accounts at a time too: a hung one does not hold up the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView, EventName } from '@contract';
import { START_WATCH_WAIT_MS } from '@core/create-core';
import { DAY_MS, HOUR_MS } from '@shared/expiry';
import type { Fetch, Notifier } from '@core/ports';
import { REFRESH_CONCURRENCY } from '@core/tokens/refresher';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

/** 21:00 UTC: "deploy", on the server that will hang, expires at midnight, in 3 hours. */
const NOW = Date.UTC(2026, 10, 25, 21, 0);
const MIDNIGHT = Date.UTC(2026, 10, 26);
const SEARCH = '/api/user_tokens/search';
const BUSY_USERS = 8;
/** A hung request gives up this fast here (15 s in the app): time the others must beat anyway. */
const REQUEST_TIMEOUT_MS = 750;

describe('a hung server holds up its own slot only', () => {
  let hung: TestServer;
  let busy: TestServer;
  let hungCredential: string;
  const busyCredentials: string[] = [];

  beforeAll(async () => {
    hung = await startSonarQubeServer({
      flavour: 'server',
      now: NOW,
      users: [{ login: 'grace', name: 'Grace', admin: true }],
    });
    hungCredential = hung.addToken('grace', { name: 'vault', createdAt: new Date(NOW - DAY_MS) });
    hung.addToken('grace', {
      name: 'deploy',
      createdAt: new Date(NOW - 10 * DAY_MS),
      expirationDate: new Date(MIDNIGHT),
    });
    busy = await startSonarQubeServer({
      flavour: 'server',
      now: NOW,
      users: Array.from({ length: BUSY_USERS }, (_, i) => ({
        login: `user-${i}`,
        name: `User ${i}`,
        admin: i === 0,
      })),
    });
    for (let i = 0; i < BUSY_USERS; i++) {
      busyCredentials.push(busy.addToken(`user-${i}`, { name: 'vault', createdAt: new Date(NOW - DAY_MS) }));
      busy.addToken(`user-${i}`, { name: 'ci', createdAt: new Date(NOW - DAY_MS) });
    }
    // Lists that take a moment, so the refreshes overlap and the bound is seen.
    busy.slowDown(SEARCH, 40);
  });
  afterAll(() => Promise.all([hung.close(), busy.close()]));

  /** A vault with the nine accounts (the hung server's first) and every list fetched once. */
  async function vaultWithLists(
    options: { notifier?: Notifier; dataDir?: string; fetch?: Fetch } = {},
  ): Promise<{ vault: CoreFixture; hungId: string; busyIds: string[] }> {
    const vault = await coreFixture({ now: NOW, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...options });
    const add = (baseUrl: string, credential: string) =>
      vault.call('accounts.add', { kind: 'server', baseUrl, credential, ownCredential: false });
    const hungId = (await add(hung.url, hungCredential)).id;
    const busyIds: string[] = [];
    for (const credential of busyCredentials) busyIds.push((await add(busy.url, credential)).id);
    expect(await vault.call('tokens.refreshAll', { reason: 'user' })).toEqual({ refreshed: 9, failed: 0 });
    return { vault, hungId, busyIds };
  }

  /** Until the hung server holds a request of ours, one more than before. */
  async function hanging(path: string, before: number): Promise<void> {
    const started = Date.now();
    while (hung.requests.filter((r) => r.path === path && r.fault === 'hang').length <= before) {
      if (Date.now() - started > 5_000) throw new Error('the server never got the request');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const hangs = (path: string) => hung.requests.filter((r) => r.path === path && r.fault === 'hang').length;

  const eventsOf = (vault: CoreFixture, name: EventName) =>
    vault.events.filter((e) => e.event === name).map((e) => e.payload);

  it('the others come fresh, and the tray, All tokens and the watcher answer from the last lists', async () => {
    const notices: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const counting: Fetch = async (input, init) => {
      const listing = input.includes(SEARCH);
      if (listing) peak = Math.max(peak, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        if (listing) inFlight--;
      }
    };
    const { vault, hungId, busyIds } = await vaultWithLists({
      notifier: { notify: ({ title, body }) => void notices.push(`${title}: ${body}`) },
      fetch: counting,
    });
    await vault.core.watcher.start();
    expect(notices.join('\n')).toContain('deploy');
    notices.length = 0;
    vault.events.length = 0;
    peak = 0;

    // Every attempt hangs: the list waits out its timeouts (3 × 0.75 s here, 3 × 15 s in the app).
    const before = hangs(SEARCH);
    hung.fault(SEARCH, { kind: 'hang' }, 3);
    let settled = false;
    const refreshing = vault.call('tokens.refreshAll', { reason: 'user' }).finally(() => (settled = true));
    await hanging(SEARCH, before);

    const asked = performance.now();
    const tray = await vault.core.trayModel();
    const all = await vault.call('tokens.all', {});
    expect(performance.now() - asked).toBeLessThan(250);
    expect(tray.groups.flatMap((g) => g.tokens.map((t) => t.ref.name))).toContain('deploy');
    expect(tray.state).toBe('expiring');
    expect(all.find((l) => l.accountId === hungId)?.tokens.map((t) => t.name)).toContain('deploy');
    expect(all).toHaveLength(9);

    // The eight others are fresh while the hung one still waits.
    await expect
      .poll(
        () =>
          eventsOf(vault, 'tokens.changed').filter((l) => (l as { stale: boolean }).stale === false).length,
      )
      .toBe(BUSY_USERS);
    expect(settled).toBe(false);
    const fresh = eventsOf(vault, 'tokens.changed').map((l) => (l as { accountId: string }).accountId);
    expect(new Set(fresh)).toEqual(new Set(busyIds));

    // The watcher keeps its time: "deploy" crosses its last threshold (1 hour) meanwhile.
    await vault.clock.advance(MIDNIGHT - HOUR_MS - NOW + 1);
    await vault.core.watcher.settled();
    expect(notices.join('\n')).toMatch(/deploy/);
    expect(settled).toBe(false);

    expect(await refreshing).toEqual({ refreshed: BUSY_USERS, failed: 1 });
    const last = eventsOf(vault, 'tokens.changed').find(
      (l) => (l as { accountId: string }).accountId === hungId,
    );
    expect(last).toMatchObject({
      stale: true,
      tokens: expect.arrayContaining([expect.objectContaining({ name: 'deploy' })]) as unknown,
    });
    expect(peak).toBeLessThanOrEqual(REFRESH_CONCURRENCY);
    expect(peak).toBeGreaterThan(1);
    vault.core.stop();
  }, 30_000);

  it('at start, the watcher waits for the fresh lists a while, not for a hung server', async () => {
    const first = await vaultWithLists();
    first.vault.core.stop();
    const notices: string[] = [];
    const vault = await coreFixture({
      now: NOW,
      // The same vault, restarted: its folder and its keychain.
      dataDir: first.vault.dataDir,
      secrets: first.vault.secrets,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      notifier: { notify: ({ body }) => void notices.push(body) },
    });
    const before = hangs(SEARCH);
    hung.fault(SEARCH, { kind: 'hang' }, 1);
    let started = false;
    const starting = vault.core.start().finally(() => (started = true));
    await hanging(SEARCH, before);
    await vault.clock.advance(START_WATCH_WAIT_MS);
    await vault.core.watcher.settled();
    expect(notices.join('\n')).toContain('deploy');
    expect(started).toBe(false);
    await starting;
    // Told once: the lists that came later re-planned it, they did not repeat it.
    expect(notices.filter((n) => n.includes('deploy'))).toHaveLength(1);
    vault.core.stop();
  }, 30_000);

  it("administrators' overviews are refreshed a few at a time: a hung one holds up no other", async () => {
    const { vault, hungId, busyIds } = await vaultWithLists();
    const admins: AccountView['id'][] = [hungId, busyIds[0]!];
    // Opened in this order: the hung server's first.
    for (const accountId of admins) await vault.call('admin.overview', { accountId, refresh: true });
    vault.events.length = 0;
    hung.fault('/api/users/search', { kind: 'hang' }, 1);
    await vault.call('tokens.refreshAll', { reason: 'user' });
    const changed = () =>
      eventsOf(vault, 'admin.overviewChanged').map((o) => (o as { accountId: string }).accountId);
    await expect.poll(changed, { timeout: 5_000 }).toEqual([busyIds[0], hungId]);
    vault.core.stop();
  }, 30_000);
});
