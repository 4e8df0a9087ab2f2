/**
 * Kill mid-write: a child process doing what the vault does to its data folder (vault.json, the
 * accounts' token lists, the history journal) and the real keychain
 * (test/support/kill-mid-write-child.ts) is killed (SIGKILL) at random points, 200 times over the
 * same data folder, each child continuing from what the previous one left. After each kill:
 * vault.json and every list parse, no temp file is left behind, no list outlives its account,
 * every journal line but a torn last one parses, and every keychain entry is referenced by
 * vault.json or adopted or reported by the leftovers check (then the reported ones are forgotten).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Logger } from '../../electron/core/ports';
import { KeytarSecretStore } from '../../electron/core/secrets/keytar-store';
import { Leftovers, parseKey, referencedKeys } from '../../electron/core/vault/leftovers';
import { HISTORY_FILE, HistoryJournal, JournalLine } from '../../electron/core/history/journal';
import { MetadataStore } from '../../electron/core/vault/metadata-store';

const KILLS = 200;
const hasSecretService = process.env['VAULT_KEYRING_READY'] === '1';
const requireKeyring = process.platform === 'linux' && process.env['CI'] === 'true';
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!hasSecretService && !requireKeyring)('a vault killed mid-write', () => {
  const service = `Token Vault kill test ${randomBytes(4).toString('hex')}`;
  const secrets = new KeytarSecretStore(service);
  let work: string;
  let child: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vault-kill-'));
    // Bundled once: 200 starts of plain Node stay fast (no TypeScript loader per start).
    child = join(work, 'child.mjs');
    await build({
      entryPoints: ['test/support/kill-mid-write-child.ts'],
      outfile: child,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['keytar'],
      minify: true,
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    for (const key of await secrets.keys()) await secrets.delete(key);
    await rm(work, { recursive: true, force: true });
  });

  it(`vault.json always parses and no keychain entry is left unreported, over ${KILLS} kills`, async () => {
    const dataDir = join(work, 'data');
    await mkdir(dataDir);
    const started = Date.now();
    const counts = { between: 0, adopted: 0, reported: 0, tempFiles: 0, uses: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const pending = await runAndKill(child, [dataDir, service, resolve('.')]);

      counts.tempFiles += (await tempFiles(dataDir)).length;
      const store = new MetadataStore(dataDir);
      const metadata = await store.load();
      expect(store.problem, `kill ${kill}: vault.json unreadable`).toBeNull();
      expect(store.snapshots.problems, `kill ${kill}: a token list unreadable`).toEqual([]);
      // The compaction of the next start removes what a killed one left.
      const history = new HistoryJournal(dataDir);
      await history.compact(() => true, Number.POSITIVE_INFINITY);
      // Loading cleans what a killed write left: nothing accumulates, nothing trips a later load.
      expect(await tempFiles(dataDir), `kill ${kill}: temp file left`).toEqual([]);
      // A list whose account a kill removed before its file goes at the load after.
      const lists = (await readdir(store.snapshots.dir).catch(() => [])).map((n) =>
        join(store.snapshots.dir, n),
      );
      const withList = metadata.accounts.filter((a) => metadata.snapshots[a.id] !== undefined);
      expect(lists.sort(), `kill ${kill}: a list outlived its account`).toEqual(
        withList.map((a) => store.snapshots.pathOf(a.id)).sort(),
      );
      // Each use is one append: a kill leaves every line whole.
      const journal = await readFile(join(dataDir, HISTORY_FILE), 'utf8').catch(() => '');
      const lines = journal.split('\n');
      expect(lines.at(-1), `kill ${kill}: a torn journal line`).toBe('');
      for (const line of lines.slice(0, -1)) {
        expect(JournalLine.safeParse(JSON.parse(line)).success, `kill ${kill}: ${line}`).toBe(true);
      }
      counts.uses = lines.length - 1;

      const unreferenced = (await secrets.keys()).filter((k) => !referencedKeys(metadata).has(k));
      // Only the write the kill interrupted can be unknown to vault.json.
      expect(unreferenced.filter((k) => k !== pending)).toEqual([]);
      const leftovers = new Leftovers({ store, secrets, clock: systemClock, log: quiet });
      const reported = (await leftovers.check()).map((l) => l.key);
      const nowReferenced = referencedKeys(await store.load());
      for (const key of await secrets.keys()) {
        expect(nowReferenced.has(key) || reported.includes(key), `kill ${kill}: ${key} unreported`).toBe(
          true,
        );
      }
      for (const key of unreferenced) {
        // Adopted exactly when it is a token value its account's last list shows.
        const entry = parseKey(key);
        const listed =
          entry?.kind === 'token' &&
          metadata.snapshots[entry.accountId]?.tokens.some((t) => t.name === entry.name) === true;
        expect(nowReferenced.has(key), `kill ${kill}: ${key}`).toBe(listed);
        counts.between++;
        if (listed) counts.adopted++;
        else counts.reported++;
      }
      if (reported.length) {
        await leftovers.forget(reported);
        expect((await secrets.keys()).filter((k) => reported.includes(k))).toEqual([]);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    // The numbers the README quotes.
    process.stdout.write(
      `kill mid-write: ${KILLS} kills in ${seconds} s; ${counts.between} between a keychain write and its ` +
        `record (${counts.adopted} adopted, ${counts.reported} reported), ${counts.tempFiles} temp files cleaned, ` +
        `${counts.uses} uses in the journal\n`,
    );
    // The interesting case must really happen, or this test proves little.
    expect(counts.between).toBeGreaterThanOrEqual(KILLS / 10);
    expect(counts.adopted).toBeGreaterThan(0);
    expect(counts.reported).toBeGreaterThan(0);
    expect((await new MetadataStore(dataDir).load()).accounts.length).toBeGreaterThan(0);
    expect(counts.uses).toBeGreaterThan(0);
  }, 180_000);
});

/** Temp files of atomic writes, in the data folder and the lists' folder. */
async function tempFiles(dataDir: string): Promise<string[]> {
  const names = await readdir(dataDir, { recursive: true });
  return names.filter((name) => name.includes('.tmp-'));
}

/** Starts the child, kills it at a random point once it is ready; answers the key it was writing. */
async function runAndKill(script: string, args: string[]): Promise<string | undefined> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = new Promise<void>((done, fail) => {
    const poll = setInterval(() => {
      if (out.startsWith('ready\n')) done();
      else if (child.exitCode !== null) fail(new Error(`the child ended before it was ready: ${err}`));
      else return;
      clearInterval(poll);
    }, 1);
  });
  await ready;
  await sleep(randomInt(0, 40));
  child.kill('SIGKILL');
  await exited;
  if (err) throw new Error(`the child failed: ${err}`);
  const pending = out.split('\n').filter((line) => line.startsWith('pending '));
  return pending.at(-1)?.slice('pending '.length);
}
