/**
 * 90 days of a vault with 50 tokens in 3 accounts, in milliseconds: exactly which notifications
 * fire and when, across a restart, a 3-day sleep and a clock set back by 2 days. The expected
 * list is derived from the rules as a person states them, not from the code under test.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TokenView } from '@contract';
import { DAY_MS, DEFAULT_THRESHOLDS_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { ExpiryWatcher } from '@core/expiry/watcher';
import type { Logger } from '@core/ports';
import { MetadataStore } from '@core/storage/metadata-store';
import { type AccountRecord } from '@core/storage/schema';
import { FakeClock } from '../support/fake-clock';

const START = Date.UTC(2026, 0, 1, 12, 0);
const END = START + 90 * DAY_MS;
const SLEEP_AT = START + 50 * DAY_MS;
const SLEEP_MS = 3 * DAY_MS;
const JUMP_AT = START + 70 * DAY_MS;
const JUMP_MS = -2 * DAY_MS;
const RESTART_AT = START + 30 * DAY_MS;
const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const ACCOUNTS = [
  { id: 'acc-server-a', label: 'ACME Server', count: 20 },
  { id: 'acc-server-b', label: 'Lab Server', count: 15 },
  { id: 'acc-cloud', label: 'Cloud EU', count: 15 },
];

/** Token i expires 2 h + i × (42 h 13 min) after the start: no two crossings share an instant. */
const TOKENS = ACCOUNTS.flatMap((account, a) =>
  Array.from({ length: account.count }, (_, k) => {
    const i = ACCOUNTS.slice(0, a).reduce((n, x) => n + x.count, 0) + k;
    return {
      account,
      name: `token-${String(i).padStart(2, '0')}`,
      expiresAt: START + 2 * HOUR_MS + i * (42 * HOUR_MS + 13 * MINUTE_MS),
    };
  }),
);

interface Sent {
  at: number;
  title: string;
  body: string;
}

async function vaultWith50Tokens(): Promise<MetadataStore> {
  const store = new MetadataStore(await mkdtemp(join(tmpdir(), 'vault-expiry-')));
  await store.update((m) => {
    for (const account of ACCOUNTS) {
      const record: AccountRecord = {
        id: account.id,
        kind: account.id === 'acc-cloud' ? 'cloud-eu' : 'server',
        label: account.label,
        baseUrl: 'https://sq.example.com',
        login: 'grace',
        userName: 'Grace',
        isAdmin: false,
        serverVersion: '10.7',
        addedAt: START,
      };
      m.accounts.push(record);
      const tokens: TokenView[] = TOKENS.filter((t) => t.account === account).map((t) => ({
        accountId: account.id,
        name: t.name,
        createdAt: START - 30 * DAY_MS,
        lastUsedAt: null,
        expiresAt: t.expiresAt,
        expiryBasis: 'fixed',
        serverSaysExpired: false,
        inVault: true,
        onServer: true,
        keepAlive: false,
      }));
      m.snapshots[account.id] = { refreshedAt: START, tokens };
    }
  });
  return store;
}

/**
 * The rules, stated plainly: each threshold crossing and each expiry is told once, when it
 * happens while the vault watches; what happened while it could not watch (before the start,
 * during the sleep) is told at the next look, worst level only, all due tokens in one summary.
 * Crossings that happen again after the clock was set back are not told again.
 */
