/**
 * The command line end to end: built with esbuild as `npm run build` builds it, run with plain
 * `node` (no Electron, no app running) on vaults the real core seeded against a local SonarQube
 * imitation, with the values in a real keychain (GNOME Keyring in a private D-Bus session: run
 * through test/support/with-keyring.sh, as `npm test` does). It lists, judges, copies, prints
 * and hands over values; it never shows a value but where asked, records every use in the app's
 * history, and leaves the app's files byte for byte as they were.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_FILE, HistoryJournal } from '@core/history/journal';
import { KeytarSecretStore } from '@core/storage/keytar-store';
import { secretKeys } from '@core/storage/keys';
import { FILE_NAME } from '@core/storage/metadata-store';
import { MASK } from '../../electron/cli/masker';
import type { Listing } from '../../electron/cli/listing';
import {
  buildTestCli,
  eventually,
  fakeXclip,
  folderDigest,
  runProcess,
  type BuiltCli,
  type CliResult,
  type FakeClipboard,
} from '../support/cli-harness';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';
import { leakedPart } from '../support/token-values';

const DAY = 86_400_000;
const hasSecretService =
  Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']) && process.env['VAULT_KEYRING_READY'] === '1';
const linux = process.platform === 'linux';
// In CI on Linux the keyring must be there: a skip there would hide a broken set-up.
const requireKeyring = linux && process.env['CI'] === 'true';

describe.skipIf(!hasSecretService && !requireKeyring)('the command line (token-vault)', () => {
  const service = `Token Vault for SonarQube (cli test ${randomBytes(4).toString('hex')})`;
  const secrets = new KeytarSecretStore(service);
  const NOW = Date.now();
  /** Every value and credential the vaults hold: none may appear where it was not asked for. */
  const values: string[] = [];
  let cli: BuiltCli;
  let server: TestServer;
  let clipboard: FakeClipboard;
  /** The main vault: a Server account whose label has a '/', and a second account. */
  let main: CoreFixture;
  let acme: string;
  let untouched: Record<string, string>;

  /** A vault of its own: one account of `login`, its list fetched, these tokens' values kept. */
  async function seedVault(login: string, label: string, kept: Record<string, string>): Promise<CoreFixture> {
    const vault = await coreFixture({ secrets, now: NOW });
    const credential = server.addToken(login, { name: `vault-${label}`, createdAt: new Date(NOW - DAY) });
    values.push(credential);
    const { id } = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential,
      label,
      ownCredential: false,
    });
    for (const [name, value] of Object.entries(kept)) {
      await vault.call('tokens.import', { accountId: id, name, value });
    }
    await vault.call('tokens.list', { accountId: id });
    return vault;
  }

  const env = (vault: CoreFixture, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      VAULT_DATA_DIR: vault.dataDir,
      VAULT_KEYCHAIN_SERVICE: service,
      PATH: `${clipboard.binDir}:${process.env['PATH'] ?? ''}`,
      DISPLAY: ':99',
      ...extra,
    };
    delete base['WAYLAND_DISPLAY'];
    return base;
  };
  const inMain = (args: string[], extra?: NodeJS.ProcessEnv, input?: string) =>
    cli.run(args, { env: env(main, extra), input });
  const expectNoValue = (result: CliResult) => {
    for (const value of values) {
      expect(leakedPart(result.stdout, value)).toBeNull();
      expect(leakedPart(result.stderr, value)).toBeNull();
    }
  };

  beforeAll(async () => {
    [cli, clipboard, server] = await Promise.all([
      buildTestCli(),
      fakeXclip(),
      startSonarQubeServer({
        flavour: 'server',
        now: NOW,
        users: [
          { login: 'grace', name: 'Grace' },
          { login: 'alan', name: 'Alan' },
          { login: 'ada', name: 'Ada' },
          { login: 'linus', name: 'Linus' },
          { login: 'edsger', name: 'Edsger' },
        ],
      }),
    ]);
    const token = (login: string, name: string, expirationDate?: number) => {
      const value = server.addToken(login, {
        name,
        createdAt: new Date(NOW - 10 * DAY),
        ...(expirationDate === undefined ? {} : { expirationDate: new Date(expirationDate) }),
      });
      values.push(value);
      return value;
    };
    const ci = token('grace', 'ci');
    const laptop = token('grace', 'laptop');
    token('grace', 'far', NOW + 200 * DAY);
    main = await seedVault('grace', 'Acme/Server', { ci, laptop });
    acme = (await main.call('accounts.list', {})).find((a) => a.label === 'Acme/Server')!.id;
    const other = server.addToken('alan', { name: 'vault-other', createdAt: new Date(NOW - DAY) });
    values.push(other);
    const { id: otherId } = await main.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential: other,
      label: 'Other',
      ownCredential: false,
    });
    await main.call('tokens.import', { accountId: otherId, name: 'ci', value: token('alan', 'ci') });
    await main.call('tokens.list', { accountId: otherId });
    await main.call('settings.update', { clipboardClearMs: 1_500 });
    // From here on, the CLI may add to the history of uses, and nothing else.
    untouched = await folderDigest(main.dataDir, [HISTORY_FILE]);
  }, 60_000);

  afterAll(async () => {
    for (const key of await secrets.keys()) await secrets.delete(key);
    await Promise.all([server?.close(), cli?.remove()]);
  });

  it('--help lists every command (and not the internal one); --version is the package version', async () => {
    const help = await inMain(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['list', 'status', 'copy', 'read', 'run']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(help.stdout).not.toContain('__clear-clipboard');
    expect(help.stdout).toContain(main.dataDir);
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect((await inMain(['--version'])).stdout.trim()).toBe(version);
  });

  it('list: every account and token, time left, held or not, when the list was fetched', async () => {
    const result = await inMain(['list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Acme\/Server {2}\(SonarQube Server · http:\/\/127\.0\.0\.1:\d+ · grace\)$/m,
    );
    expect(result.stdout).toMatch(/^ {2}List fetched \d{4}-\d\d-\d\d \d\d:\d\d \(just now\)\.$/m);
    expect(result.stdout).toMatch(/^ {2}never +ci +never expires +- +in vault$/m);
    expect(result.stdout).toMatch(/^ {2}ok +far +199 days +\d{4}-\d\d-\d\d \d\d:\d\d$/m);
    expect(result.stdout).toMatch(/^Other {2}\(/m);
    expectNoValue(result);
  });

  it('list --json: a stable shape for scripts, never a value', async () => {
    const result = await inMain(['list', '--json']);
    expect(result.code).toBe(0);
    expectNoValue(result);
    const listing = JSON.parse(result.stdout) as Listing;
    expect(listing).toMatchObject({ version: 1, dataDir: main.dataDir, problems: [] });
    expect(listing.accounts.map((a) => a.label)).toEqual(['Acme/Server', 'Other']);
    const [account] = listing.accounts;
    expect(Object.keys(account!)).toEqual([
      'id',
      'label',
      'kind',
      'baseUrl',
      'organization',
      'login',
      'setAside',
      'listFetchedAt',
      'tokens',
    ]);
    expect(account).toMatchObject({ id: acme, kind: 'server', baseUrl: server.url, setAside: null });
    expect(account!.tokens.map((t) => [t.ref, t.state, t.inVault])).toEqual([
      ['Acme/Server/ci', 'never', true],
      ['Acme/Server/far', 'ok', false],
      ['Acme/Server/laptop', 'never', true],
      // The vault's own credential, as its server lists it.
      ['Acme/Server/vault-Acme/Server', 'never', false],
    ]);
    const far = account!.tokens.find((t) => t.name === 'far')!;
    expect(far).toMatchObject({ expiryBasis: 'fixed', onServer: true, type: 'USER_TOKEN' });
    expect(far.msLeft).toBe(far.expiresAt! - listing.now);
  });

  it('status: 0 when everything is fine', async () => {
    const result = await inMain(['status']);
    expect(result.stdout).toMatch(/^Token Vault ok: 6 tokens in 2 accounts, none expiring\n$/);
    expect(result.code).toBe(0);
  });

  it('status: 1 when a token expires within the warning thresholds', async () => {
    const soon = server.addToken('ada', {
      name: 'soon',
      createdAt: new Date(NOW),
      expirationDate: new Date(NOW + 3 * DAY),
    });
    values.push(soon);
    const vault = await seedVault('ada', 'Ada', { soon });
    const result = await cli.run(['status'], { env: env(vault) });
    expect(result.stdout).toMatch(/^Token Vault expiring: 1 expiring \(soonest Ada\/soon in [23] days\)/);
    expect(result.code).toBe(1);
  });

  it('status: 2 when a token has expired', async () => {
    server.addToken('linus', {
      name: 'gone',
      createdAt: new Date(NOW - 9 * DAY),
      expirationDate: new Date(NOW - DAY),
    });
    const vault = await seedVault('linus', 'Linus', {});
    const result = await cli.run(['status'], { env: env(vault) });
    expect(result.stdout).toMatch(/^Token Vault critical: 1 expired \(Linus\/gone\)/);
    expect(result.code).toBe(2);
  });

  it("status: 2 when an account's credential is gone from the keychain, or the account is set aside", async () => {
    const vault = await seedVault('edsger', 'Edsger', {});
    const [account] = await vault.call('accounts.list', {});
    await secrets.delete(secretKeys.credential(account!.id));
    let result = await cli.run(['status'], { env: env(vault) });
    expect(result.stdout).toMatch(/^Token Vault critical: credential missing: Edsger/);
    expect(result.code).toBe(2);
    // Not asking the keychain: no prompt, and the credentials are not judged.
    expect((await cli.run(['status', '--no-keychain'], { env: env(vault) })).code).toBe(0);

    // Someone points the account elsewhere in vault.json: the CLI sets it aside as the app does.
    const file = join(vault.dataDir, FILE_NAME);
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace(`"baseUrl": "${server.url}"`, `"baseUrl": "${server.url}/elsewhere/"`),
    );
    result = await cli.run(['status', '--no-keychain'], { env: env(vault) });
    expect(result.stdout).toMatch(/^Token Vault critical: set aside: Edsger/);
    expect(result.code).toBe(2);
    const used = await cli.run(['read', 'Edsger/vault-Edsger'], { env: env(vault) });
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(
      /The account Edsger is set aside and never used: its address .* is not a normalized URL/,
    );
  });

  it('an unreadable vault.json is reported, sanitized, and left where it is (the app sets it aside)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-cli-unreadable-'));
    const planted = `squ_${randomBytes(20).toString('hex')}`;
    await writeFile(join(dir, FILE_NAME), `{"version": 1, "accounts": ${planted}`);
    const before = await folderDigest(dir);
    const vaultEnv = { ...process.env, VAULT_DATA_DIR: dir, VAULT_KEYCHAIN_SERVICE: service };
    const listed = await cli.run(['list'], { env: vaultEnv });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /Note: The vault's data file .*vault\.json could not be read \(not valid JSON/,
    );
    expect(leakedPart(listed.stdout, planted)).toBeNull();
    const status = await cli.run(['status'], { env: vaultEnv });
    expect(status.stdout).toBe(
      "Token Vault critical: the vault's data file cannot be read (0 tokens in 0 accounts)\n",
    );
    expect(status.code).toBe(2);
    expect(await folderDigest(dir)).toEqual(before);
  });

  it('read: prints the value alone when stdout is not a terminal', async () => {
    const result = await inMain(['read', 'acme/server/ci']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${await secrets.get(secretKeys.token(acme, 'ci'))}\n`);
    expect(result.stderr).toBe('');
    // The account by its id works too.
    expect((await inMain(['read', `${acme}/laptop`])).stdout).toBe(
      `${await secrets.get(secretKeys.token(acme, 'laptop'))}\n`,
    );
  });

  it.skipIf(!linux)('read: refuses on a terminal unless --reveal (a real pseudo-terminal)', async () => {
    const onTerminal = (args: string) =>
      runProcess('script', ['-qec', `"${process.execPath}" "${cli.path}" ${args}`, '/dev/null'], {
        env: env(main),
      });
    const refused = await onTerminal('read Acme/Server/ci');
    expect(refused.stdout).toMatch(/Not printing a token value to a terminal/);
    expect(refused.stdout).toMatch(/--reveal/);
    expect(refused.code).toBe(1);
    expectNoValue(refused);
    const revealed = await onTerminal('read --reveal Acme/Server/ci');
    expect(revealed.code).toBe(0);
    expect(revealed.stdout.trim()).toBe(await secrets.get(secretKeys.token(acme, 'ci')));
  });

  it('names what is wrong with a reference: close matches, the accounts, a value not held', async () => {
    const typo = await inMain(['read', 'Acme/Server/cj']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      'token-vault: Acme/Server has no token "cj" in its last list. Did you mean: Acme/Server/ci?\n',
    );
    // The very name under another account is a close match too.
    expect((await inMain(['read', 'Other/laptop'])).stderr).toMatch(
      /Did you mean: Acme\/Server\/laptop\?\n$/,
    );
    // No account named at all.
    expect((await inMain(['copy', 'ci'])).stderr).toBe(
      'token-vault: Name a token as <account>/<token> (the account\'s label or id), not "ci". ' +
        'Did you mean: Acme/Server/ci, Other/ci?\n',
    );
    const noAccount = await inMain(['read', 'Acne/Server/ci']);
    expect(noAccount.stderr).toMatch(
      /^token-vault: No account is named "Acne" or "Acne\/Server"\. The vault's accounts: Acme\/Server \([a-z0-9-]+\), Other \([a-z0-9-]+\)\. Did you mean: Acme\/Server\/ci/,
    );
    const notHeld = await inMain(['read', 'Acme/Server/far']);
    expect(notHeld.stderr).toMatch(
      /^token-vault: Acme\/Server\/far is not in the vault: the vault does not hold its value/,
    );
    expect(notHeld.code).toBe(1);
    // A value pasted where a name goes is not echoed back.
    const pasted = await inMain(['read', `Acme/Server/${values[1]}`]);
    expectNoValue(pasted);
    expect(pasted.stderr).toContain('[token]');
  });

  it.skipIf(!linux)('says clearly when the keychain is not there', async () => {
    const result = await inMain(['read', 'Acme/Server/ci'], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
      DISPLAY: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^token-vault: The OS keychain is not available \(.+\)\. .*unlock it/);
    expect(result.stdout).toBe('');
  });

  it.skipIf(!linux)(
    'copy: the value goes to the clipboard (stdin only), and is cleared after the set time',
    async () => {
      const value = (await secrets.get(secretKeys.token(acme, 'ci')))!;
      const result = await inMain(['copy', 'Acme/Server/ci']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^Copied Acme\/Server\/ci to the clipboard \(xclip\); it is cleared in 2 s if it still holds it\.\n/,
      );
      expect(result.stdout).toMatch(/carries no "concealed" marker/);
      expectNoValue(result);
      expect(await clipboard.content()).toBe(value);
      expect(await eventually(async () => (await clipboard.content()) === '')).toBe(true);
      // The value never was on a command line (`ps` shows those): only a digest was.
      expect((await clipboard.calls()).join('\n')).not.toContain(value.slice(4, 20));
    },
  );

  it.skipIf(!linux)('copy: whatever the user copied since is left alone', async () => {
    const reads = async () => (await clipboard.calls()).filter((c) => c.includes('-out')).length;
    const before = await reads();
    expect((await inMain(['copy', 'Other/ci'])).code).toBe(0);
    await clipboard.set('my own text');
    // The clear looked (it read the clipboard) and left it.
    expect(await eventually(async () => (await reads()) > before)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await clipboard.content()).toBe('my own text');
  });

  it.skipIf(!linux)('copy: no graphical session, no clipboard: said so', async () => {
    const result = await inMain(['copy', 'Acme/Server/ci'], { DISPLAY: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/There is no clipboard here: neither WAYLAND_DISPLAY nor DISPLAY is set/);
  });

  const printEnv = [
    '-e',
    "console.log(Object.keys(process.env).filter((k) => /SONAR|^MY_/.test(k)).sort().join(',')); " +
      "console.log('token=' + (process.env.SONAR_TOKEN ?? process.env.MY_TOKEN)); " +
      "console.error('host=' + (process.env.SONAR_HOST_URL ?? process.env.MY_HOST));",
  ];

  it("run: the value and the server's URL in the command's environment; its output masked", async () => {
    const result = await inMain(['run', '--token', 'Acme/Server/ci', '--', process.execPath, ...printEnv]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`SONAR_HOST_URL,SONAR_TOKEN\ntoken=${MASK}\n`);
    expect(result.stderr).toBe(`host=${server.url}\n`);
    expectNoValue(result);

    const named = await inMain([
      'run',
      '--token',
      'Other/ci',
      '--env',
      'MY_TOKEN',
      '--host-env',
      'MY_HOST',
      process.execPath,
      ...printEnv,
    ]);
    expect(named.stdout).toBe(`MY_HOST,MY_TOKEN\ntoken=${MASK}\n`);
    expect(named.stderr).toBe(`host=${server.url}\n`);
  });

  it('run: a value split across two writes is still masked, on stdout and stderr', async () => {
    const script =
      'const v = process.env.SONAR_TOKEN; process.stdout.write("a" + v.slice(0, 9)); ' +
      'process.stderr.write(v.slice(0, 30)); ' +
      'setTimeout(() => { process.stdout.write(v.slice(9) + "b\\n"); process.stderr.write(v.slice(30) + "\\n"); }, 100);';
    const result = await inMain([
      'run',
      '--token',
      'Acme/Server/laptop',
      '--',
      process.execPath,
      '-e',
      script,
    ]);
    expect(result.stdout).toBe(`a${MASK}b\n`);
    expect(result.stderr).toBe(`${MASK}\n`);
    expectNoValue(result);
  });

  it('run: stdin passes through; the exit status is handed back', async () => {
    const echo = await inMain(
      [
        'run',
        '--token',
        'Acme/Server/ci',
        '--',
        process.execPath,
        '-e',
        'process.stdin.pipe(process.stdout)',
      ],
      {},
      'piped in\n',
    );
    expect(echo.stdout).toBe('piped in\n');
    const three = await inMain([
      'run',
      '--token',
      'Acme/Server/ci',
      process.execPath,
      '-e',
      'process.exit(3)',
    ]);
    expect(three.code).toBe(3);
    // Options after the command are the command's own.
    const own = await inMain(['run', '--token', 'Acme/Server/ci', process.execPath, '--version']);
    expect(own.stdout).toBe(`${process.version}\n`);
  });

  it.skipIf(process.platform === 'win32')('run: a command killed by a signal exits 128 + n', async () => {
    const killed = await inMain([
      'run',
      '--token',
      'Acme/Server/ci',
      process.execPath,
      '-e',
      'process.kill(process.pid, "SIGTERM")',
    ]);
    expect(killed.code).toBe(143);
  });

  it("run: 127 for no such command; 125 for the CLI's own failures before it starts", async () => {
    const missing = await inMain(['run', '--token', 'Acme/Server/ci', '--', 'no-such-command-here']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toBe('token-vault: no-such-command-here: command not found\n');
    const unknown = await inMain(['run', '--token', 'Acme/Server/nope', '--', process.execPath, '-e', '']);
    expect(unknown.code).toBe(125);
    expect(unknown.stderr).toMatch(/has no token "nope"/);
    const noToken = await inMain(['run', '--', process.execPath, '-e', '']);
    expect(noToken.code).toBe(125);
    expect(noToken.stderr).toMatch(/required option '--token <account\/token>' not specified/);
    const badName = await inMain(['run', '--token', 'Acme/Server/ci', '--env', 'NOT-A-NAME', 'true']);
    expect(badName.code).toBe(125);
  });

  it('every use is in the history of uses, from the command line, never a value', async () => {
    const journal = new HistoryJournal(main.dataDir);
    const ci = await journal.list({ accountId: acme, name: 'ci' });
    const count = (action: string) => ci.filter((use) => use.action === action).length;
    // Reads: piped, and revealed on a terminal (not the refused one, nor the keychain's failure).
    // Runs: the commands that started (not the one not found, nor those refused before).
    expect({ read: count('read'), run: count('run'), copy: count('copy') }).toEqual(
      linux ? { read: 2, run: 5, copy: 1 } : { read: 1, run: 4, copy: 0 },
    );
    expect(ci.every((use) => use.via === 'cli' && Math.abs(use.at - Date.now()) < 120_000)).toBe(true);
    // The app shows them in the token's history.
    expect(await main.call('tokens.history', { accountId: acme, name: 'ci' })).toEqual(ci);
    const text = await readFile(join(main.dataDir, HISTORY_FILE), 'utf8');
    for (const value of values) expect(leakedPart(text, value)).toBeNull();
  });

  it("leaves the app's files as they were, byte for byte (vault.json, the lists, the log)", async () => {
    expect(await folderDigest(main.dataDir, [HISTORY_FILE])).toEqual(untouched);
  });
});
