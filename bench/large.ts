/**
 * `npm run bench` (third part): one account of 10,000 tokens, the size at which the core's data
 * path shows, measured, never asserted. These are the figures a refactor of that path must improve.
 *
 * - In Node: `tokens.list` of that account through the core against the same HTTP request alone
 *   (`GET /api/user_tokens/search`, fetched and parsed), and the same call through the preview
 *   bridge (HTTP on 127.0.0.1, as the renderer asks it), alternated in the same run. Twice: with
 *   that account alone in the vault, and with five such accounts (50,000 tokens) in it.
 * - On disk: vault.json's size with 10,000 and with 50,000 tokens, as a running app keeps it (every
 *   list fetched, the expiry watcher's records written).
 *
 * The vaults are started as the app starts them (`core.start()`: every list, then the rotation and
 * own-credential schedulers and the expiry watcher), so each list wakes what it wakes in the app
 * (the watcher's evaluation of every token runs on the same thread, within the times measured);
 * one evaluation is also timed on its own. Prints a Markdown table for the README.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '@core/create-core';
import { createFileLogger } from '@core/file-logger';
import { systemClock } from '@core/ports';
import { FILE_NAME } from '@core/storage/metadata-store';
import { MemorySecretStore } from '@core/storage/memory-store';
import { SNAPSHOTS_DIR } from '@core/storage/snapshot-files';
import { startBridge } from '../test/support/bridge';
import { MemoryClipboard } from '../test/support/memory-clipboard';
import type { Seeded } from './scale-server';

const ACCOUNTS = 5;
const TOKENS = 10_000;
const WARM_UPS = 2;
const RUNS = 20;

const benchStarted = performance.now();
const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const quantile = (values: readonly number[], q: number) => {
  const s = sorted(values);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

// ------------------------------------------------------------------------------- the server

// The server runs in a process of its own, as a real one does (see scale-server.ts).
const serverProcess = fork(
  fileURLToPath(new URL('scale-server.ts', import.meta.url)),
  [String(ACCOUNTS), String(TOKENS)],
  { execArgv: ['--import', 'tsx'] },
);
const server = await new Promise<Seeded>((settle, fail) => {
  serverProcess.once('message', (seeded) => settle(seeded as Seeded));
  serverProcess.once('exit', (code) => fail(new Error(`the bench's server exited (${code})`)));
});
const seedSeconds = (performance.now() - benchStarted) / 1000;
const { credentials } = server;

// ------------------------------------------------------------------------------- the vaults

interface Vault {
  core: Core;
  dataDir: string;
  /** The account every measurement lists: user-0's. */
  listed: string;
}

/** A vault of the first `accounts` users, started as the app starts it (every list fetched). */
async function startVault(accounts: number): Promise<Vault> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vault-large-'));
  const core = createCore({
    dataDir,
    secrets: new MemorySecretStore(),
    clipboard: new MemoryClipboard(),
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    log: createFileLogger(join(dataDir, 'logs')),
  });
  const ids: string[] = [];
  for (const [a, credential] of credentials.slice(0, accounts).entries()) {
    const added = await core.dispatch('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential,
      label: `Account ${a}`,
      ownCredential: false,
    });
    if (!added.ok) throw new Error(`adding account ${a}: ${added.error.message}`);
    ids.push((added.value as { id: string }).id);
  }
  // Every list fetched and kept, then the schedulers and the expiry watcher's first evaluation.
  await core.start();
  for (const accountId of ids) await listInCore(core, accountId);
  await settled(core);
  return { core, dataDir, listed: ids[0]! };
}

/** Whatever a list woke (the expiry watcher's plan, the schedulers') is over. */
async function settled(core: Core): Promise<void> {
  await Promise.all([core.watcher.settled(), core.rotations.settled(), core.ownCredentials.settled()]);
}

async function listInCore(core: Core, accountId: string): Promise<void> {
  const answer = await core.dispatch('tokens.list', { accountId });
  if (!answer.ok) throw new Error(answer.error.message);
  if ((answer.value as { tokens: unknown[] }).tokens.length !== TOKENS) throw new Error('a short list');
}

async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

async function dirSize(dir: string): Promise<number> {
  const names = await readdir(dir);
  const sizes = await Promise.all(names.map((name) => fileSize(join(dir, name))));
  return sizes.reduce((a, b) => a + b, 0);
}

// ------------------------------------------------------------------------------- the measures

/** The same list request the core makes, alone: fetched and parsed. */
async function httpAlone(): Promise<void> {
  const answer = await fetch(`${server.url}/api/user_tokens/search`, {
    headers: { Authorization: `Bearer ${credentials[0]}` },
  });
  const { userTokens } = (await answer.json()) as { userTokens: unknown[] };
  if (userTokens.length !== TOKENS) throw new Error('a short list');
}

