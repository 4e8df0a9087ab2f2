/**
 * The child of test/integration/kill-mid-write.test.ts: does what the vault does to its data
 * folder and keychain, in a loop, until it is killed. Writes go keychain first, then vault.json
 * (adding accounts, importing and generating tokens), deletes the other way round (forgetting a
 * value, removing an account); large token lists (each account's own file, rewritten only when
 * it changed) and settings are metadata-only updates; copies append to the history journal,
 * which is compacted now and then. A random pause between a keychain write and its record lets
 * kills land there often.
 *
 * Usage: node <bundle> <data folder> <keychain service> <folder to load keytar from>, or
 * node --snapshot-blob <blob built from the bundle> <the same arguments>
 * It prints `booted` once it could start, waits for a line on stdin, then prints `ready` once the
 * vault is loaded, and `pending <key>` before each keychain write (to a pipe, synchronously: a line
 * printed is a line the parent reads, even after SIGKILL).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startupSnapshot } from 'node:v8';
import type { TokenView } from '@contract';
import { KeytarSecretStore, type Keytar } from '@core/storage/keytar-store';
import { HistoryJournal } from '@core/history/journal';
import { secretKeys } from '@core/storage/keys';
import { MetadataStore } from '@core/storage/metadata-store';
import { type Metadata } from '@core/storage/schema';

let store: MetadataStore;
let history: HistoryJournal;
let secrets: KeytarSecretStore;

const MAX_ACCOUNTS = 4;
const MAX_HELD = 12;

/** A keychain write, a pause, then its record: as storeGenerated, importToken and addAccount do. */
async function keepThenRecord(key: string, record: (draft: Metadata) => void): Promise<void> {
  process.stdout.write(`pending ${key}\n`);
  await secrets.set(key, `squ_${randomBytes(20).toString('hex')}`);
  await sleep(randomInt(0, 12));
  await store.update(record);
}

async function addAccount(): Promise<void> {
  const id = randomUUID();
  await keepThenRecord(secretKeys.credential(id), (m) => {
    m.accounts.push({
      id,
      kind: 'server',
      label: `Server ${id.slice(0, 4)}`,
      baseUrl: `https://sq-${id.slice(0, 8)}.example.com`,
      login: 'grace',
      userName: 'Grace',
      isAdmin: false,
      serverVersion: '10.7.0',
      addedAt: Date.now(),
    });
  });
}

/** The server's list as a refresh keeps it: many tokens, the held ones among them. */
async function refresh(accountId: string, extra: string[] = []): Promise<void> {
  // Often the same list again, as servers mostly answer: nothing is written then.
  if (!extra.length && randomInt(0, 3) === 0) return refreshUnchanged(accountId);
  await store.update((m) => {
    const held = m.tokens.filter((t) => t.accountId === accountId).map((t) => t.name);
    const names = [...held, ...extra, ...Array.from({ length: randomInt(20, 60) }, (_, i) => `filler-${i}`)];
    m.snapshots[accountId] = {
      refreshedAt: Date.now(),
      tokens: names.map((name) => view(accountId, name, held.includes(name))),
    };
  });
}

async function refreshUnchanged(accountId: string): Promise<void> {
  await store.update((m) => {
    const kept = m.snapshots[accountId];
    if (kept) m.snapshots[accountId] = { refreshedAt: Date.now(), tokens: [...kept.tokens] };
  });
}

/** A copy from the window: one line appended to the journal; now and then, a compaction. */
async function copy(metadata: Metadata): Promise<void> {
  const token = metadata.tokens[randomInt(0, Math.max(1, metadata.tokens.length))];
  if (token) {
    await history.record({
      accountId: token.accountId,
      name: token.name,
      at: Date.now(),
      action: 'copy',
      via: 'window',
    });
  }
  if (randomInt(0, 10) === 0) {
    const held = new Set(metadata.tokens.map((t) => `${t.accountId}/${t.name}`));
    await history.compact((ref) => held.has(`${ref.accountId}/${ref.name}`), 2_048);
  }
}

/** A token the server lists (the last list shows it), whose value is pasted: as importToken. */
async function importToken(accountId: string): Promise<void> {
  const name = `imported-${randomBytes(3).toString('hex')}`;
  await refresh(accountId, [name]);
  await keepThenRecord(secretKeys.token(accountId, name), (m) => void m.tokens.push(held(accountId, name)));
}

