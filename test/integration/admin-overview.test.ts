/**
 * An administrator sees the whole server: the user search behind the picker, and the overview of
 * every user's tokens that expire soon or have expired (paging, bounded concurrency, a user whose
 * tokens cannot be listed, thresholds, revoke, refresh), refused to everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView, AdminOverview, AdminProgress } from '@contract';
import { SCAN_CONCURRENCY } from '@core/admin/overview';
import { DAY_MS, MINUTE_MS } from '@shared/expiry';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type SeedUser, type TestServer } from '../support/sonarqube-server';

const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
/** Server tokens expire at the start of a UTC day. */
const dayAhead = (days: number) => new Date(Math.floor((NOW + days * DAY_MS) / DAY_MS) * DAY_MS);
const FIRST = ['Ada', 'Barbara', 'Claude', 'Dennis', 'Edsger', 'Frances', 'Hedy', 'John', 'Ken', 'Linus'];
const LAST = ['Adams', 'Brown', 'Clark', 'Davis', 'Evans', 'Fisher'];
const TOKENS_SEARCH = '/api/user_tokens/search';
const USERS_SEARCH = '/api/users/search';
const BROKEN = 'user-13';
const SERVER_FAILURE = 'An error has occurred. Please contact your administrator';

const pad = (i: number) => String(i).padStart(2, '0');

/**
 * 60 users: 01-05 have a token expiring in 1-5 days, 06-08 one expired 2 days ago, 09-10 one
 * expiring in 30 days, 01-49 a laptop token that never expires, 50-60 no token at all. Every
 * seventh has no e-mail; user-04's is not a plain address. user-13's tokens cannot be listed.
 */
function team(): SeedUser[] {
  return Array.from({ length: 60 }, (_, n) => {
    const i = n + 1;
    const login = `user-${pad(i)}`;
    const tokens: NonNullable<SeedUser['tokens']> = [];
    const createdAt = new Date(NOW - 80 * DAY_MS);
    if (i <= 5 || i === 13)
      tokens.push({ name: 'ci', createdAt, expirationDate: dayAhead(i === 13 ? 2 : i) });
    if (i >= 6 && i <= 8) tokens.push({ name: 'old-ci', createdAt, expirationDate: dayAhead(-2) });
    if (i === 9 || i === 10) tokens.push({ name: 'later', createdAt, expirationDate: dayAhead(30) });
    if (i <= 49) tokens.push({ name: 'laptop', createdAt });
    const email =
      i % 7 === 0 ? undefined : i === 4 ? `${login}@example.org?cc=eve@example.org` : `${login}@example.org`;
    return {
      login,
      name: `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length)]}`,
      ...(email === undefined ? {} : { email }),
      tokens,
    };
  });
}

