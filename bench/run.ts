/**
 * `npm run bench`: how fast the vault's hot paths are, on this machine. Prints a Markdown table
 * (copied into the README). Each case runs a warm-up, then reports the median and p95.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTINGS_DEFAULTS } from '@contract';
import { planNotices } from '@core/expiry/notices';
import { KeytarSecretStore } from '@core/storage/keytar-store';
import { trayModel } from '@core/tray-model';
import { MetadataStore } from '@core/storage/metadata-store';
import { coreFixture } from '../test/support/core-fixture';
import { startSonarQubeServer } from '../test/support/sonarqube-server';

async function measure(name: string, runs: number, once: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < Math.min(5, runs); i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  return `| ${name} | ${runs} | ${at(0.5)} | ${at(0.95)} |`;
}

const rows: string[] = [];
const DAY = 86_400_000;

// A Server account with 500 tokens: the list call end to end (HTTP, parse, merge, expiry).
const server = await startSonarQubeServer({ flavour: 'server', users: [{ login: 'grace', name: 'Grace' }] });
const credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
for (let i = 0; i < 500; i++) {
  server.addToken('grace', {
    name: `token-${i}`,
    createdAt: new Date(Date.now() - i * DAY),
    lastConnectionDate: new Date(Date.now() - (i % 30) * DAY),
    expirationDate: new Date(Math.floor(Date.now() / DAY) * DAY + ((i % 90) + 1) * DAY),
  });
}
const vault = await coreFixture();
const account = await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential });
rows.push(
  await measure('tokens.list, 500 tokens (HTTP + merge)', 50, () =>
    vault.call('tokens.list', { accountId: account.id }),
  ),
);
rows.push(
  await measure('dispatch refusing an invalid payload', 2000, () =>
    vault.core.dispatch('tokens.copy', { accountId: 'x', name: '' }),
  ),
);
let n = 0;
rows.push(
  await measure('tokens.generate (HTTP + keychain stand-in + metadata write)', 100, () =>
    vault.call('tokens.generate', {
      accountId: account.id,
      name: `bench-${n++}`,
      type: 'USER_TOKEN',
      expirationDate: null,
    }),
  ),
);
rows.push(
  await measure('tokens.copy (keychain stand-in + clipboard)', 500, () =>
    vault.call('tokens.copy', { accountId: account.id, name: 'bench-0' }),
  ),
);
await server.close();

// The metadata file with 50 accounts and 1,000 held tokens: one atomic, fsynced write.
const store = new MetadataStore(await mkdtemp(join(tmpdir(), 'vault-bench-')));
await store.update((m) => {
  for (let a = 0; a < 50; a++) {
    m.accounts.push({
      id: `account-${a}`,
      kind: 'server',
      label: `S${a}`,
      baseUrl: 'https://sq.example.com',
      login: 'u',
      userName: 'U',
      isAdmin: false,
      serverVersion: '10.7',
      addedAt: 0,
    });
    for (let t = 0; t < 20; t++) m.tokens.push({ accountId: `account-${a}`, name: `t${t}`, storedAt: 0 });
  }
});
rows.push(
  await measure('metadata update, 50 accounts / 1,000 tokens (atomic write)', 100, () =>
    store.update((m) => void (m.settings.revealMs = 10_000 + (n++ % 5))),
  ),
);

// One wake of the expiry watcher and one tray redraw, with 1,000 watched tokens.
const watched = Array.from({ length: 1000 }, (_, i) => ({
  accountId: `acc-${i % 10}`,
  accountLabel: `Account ${i % 10}`,
  name: `t${i}`,
  expiresAt: Date.now() + (i + 1) * 3_600_000,
}));
const noticePlan = planNotices(watched, {}, SETTINGS_DEFAULTS, Date.now());
rows.push(
  await measure('planNotices, 1,000 tokens (one watcher wake)', 200, () =>
    Promise.resolve(planNotices(watched, noticePlan.records, SETTINGS_DEFAULTS, Date.now())),
  ),
);
const trayData = await store.update((m) => {
  m.snapshots = Object.fromEntries(
    m.accounts.map((a, i) => [
      a.id,
      {
        refreshedAt: 0,
        tokens: watched.slice(i * 20, i * 20 + 20).map((w) => ({
          accountId: a.id,
          name: w.name,
          createdAt: null,
          lastUsedAt: null,
          expiresAt: w.expiresAt,
          expiryBasis: 'fixed' as const,
          serverSaysExpired: false,
          inVault: true,
          onServer: true,
          keepAlive: false,
        })),
      },
    ]),
  );
});
rows.push(
  await measure('trayModel, 50 accounts / 1,000 tokens (one tray redraw)', 200, () =>
    Promise.resolve(trayModel(trayData, Date.now())),
  ),
);

// The real keychain, when a Secret Service is running (npm run bench under with-keyring.sh).
if (process.env['VAULT_KEYRING_READY'] === '1') {
  const keychain = new KeytarSecretStore(`Token Vault bench ${randomBytes(4).toString('hex')}`);
  const value = `squ_${randomBytes(20).toString('hex')}`;
  rows.push(
    await measure('keychain set + get + delete (gnome-keyring)', 100, async () => {
      await keychain.set('bench', value);
      await keychain.get('bench');
      await keychain.delete('bench');
    }),
  );
}

const memory = process.memoryUsage();
console.log(`| case | runs | median ms | p95 ms |\n|---|---|---|---|\n${rows.join('\n')}`);
console.log(
  `\nHeap used after the run: ${(memory.heapUsed / 1_048_576).toFixed(1)} MiB, RSS ${(memory.rss / 1_048_576).toFixed(1)} MiB (Node ${process.version}).`,
);
