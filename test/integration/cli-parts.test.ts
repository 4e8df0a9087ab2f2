/**
 * The command line's parts on their own, where the end-to-end run (cli.test.ts) cannot reach
 * every case: the masker against every way a value can be cut into chunks, the rule for printing
 * to a terminal, the data folder on each OS, the clipboard command per session, token references,
 * and the status verdict.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SETTINGS_DEFAULTS } from '@contract';
import { clipboardTools } from '../../electron/cli/clipboard';
import { dataDir } from '../../electron/cli/data-dir';
import { vaultListing } from '../../electron/cli/listing';
import { MASK, maskChunks } from '../../electron/cli/masker';
import { readRefusal } from '../../electron/cli/read-policy';
import { vaultStatus, type Broken } from '../../electron/cli/status';
import { closeMatches, editDistance, resolveRef } from '../../electron/cli/token-ref';
import { DAY_MS } from '@shared/expiry';
import type { AccountRecord, Metadata } from '@core/storage/schema';
import { tokenValue } from '../support/token-values';

describe('the masker', () => {
  it('masks every occurrence, however the output is cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        tokenValue,
        fc.array(fc.oneof(fc.string(), fc.constant('§value§')), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (value, parts, cuts) => {
          const text = parts.join('').replaceAll('§value§', value);
          const bytes = Buffer.from(text, 'utf8');
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i]));
          expect(await maskChunks(value, chunks)).toBe(text.replaceAll(value, MASK));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds back only what could start the value, and lets it go at the end', async () => {
    const value = 'squ_0123456789abcdef0123456789abcdef01234567';
    expect(await maskChunks(value, ['build ', 'ok sq', 'u_0'])).toBe('build ok squ_0');
    expect(await maskChunks(value, [value.slice(0, 1), value.slice(1, 2), value.slice(2), '\n'])).toBe(
      `${MASK}\n`,
    );
    expect(await maskChunks(value, [`${value}${value}`])).toBe(`${MASK}${MASK}`);
    // A character cut in two between chunks comes out whole.
    const euro = Buffer.from('€', 'utf8');
    expect(await maskChunks(value, [euro.subarray(0, 1), euro.subarray(1)])).toBe('€');
  });
});

describe('read on a terminal', () => {
  it('prints to a pipe or a file; to a terminal only with --reveal', () => {
    expect(readRefusal(false, false)).toBeNull();
    expect(readRefusal(false, true)).toBeNull();
    expect(readRefusal(true, true)).toBeNull();
    expect(readRefusal(true, false)).toMatch(/Not printing a token value to a terminal.*--reveal/);
  });
});

describe('the data folder', () => {
  const product = 'Token Vault for SonarQube';
  it("is Electron's userData for the product on each OS, unless VAULT_DATA_DIR names one", () => {
    expect(dataDir({}, 'linux', '/home/ada')).toBe(`/home/ada/.config/${product}`);
    expect(dataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe(`/xdg/${product}`);
    expect(dataDir({}, 'darwin', '/Users/ada')).toBe(`/Users/ada/Library/Application Support/${product}`);
    expect(dataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      `C:\\Users\\ada\\AppData\\Roaming\\${product}`,
    );
    expect(dataDir({ VAULT_DATA_DIR: '/tmp/vault' }, 'darwin', '/Users/ada')).toBe('/tmp/vault');
  });
});

describe('the clipboard command', () => {
  const names = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform) =>
    clipboardTools(env, platform).map((t) => t.name);
  it("is the OS's own, or on Linux the session's (Wayland first, then X11)", () => {
    expect(names({}, 'darwin')).toEqual(['pbcopy']);
    expect(names({}, 'win32')).toEqual(['clip.exe']);
    expect(names({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual(['wl-copy']);
    expect(names({ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, 'linux')).toEqual([
      'wl-copy',
      'xclip',
      'xsel',
    ]);
    expect(names({ DISPLAY: ':0' }, 'freebsd')).toEqual(['xclip', 'xsel']);
    expect(() => names({}, 'linux')).toThrow(/no clipboard here/);
  });
});

const account = (id: string, label: string): AccountRecord => ({
  id,
  kind: 'server',
  label,
  baseUrl: 'https://sq.example.com',
  login: 'grace',
  userName: 'Grace',
  isAdmin: false,
  serverVersion: '10.7.0.96327',
  addedAt: 1,
});

const NOW = Date.UTC(2026, 10, 25, 9, 0);

function metadata(accounts: AccountRecord[], lists: Record<string, [string, number | null][]>): Metadata {
  return {
    version: 1,
    accounts,
    tokens: [],
    settings: { ...SETTINGS_DEFAULTS },
    snapshots: Object.fromEntries(
      Object.entries(lists).map(([id, tokens]) => [
        id,
        {
          refreshedAt: NOW,
          tokens: tokens.map(([name, expiresAt]) => ({
            accountId: id,
            name,
            createdAt: NOW - DAY_MS,
            lastUsedAt: null,
            expiresAt,
            expiryBasis: expiresAt === null ? ('never' as const) : ('fixed' as const),
            serverSaysExpired: false,
            inVault: false,
            onServer: true,
            keepAlive: false,
          })),
        },
      ]),
    ),
    notices: {},
    setAside: [],
  };
}

describe('token references', () => {
  const a = account('account-aaaa', 'Team/Server');
  const b = account('account-bbbb', 'team');
  const c = account('account-cccc', 'Twin');
  const d = account('account-dddd', 'twin');
  const m = metadata([a, b, c, d], {
    [a.id]: [['ci', null]],
    [b.id]: [
      ['Server/ci', null],
      ['deploy', null],
    ],
    [c.id]: [['x', null]],
    [d.id]: [['x', null]],
  });

  it('tries every split, since labels and names may hold a slash', () => {
    expect(resolveRef('team/server/ci', m)).toMatchObject({
      account: a,
      name: 'ci',
      shownAs: 'Team/Server/ci',
    });
    expect(resolveRef('team/deploy', m)).toMatchObject({ account: b, name: 'deploy' });
    // Both readings name a token: the id settles it.
    expect(() =>
      resolveRef(
        'Team/Server/ci',
        metadata([a, b], { [a.id]: [['ci', null]], [b.id]: [['Server/ci', null]] }),
      ),
    ).toThrow(/could name 2 tokens: account-bbbb\/Server\/ci, account-aaaa\/ci\. Name the account by its id/);
    expect(resolveRef('account-bbbb/Server/ci', m)).toMatchObject({ account: b, name: 'Server/ci' });
  });

  it('two accounts with one label are told apart by their ids', () => {
    expect(() => resolveRef('twin/x', m)).toThrow(/could name 2 tokens/);
    expect(resolveRef('account-dddd/x', m)).toMatchObject({ account: d, shownAs: 'account-dddd/x' });
  });

  it('suggests the closest names', () => {
    expect(closeMatches('team/deplyo', m)).toEqual(['team/deploy']);
    expect(closeMatches('nothing/like/it', m)).toEqual([]);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('refuses a set-aside account, saying why', () => {
    const aside = { ...m, accounts: [c], setAside: [{ account: a, reason: 'its address is not its own.' }] };
    expect(() => resolveRef('Team/Server/ci', aside)).toThrow(
      /The account Team\/Server is set aside and never used: its address is not its own\./,
    );
  });
});

describe('the status verdict', () => {
  const a = account('account-aaaa', 'A');
  const b = account('account-bbbb', 'B');
  const fine: Broken = { missingCredentials: [], keychainProblem: null, unreadable: false };
  const status = (m: Metadata, broken = fine) => vaultStatus(m, vaultListing(m, NOW, '/data'), broken);

  it('counts as the tray does: muted accounts aside, an expired token for a week only', () => {
    const m = metadata([a, b], {
      [a.id]: [
        ['long-dead', NOW - 30 * DAY_MS],
        ['fine', NOW + 100 * DAY_MS],
      ],
      [b.id]: [['soon', NOW + DAY_MS / 2]],
    });
    expect(status(m)).toEqual({
      exitCode: 1,
      line: 'Token Vault expiring: 1 expiring (soonest B/soon in 12 hours) (3 tokens in 2 accounts)',
    });
    m.settings.mutedAccounts = [b.id];
    expect(status(m)).toEqual({
      exitCode: 0,
      line: 'Token Vault ok: 3 tokens in 2 accounts, none expiring; 1 muted account not counted',
    });
    const expired = metadata([a], { [a.id]: [['gone', NOW - DAY_MS]] });
    expect(status(expired)).toMatchObject({
      exitCode: 2,
      line: expect.stringMatching(/1 expired \(A\/gone\)/) as unknown,
    });
  });

  it('a broken account, an unreadable vault or a keychain that does not answer is 2', () => {
    const m = metadata([a], { [a.id]: [['fine', null]] });
    expect(status(m).exitCode).toBe(0);
    expect(status(m, { ...fine, missingCredentials: ['A'] }).line).toMatch(
      /^Token Vault critical: credential missing: A/,
    );
    expect(status(m, { ...fine, unreadable: true }).exitCode).toBe(2);
    expect(status(m, { ...fine, keychainProblem: 'locked' }).line).toMatch(
      /keychain not available \(locked\)/,
    );
    expect(status({ ...m, setAside: [{ account: b, reason: 'moved.' }] }).line).toMatch(/set aside: B/);
  });
});