describe('an administrator sees the whole server', () => {
  let server: TestServer;
  let vault: CoreFixture;
  let admin: AccountView;
  let plain: AccountView;

  beforeAll(async () => {
    server = await startSonarQubeServer({
      flavour: 'server',
      now: NOW,
      users: [
        { login: 'grace', name: 'Grace Hopper', email: 'grace@example.org', admin: true },
        { login: 'alan', name: 'Alan Turing', email: 'alan@example.org' },
        ...team(),
      ],
    });
    // Not retried (a 500 is no passing trouble): one user's answer fails, every time.
    server.fault(
      TOKENS_SEARCH,
      {
        kind: 'status',
        status: 500,
        body: JSON.stringify({ errors: [{ msg: SERVER_FAILURE }] }),
        contentType: 'application/json',
      },
      1_000,
      { login: BROKEN },
    );
    vault = await coreFixture({ now: NOW });
    const adminCredential = server.addToken('grace', { name: 'vault', createdAt: new Date(NOW) });
    const plainCredential = server.addToken('alan', { name: 'vault', createdAt: new Date(NOW) });
    admin = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: adminCredential,
      label: 'ACME',
    });
    plain = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: plainCredential,
      label: 'as alan',
    });
  });
  afterAll(async () => {
    vault.core.stop();
    await server.close();
  });

  const requests = (path: string, from = 0) => server.requests.slice(from).filter((r) => r.path === path);

  describe('the user search behind the picker', () => {
    it('finds users by part of their login, name or e-mail, with what the server says of them', async () => {
      const byName = await vault.call('users.search', { accountId: admin.id, query: 'hopper' });
      expect(byName).toEqual({
        users: [{ login: 'grace', name: 'Grace Hopper', email: 'grace@example.org', active: true }],
        total: 1,
        page: 1,
        pageSize: 20,
      });
      const byLogin = await vault.call('users.search', { accountId: admin.id, query: 'USER-0' });
      expect(byLogin.total).toBe(9);
      // No e-mail, or one that is not a plain address: none shown (it would end up in a mailto: link).
      const seventh = byLogin.users.find((u) => u.login === 'user-07');
      expect(seventh).toEqual({ login: 'user-07', name: 'Hedy Adams', active: true });
      expect(byLogin.users.find((u) => u.login === 'user-04')).not.toHaveProperty('email');
      const byEmail = await vault.call('users.search', { accountId: admin.id, query: 'user-22@example' });
      expect(byEmail.users.map((u) => u.login)).toEqual(['user-22']);
    });

    it('pages through everyone, 20 at a time, in the server’s order (by name)', async () => {
      const from = server.requests.length;
      const pages = [];
      for (let page = 1; page <= 4; page++) {
        pages.push(await vault.call('users.search', { accountId: admin.id, query: '', page }));
      }
      expect(pages.map((p) => [p.page, p.users.length, p.total])).toEqual([
        [1, 20, 62],
        [2, 20, 62],
        [3, 20, 62],
        [4, 2, 62],
      ]);
      const names = pages.flatMap((p) => p.users.map((u) => u.name));
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      expect(new Set(pages.flatMap((p) => p.users.map((u) => u.login))).size).toBe(62);
      expect(requests(USERS_SEARCH, from).map((r) => r.params)).toEqual(
        [1, 2, 3, 4].map((p) => ({ p: String(p), ps: '20' })),
      );
    });

    it('refuses a one-character query before asking', async () => {
      const from = server.requests.length;
      await expect(vault.call('users.search', { accountId: admin.id, query: 'a' })).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringContaining('Type at least 2 characters') as unknown,
      });
      expect(server.requests.length).toBe(from);
    });
  });

  describe('refused to everyone but an administrator', () => {
    it('a user without Administer System is told so, and the server is not asked', async () => {
      const from = server.requests.length;
      await expect(vault.call('users.search', { accountId: plain.id, query: 'gr' })).rejects.toMatchObject({
        code: 'forbidden',
        message:
          "alan lacks the Administer System permission on as alan, which searching the server's users needs.",
      });
      await expect(vault.call('admin.overview', { accountId: plain.id })).rejects.toMatchObject({
        code: 'forbidden',
        message:
          "alan lacks the Administer System permission on as alan, which listing every user's tokens needs.",
      });
      // SonarQube would have answered alan's search (without e-mails): the vault does not ask.
      expect(server.requests.slice(from)).toEqual([]);
    });
  });

  describe('the overview', () => {
    let overview: AdminOverview;
    let from: number;
    let progress: AdminProgress[];

    beforeAll(async () => {
      from = server.requests.length;
      const events = vault.events.length;
      overview = await vault.call('admin.overview', { accountId: admin.id });
      progress = vault.events
        .slice(events)
        .filter((e) => e.event === 'admin.progress')
        .map((e) => e.payload as AdminProgress);
    });

    it('lists every user’s tokens that expire within the first threshold (14 days) or have expired', () => {
      expect(overview.tokens.map((t) => [t.owner, t.name])).toEqual([
        ['user-06', 'old-ci'],
        ['user-07', 'old-ci'],
        ['user-08', 'old-ci'],
        ['user-01', 'ci'],
        ['user-02', 'ci'],
        ['user-03', 'ci'],
        ['user-04', 'ci'],
        ['user-05', 'ci'],
      ]);
      expect(overview).toMatchObject({ accountId: admin.id, users: 62, scanned: 62, stale: false });
      expect(overview.refreshedAt).toBe(NOW);
      expect(overview.tokens[0]).toMatchObject({
        owner: 'user-06',
        ownerName: 'Frances Adams',
        ownerEmail: 'user-06@example.org',
        serverSaysExpired: true,
        expiryBasis: 'fixed',
        inVault: false,
      });
      expect(overview.tokens[3]).toMatchObject({ ownerName: 'Ada Adams', expiresAt: dayAhead(1).getTime() });
      // user-07 has no e-mail; user-04's is not one address: no "Tell the owner" for either.
      expect(overview.tokens[1]).not.toHaveProperty('ownerEmail');
      expect(overview.tokens[6]).not.toHaveProperty('ownerEmail');
    });

    it('names the user whose tokens could not be listed, with the server’s words; the rest stands', () => {
      expect(overview.failed).toEqual([{ login: BROKEN, reason: SERVER_FAILURE }]);
    });

    it('lists the users page by page, then asks only for those who have tokens', () => {
      expect(requests(USERS_SEARCH, from).map((r) => r.params)).toEqual([{ p: '1', ps: '500' }]);
      const asked = requests(TOKENS_SEARCH, from).map((r) => r.params['login']);
      // 01-49, grace and alan; 50-60 have none, as the search's token count says.
      expect(asked).toHaveLength(51);
      expect(asked).not.toContain('user-50');
      expect(asked).toContain(BROKEN);
    });

    it('reports its progress user by user', () => {
      expect(progress[0]).toEqual({ accountId: admin.id, users: 62, scanned: 0, failed: 0 });
      expect(progress.at(-1)).toEqual({ accountId: admin.id, users: 62, scanned: 62, failed: 1 });
      expect(progress.map((p) => p.scanned)).toEqual(
        [...progress.map((p) => p.scanned)].sort((a, b) => a - b),
      );
    });

    it('keeps nothing of other users on disk', async () => {
      const disk = await vault.everythingOnDisk();
      for (const text of ['user-06', 'user-01@example.org', 'Frances Adams', 'old-ci']) {
        expect(disk).not.toContain(text);
      }
    });
  });

  it('asks for at most 4 users’ tokens at a time, and runs one scan for two who ask at once', async () => {
    server.slowDown(TOKENS_SEARCH, 25);
    try {
      const from = server.requests.length;
      const [first, second] = await Promise.all([
        vault.call('admin.overview', { accountId: admin.id }),
        vault.call('admin.overview', { accountId: admin.id }),
      ]);
      expect(second).toEqual(first);
      expect(requests(USERS_SEARCH, from)).toHaveLength(1);
      expect(requests(TOKENS_SEARCH, from)).toHaveLength(51);
      expect(SCAN_CONCURRENCY).toBe(4);
      expect(server.peakInFlight(TOKENS_SEARCH)).toBe(SCAN_CONCURRENCY);
    } finally {
      server.slowDown(TOKENS_SEARCH, 0);
    }
  });

  it('applies the thresholds as they are now, to the overview it holds, without asking again', async () => {
    await vault.call('settings.update', { thresholdsMs: [3 * DAY_MS, DAY_MS] });
    const from = server.requests.length;
    const held = await vault.call('admin.overview', { accountId: admin.id, refresh: false });
    expect(server.requests.length).toBe(from);
    expect(held.tokens.map((t) => `${t.owner}/${t.name}`)).toEqual([
      'user-06/old-ci',
      'user-07/old-ci',
      'user-08/old-ci',
      'user-01/ci',
      'user-02/ci',
      'user-03/ci',
    ]);
    await vault.call('settings.update', { thresholdsMs: [14 * DAY_MS, 3 * DAY_MS, DAY_MS] });
  });

  it('a token revoked through the vault leaves the overview at once', async () => {
    const events = vault.events.length;
    await vault.call('tokens.revoke', { accountId: admin.id, name: 'ci', login: 'user-02' });
    expect(server.tokenNames('user-02')).not.toContain('ci');
    const changed = vault.events.slice(events).filter((e) => e.event === 'admin.overviewChanged');
    expect(changed).toHaveLength(1);
    const pushed = changed[0]?.payload as AdminOverview;
    expect(pushed.tokens.map((t) => `${t.owner}/${t.name}`)).not.toContain('user-02/ci');
    const held = await vault.call('admin.overview', { accountId: admin.id, refresh: false });
    expect(held.tokens).toHaveLength(7);
  });

  it('follows the vault’s refreshes: on demand and every 5 minutes', async () => {
    server.addToken('user-30', { name: 'deploy', createdAt: new Date(NOW), expirationDate: dayAhead(4) });
    const pushed = (from: number) =>
      vault.events
        .slice(from)
        .filter((e) => e.event === 'admin.overviewChanged')
        .map((e) => e.payload as AdminOverview);

    let from = vault.events.length;
    await vault.call('tokens.refreshAll', { reason: 'user' });
    await expect
      .poll(() =>
        pushed(from).some((o) => o.tokens.some((t) => t.owner === 'user-30' && t.name === 'deploy')),
      )
      .toBe(true);

    server.addToken('user-31', { name: 'deploy', createdAt: new Date(NOW), expirationDate: dayAhead(5) });
    from = vault.events.length;
    await vault.clock.advance(5 * MINUTE_MS);
    await expect.poll(() => pushed(from).some((o) => o.tokens.some((t) => t.owner === 'user-31'))).toBe(true);
  });

  it('when the server cannot be asked, the last overview stays, marked stale, with the reason', async () => {
    server.fault(USERS_SEARCH, {
      kind: 'status',
      status: 500,
      body: JSON.stringify({ errors: [{ msg: SERVER_FAILURE }] }),
      contentType: 'application/json',
    });
    const stale = await vault.call('admin.overview', { accountId: admin.id });
    expect(stale).toMatchObject({ stale: true, problem: SERVER_FAILURE });
    expect(stale.tokens.length).toBeGreaterThan(0);
    const fresh = await vault.call('admin.overview', { accountId: admin.id });
    expect(fresh.stale).toBe(false);
    expect(fresh).not.toHaveProperty('problem');
  });
});

