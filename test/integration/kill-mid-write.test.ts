/**
 * Kill mid-write: a child process doing what the vault does to its data folder (vault.json, the
 * accounts' token lists, the history journal) and the real keychain
 * (test/support/kill-mid-write-child.ts) is killed (SIGKILL) at random points, 200 times over the
 * same data folder, each child continuing from what the previous one left. After each kill:
 * vault.json and every list parse, no temp file is left behind, no list outlives its account,
 * every journal line but a torn last one parses, and every keychain entry is referenced by
 * vault.json or adopted or reported by the leftovers check (then the reported ones are forgotten).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Logger, type SecretStore } from '@core/ports';
import { KeytarSecretStore } from '@core/storage/keytar-store';
import { Leftovers, parseKey, referencedKeys } from '@core/storage/leftovers';
import { HISTORY_FILE, HistoryJournal, JournalLine } from '@core/history/journal';
import { MetadataStore } from '@core/storage/metadata-store';

const KILLS = 200;
const LANES = 2;
const hasSecretService = process.env['VAULT_KEYRING_READY'] === '1';
const requireKeyring = process.platform === 'linux' && process.env['CI'] === 'true';
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!hasSecretService && !requireKeyring)('a vault killed mid-write', () => {
  const run = randomBytes(4).toString('hex');
  let work: string;
  let child: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vault-kill-'));
    // Bundled once, then evaluated once into a V8 startup snapshot: 200 starts of plain Node stay
    // fast (no TypeScript loader, no module evaluation per start).
    const bundle = join(work, 'child.cjs');
    await build({
      entryPoints: ['test/support/kill-mid-write-child.ts'],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['keytar'],
      minify: true,
      logLevel: 'silent',
    });
    child = join(work, 'child.blob');
    const snapshot = spawnSync(process.execPath, ['--snapshot-blob', child, '--build-snapshot', bundle], {
      encoding: 'utf8',
    });
    if (snapshot.status !== 0) throw new Error(`the writer's snapshot failed: ${snapshot.stderr}`);
  });
  afterAll(async () => {
    for (let lane = 0; lane < LANES; lane++) {
      const secrets = new KeytarSecretStore(serviceOf(lane));
      for (const key of await secrets.keys()) await secrets.delete(key);
    }
    await rm(work, { recursive: true, force: true });
  });

  const serviceOf = (lane: number) => `Token Vault kill test ${run} ${lane}`;

  it(`vault.json always parses and no keychain entry is left unreported, over ${KILLS} kills`, async () => {
    const started = Date.now();
    const counts = { between: 0, adopted: 0, reported: 0, tempFiles: 0, uses: 0, accounts: 0 };
    // Lanes of their own (data folder, keychain service) take turns on the two cores: while one
    // lane's writer sleeps towards its kill or waits on the keychain, the other works.
    await Promise.all(
      Array.from({ length: LANES }, (_, lane) =>
        killLane(join(work, `data-${lane}`), serviceOf(lane), counts),
      ),
    );
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
    expect(counts.accounts).toBeGreaterThan(0);
    expect(counts.uses).toBeGreaterThan(0);
  }, 180_000);

  /** KILLS / LANES writers, one after another on one data folder, each killed, then checked. */
  async function killLane(
    dataDir: string,
    service: string,
    counts: Record<'between' | 'adopted' | 'reported' | 'tempFiles' | 'uses' | 'accounts', number>,
  ): Promise<void> {
    await mkdir(dataDir);
    const secrets = new KeytarSecretStore(service);
    const args = [dataDir, service, resolve('.')];
    let next = bootWriter(child, args);
    const kills = KILLS / LANES;
    for (let kill = 0; kill < kills; kill++) {
      const writer = await next;
      const pending = await runAndKill(writer);
      // The next writer starts up while this one's leavings are checked (it waits to be told go).
      if (kill + 1 < kills) next = bootWriter(child, args);

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

      const keys = await secrets.keys();
      const unreferenced = keys.filter((k) => !referencedKeys(metadata).has(k));
      // Only the write the kill interrupted can be unknown to vault.json.
      expect(unreferenced.filter((k) => k !== pending)).toEqual([]);
      // The check lists the keychain as it is now: the listing just made (nothing ran in between).
      const listed: SecretStore = {
        get: (key) => secrets.get(key),
        set: (key, value) => secrets.set(key, value),
        delete: (key) => secrets.delete(key),
        keys: () => Promise.resolve(keys),
      };
      const leftovers = new Leftovers({ store, secrets: listed, clock: systemClock, log: quiet });
      const reported = (await leftovers.check()).map((l) => l.key);
      // The check only records or reports: every entry there was is now one or the other.
      const nowReferenced = referencedKeys(await store.load());
      for (const key of keys) {
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
      if (kill + 1 === kills) {
        counts.uses += lines.length - 1;
        counts.accounts += (await new MetadataStore(dataDir).load()).accounts.length;
      }
    }
  }
});

/** Temp files of atomic writes, in the data folder and the lists' folder. */
async function tempFiles(dataDir: string): Promise<string[]> {
  const names = await readdir(dataDir, { recursive: true });
  return names.filter((name) => name.includes('.tmp-'));
}

interface Writer {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<void>;
}

/** Starts a writer and waits until it has booted; it touches the data folder only once told to go. */
async function bootWriter(snapshot: string, args: string[]): Promise<Writer> {
  const child = spawn(process.execPath, ['--snapshot-blob', snapshot, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const writer = { child, out: () => out, err: () => err, exited };
  await printed(writer, 'booted\n');
  return writer;
}

/** Until the writer's output starts with `text`; fails if it ends first. */
function printed(writer: Writer, text: string): Promise<void> {
  return new Promise<void>((done, fail) => {
    const poll = setInterval(() => {
      if (writer.out().startsWith(text)) done();
      else if (writer.child.exitCode !== null) fail(new Error(`the writer ended early: ${writer.err()}`));
      else return;
      clearInterval(poll);
    }, 1);
  });
}

/** Lets a booted writer go, kills it at a random point once it is ready; answers the key it was writing. */
async function runAndKill(writer: Writer): Promise<string | undefined> {
  writer.child.stdin!.end('go\n');
  await printed(writer, 'booted\nready\n');
  await sleep(randomInt(0, 40));
  writer.child.kill('SIGKILL');
  await writer.exited;
  if (writer.err()) throw new Error(`the writer failed: ${writer.err()}`);
  const pending = writer
    .out()
    .split('\n')
    .filter((line) => line.startsWith('pending '));
  return pending.at(-1)?.slice('pending '.length);
}