/** The bridge's call as its client in the page makes it (bridge-client.js): URL, headers, body. */
function bridgeCaller(url: string, origin: string) {
  const key = new URL(url).searchParams.get('k') ?? '';
  return async (accountId: string): Promise<void> => {
    const response = await fetch(`${origin}/__bridge/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Vault-Key': key, Origin: origin },
      body: JSON.stringify({ call: 'tokens.list', payload: { accountId } }),
    });
    if (!response.ok) throw new Error(`the bridge refused the call (${response.status})`);
    const envelope = (await response.json()) as { ok: boolean; value?: { tokens: unknown[] } };
    if (!envelope.ok || envelope.value?.tokens.length !== TOKENS) throw new Error('no list over the bridge');
  };
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

interface Series {
  http: number[];
  core: number[];
  bridge: number[];
  /** One evaluation of the expiry watcher (each list wakes one), timed apart from the lists. */
  watcher: number[];
  /** This process's CPU time per list in the core (ms). */
  coreCpu: number[];
  vaultJson: number;
  lists: number;
}

async function measure(accounts: number): Promise<Series> {
  const vault = await startVault(accounts);
  const { core, listed } = vault;
  const bridge = await startBridge(core, resolve('out/renderer'));
  const viaBridge = bridgeCaller(bridge.url, bridge.origin);
  const series: Series = { http: [], core: [], bridge: [], watcher: [], coreCpu: [], vaultJson: 0, lists: 0 };
  for (let run = 0; run < WARM_UPS + RUNS; run++) {
    // Alternated, so all three see the same machine state; each is compared with the HTTP alone
    // just before it. The first two runs are warm-up.
    const http = await timed(httpAlone);
    const cpuBefore = process.cpuUsage();
    const inCore = await timed(() => listInCore(core, listed));
    const { user, system } = process.cpuUsage(cpuBefore);
    await settled(core);
    const overBridge = await timed(() => viaBridge(listed));
    await settled(core);
    const watcher = await timed(() => core.watcher.replan('bench'));
    if (run >= WARM_UPS) {
      series.http.push(http);
      series.core.push(inCore);
      series.bridge.push(overBridge);
      series.watcher.push(watcher);
      series.coreCpu.push((user + system) / 1000);
    }
  }
  await bridge.close();
  await settled(core);
  core.stop();
  series.vaultJson = await fileSize(join(vault.dataDir, FILE_NAME));
  series.lists = await dirSize(join(vault.dataDir, SNAPSHOTS_DIR));
  return series;
}

const alone = await measure(1);
const amongFive = await measure(ACCOUNTS);
serverProcess.disconnect();

// ------------------------------------------------------------------------------- the table

const ratioRow = (what: string, target: string, times: number[], http: number[]) => {
  const ratios = times.map((t, i) => t / http[i]!);
  return `| ${what} | ${target} | ${quantile(ratios, 0.5).toFixed(2)}x (${ms(quantile(times, 0.5))} ms vs ${ms(quantile(http, 0.5))} ms) | ${quantile(ratios, 0.95).toFixed(2)}x |`;
};
const date = new Date().toISOString().slice(0, 10);
console.log(
  `\n1 and ${ACCOUNTS} accounts x ${TOKENS} tokens, ${date}, ${hostname()} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node})\n`,
);
console.log('| case | target | median | p95 |');
console.log('| --- | --- | --- | --- |');
console.log(
  ratioRow(
    'tokens.list, 10,000 tokens, in the core, ratio to the same HTTP alone (vault of 10,000)',
    '<= 1.5x',
    alone.core,
    alone.http,
  ),
);
console.log(
  ratioRow(
    'tokens.list, 10,000 tokens, in the core, ratio to the same HTTP alone (vault of 50,000)',
    '<= 1.5x',
    amongFive.core,
    amongFive.http,
  ),
);
console.log(
  ratioRow(
    'tokens.list, 10,000 tokens, through the bridge, ratio to the same HTTP alone (vault of 10,000)',
    '<= 2x',
    alone.bridge,
    alone.http,
  ),
);
console.log(
  ratioRow(
    'tokens.list, 10,000 tokens, through the bridge, ratio to the same HTTP alone (vault of 50,000)',
    '<= 2x',
    amongFive.bridge,
    amongFive.http,
  ),
);
console.log(`| vault.json, 50,000 tokens (5 accounts) | < 200 KB | ${kb(amongFive.vaultJson)} | - |`);
console.log(`| vault.json, 10,000 tokens (1 account) | - | ${kb(alone.vaultJson)} | - |`);
console.log(
  `\nCPU of the vault's process per list in the core: ${ms(quantile(alone.coreCpu, 0.5))} ms (vault of 10,000), ${ms(quantile(amongFive.coreCpu, 0.5))} ms (vault of 50,000) (medians).`,
);
console.log(
  `One evaluation of the expiry watcher (each list wakes one, on the same thread): ${ms(quantile(alone.watcher, 0.5))} ms (vault of 10,000), ${ms(quantile(amongFive.watcher, 0.5))} ms (vault of 50,000) (medians).`,
);
console.log(
  `The lists' own files (snapshots/): ${kb(alone.lists)} (10,000 tokens), ${kb(amongFive.lists)} (50,000 tokens).`,
);
console.log(
  `${RUNS} runs after ${WARM_UPS} warm-ups per vault; server seeded in ${seedSeconds.toFixed(1)} s; whole bench ${((performance.now() - benchStarted) / 1000).toFixed(1)} s.`,
);