/** A new token: kept, recorded, and only then listed (the refresh after a generate). */
async function generateToken(accountId: string): Promise<void> {
  const name = `generated-${randomBytes(3).toString('hex')}`;
  await keepThenRecord(secretKeys.token(accountId, name), (m) => void m.tokens.push(held(accountId, name)));
  await refresh(accountId);
}

/** As forgetToken: the keychain entry goes first, then its record. */
async function forgetToken(accountId: string, name: string): Promise<void> {
  await secrets.delete(secretKeys.token(accountId, name));
  await store.update((m) => {
    m.tokens = m.tokens.filter((t) => !(t.accountId === accountId && t.name === name));
  });
}

/** As removeAccount: every value, the credential, then the records. */
async function removeAccount(metadata: Metadata, accountId: string): Promise<void> {
  for (const t of metadata.tokens.filter((t) => t.accountId === accountId)) {
    await secrets.delete(secretKeys.token(accountId, t.name));
  }
  await secrets.delete(secretKeys.credential(accountId));
  await store.update((m) => {
    m.accounts = m.accounts.filter((a) => a.id !== accountId);
    m.tokens = m.tokens.filter((t) => t.accountId !== accountId);
    delete m.snapshots[accountId];
  });
}

async function step(): Promise<void> {
  const metadata = await store.load();
  if (randomInt(0, 4) === 0) return copy(metadata);
  const account = metadata.accounts[randomInt(0, Math.max(1, metadata.accounts.length))];
  if (!account || (metadata.accounts.length < MAX_ACCOUNTS && randomInt(0, 6) === 0)) return addAccount();
  const heldHere = metadata.tokens.filter((t) => t.accountId === account.id);
  const roll = randomInt(0, 10);
  if (roll === 0 && metadata.accounts.length >= MAX_ACCOUNTS) return removeAccount(metadata, account.id);
  if (heldHere.length >= MAX_HELD) return forgetToken(account.id, heldHere[0]!.name);
  if (roll < 4) return importToken(account.id);
  if (roll < 7) return generateToken(account.id);
  if (roll < 9) return refresh(account.id);
  await store.update((m) => void (m.settings.revealMs = randomInt(1_000, 60_000)));
}

function held(accountId: string, name: string) {
  return { accountId, name, type: 'USER_TOKEN' as const, storedAt: Date.now() };
}

function view(accountId: string, name: string, inVault: boolean): TokenView {
  return {
    accountId,
    name,
    type: 'USER_TOKEN',
    createdAt: Date.now() - 86_400_000,
    lastUsedAt: null,
    expiresAt: Date.now() + 30 * 86_400_000,
    expiryBasis: 'fixed',
    serverSaysExpired: false,
    inVault,
    onServer: true,
    keepAlive: false,
  };
}

async function main([dataDir, service, keytarFrom]: readonly string[]): Promise<void> {
  if (!dataDir || !service || !keytarFrom) throw new Error('usage: <data folder> <service> <keytar folder>');
  store = new MetadataStore(dataDir);
  history = new HistoryJournal(dataDir);
  const keytar = createRequire(join(keytarFrom, 'package.json'))('keytar') as Keytar;
  secrets = new KeytarSecretStore(service, { load: () => keytar });
  // Booted (its code and keytar loaded) before the parent says go: the parent starts the next
  // writer while it checks what the last one left. Until then it touches neither the data folder
  // nor the keychain (a keychain listing while another process writes an item can catch it half made).
  process.stdout.write('booted\n');
  await new Promise((go) => process.stdin.once('data', go));
  await store.load();
  await secrets.get('-'); // the Secret Service reached before the parent's clock starts
  process.stdout.write('ready\n');
  for (;;) await step();
}

// Run from a V8 startup snapshot the test builds (this code and its modules already evaluated, so
// each of 200 writers starts sooner: `node --snapshot-blob <blob> <args>`), or as a plain script.
if (startupSnapshot.isBuildingSnapshot()) {
  startupSnapshot.setDeserializeMainFunction(() => void main(process.argv.slice(1)));
} else {
  void main(process.argv.slice(2));
}