function expectedNotices(): { at: number; names: string[] }[] {
  const batches = new Map<number, Set<string>>();
  const tell = (at: number, name: string) => batches.set(at, (batches.get(at) ?? new Set()).add(name));
  const told = new Set<string>();
  for (const token of TOKENS) {
    const instants = [...DEFAULT_THRESHOLDS_MS.map((t) => token.expiresAt - t), token.expiresAt];
    const levels = instants.map((at, i) => ({ at, key: `${token.name}#${i}` }));
    // Before the start: one notice at the start, if any threshold is already crossed.
    const before = levels.filter((l) => l.at <= START);
    if (before.length) {
      tell(START, token.name);
      before.forEach((l) => told.add(l.key));
    }
    for (const level of levels) {
      if (told.has(level.key) || level.at <= START) continue;
      let at: number | null = null;
      if (level.at <= SLEEP_AT) at = level.at;
      else if (level.at <= SLEEP_AT + SLEEP_MS)
        at = SLEEP_AT + SLEEP_MS; // told at resume
      // After the sleep, through the 2 days lived twice after the clock was set back, to the end:
      // told when first crossed (the second pass over those 2 days tells nothing).
      else if (level.at <= END) at = level.at;
      if (at === null) continue;
      // Everything a token crossed during the sleep is one entry in the resume summary.
      if (at === SLEEP_AT + SLEEP_MS && batches.get(at)?.has(token.name)) {
        told.add(level.key);
        continue;
      }
      tell(at, token.name);
      told.add(level.key);
    }
  }
  return [...batches.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, names]) => ({ at, names: [...names].sort() }));
}

describe('expiry watcher over 90 days', () => {
  it('fires exactly the expected notifications, once each, across restart, sleep and a clock set back', async () => {
    const store = await vaultWith50Tokens();
    const clock = new FakeClock(START);
    const sent: Sent[] = [];
    const clicked: unknown[] = [];
    const newWatcher = () =>
      new ExpiryWatcher({
        store,
        clock,
        log: quietLog,
        notifier: {
          notify: ({ title, body, onClick }) => (
            sent.push({ at: clock.now(), title, body }),
            onClick && clicked.push(onClick)
          ),
        },
        onClick: () => undefined,
      });

    let watcher = newWatcher();
    const settle = () => watcher.settled();
    await watcher.start();
    await clock.advance(RESTART_AT - clock.now(), settle);

    // Restart: a new process reads what was sent from the metadata file.
    watcher.stop();
    watcher = newWatcher();
    await watcher.start();
    await clock.advance(SLEEP_AT - clock.now(), settle);

    // The machine sleeps for 3 days; the host calls replan on resume.
    clock.shift(SLEEP_MS);
    await watcher.replan('resume');
    await clock.advance(JUMP_AT + SLEEP_MS - clock.now(), settle);

    // Someone sets the clock back 2 days; the watcher notices at its next wake (within an hour).
    clock.shift(JUMP_MS);
    await clock.advance(END - clock.now(), settle);
    watcher.stop();

    const actual = sent.map((s) => ({ at: s.at, names: namesIn(s) }));
    const expected = expectedNotices().map((e) => ({ at: e.at, names: e.names }));
    // Summaries list their three soonest tokens by name and say how many in all.
    expect(actual.map((a) => ({ at: new Date(a.at).toISOString(), count: a.names.count }))).toEqual(
      expected.map((e) => ({ at: new Date(e.at).toISOString(), count: e.names.length })),
    );
    actual.forEach((a, i) => {
      for (const name of a.names.shown) expect(expected[i]!.names).toContain(name);
    });
    // The start and the resume produce summaries, not bursts.
    expect(sent.filter((s) => s.at === START)).toHaveLength(1);
    expect(sent.filter((s) => s.at === SLEEP_AT + SLEEP_MS)).toHaveLength(1);
    expect(sent.find((s) => s.at === START)?.title).toBe('8 SonarQube tokens need attention');
    // Every token expiring in the window was told it expired, exactly once.
    const expiredTold = sent.flatMap((s) =>
      s.title.startsWith('Token expired: ') ? [s.title.slice(15)] : [],
    );
    expect(new Set(expiredTold).size).toBe(expiredTold.length);
    // No notification ever carries anything but names, accounts and times.
    expect(sent.every((s) => !/sq[upa]_|[0-9a-f]{40}/.test(s.body))).toBe(true);
    expect(clicked.length).toBe(sent.length);
  });
});

function namesIn(sent: Sent): { count: number; shown: string[] } {
  const single = /^Token (?:expiring|expired): (.+)$/.exec(sent.title);
  if (single) return { count: 1, shown: [single[1]!] };
  const count = Number(/^(\d+) SonarQube tokens need attention$/.exec(sent.title)?.[1]);
  return { count, shown: [...sent.body.matchAll(/(token-\d\d) \(/g)].map((m) => m[1]!) };
}