describe('a server with more users than one page', () => {
  it('lists them 500 at a time', async () => {
    const users: SeedUser[] = Array.from({ length: 1_050 }, (_, i) => ({
      login: `member-${String(i).padStart(4, '0')}`,
      name: `Member ${i}`,
    }));
    users[1_049] = {
      ...users[1_049]!,
      tokens: [{ name: 'ci', createdAt: new Date(NOW), expirationDate: dayAhead(2) }],
    };
    const server = await startSonarQubeServer({
      flavour: 'server',
      now: NOW,
      users: [{ login: 'grace', name: 'Grace Hopper', admin: true }, ...users],
    });
    const vault = await coreFixture({ now: NOW });
    try {
      const credential = server.addToken('grace', { name: 'vault', createdAt: new Date(NOW) });
      const account = await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential });
      const from = server.requests.length;
      const overview = await vault.call('admin.overview', { accountId: account.id });
      expect(
        server.requests
          .slice(from)
          .filter((r) => r.path === USERS_SEARCH)
          .map((r) => r.params['p']),
      ).toEqual(['1', '2', '3']);
      expect(overview).toMatchObject({ users: 1_051, scanned: 1_051, failed: [] });
      expect(overview.tokens.map((t) => t.owner)).toEqual(['member-1049']);
      // Only the two users with tokens were asked for theirs.
      expect(server.requests.slice(from).filter((r) => r.path === TOKENS_SEARCH)).toHaveLength(2);
    } finally {
      vault.core.stop();
      await server.close();
    }
  });
});

describe('SonarQube Cloud', () => {
  it('has no user search for this: the vault says so and asks nothing', async () => {
    const cloud = await startSonarQubeServer({
      flavour: 'cloud',
      organizations: [{ key: 'acme', name: 'ACME' }],
      users: [{ login: 'ada', name: 'Ada', admin: true, organizations: ['acme'] }],
    });
    const vault = await coreFixture({ cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloud.url } });
    try {
      const credential = cloud.addToken('ada', { name: 'vault', createdAt: new Date() });
      const account = await vault.call('accounts.add', {
        kind: 'cloud-eu',
        organization: 'acme',
        credential,
      });
      const from = cloud.requests.length;
      for (const attempt of [
        vault.call('users.search', { accountId: account.id, query: 'ad' }),
        vault.call('admin.overview', { accountId: account.id }),
      ]) {
        await expect(attempt).rejects.toMatchObject({
          code: 'invalid-input',
          message: expect.stringContaining('SonarQube Cloud offers no search') as unknown,
        });
      }
      expect(cloud.requests.slice(from)).toEqual([]);
    } finally {
      vault.core.stop();
      await cloud.close();
    }
  });
});
