/**
 * A read-only store (the command line reading the app's files): it loads what the app would, and
 * changes nothing on disk, where the app's own load tidies up (abandoned temp files removed, an
 * unreadable file moved aside, lists no account names pruned).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FILE_NAME, MetadataStore } from '@core/storage/metadata-store';
import { type AccountRecord } from '@core/storage/schema';
import { SNAPSHOTS_DIR } from '@core/storage/snapshot-files';

const A = 'account-aaaa';
const B = 'account-bbbb';
const account = (id: string, baseUrl = 'https://sq.example.com'): AccountRecord => ({
  id,
  kind: 'server',
  label: `Server ${id}`,
  baseUrl,
  login: 'grace',
  userName: 'Grace',
  isAdmin: false,
  serverVersion: '10.7.0.96327',
  addedAt: 1,
});
const list = (accountId: string) =>
  `${JSON.stringify({ version: 1, accountId, refreshedAt: 5, tokens: [] })}\n`;
/** A temp file of a writer that is gone (no such pid). */
const deadTemp = (of: string) => `${of}.tmp-2147483646-0badc0de`;
const failingB = (a: AccountRecord) => (a.id === B ? 'changed by someone' : null);

/** Every file under `dir` and its content's digest: equal before and after means nothing changed. */
async function tree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const digests = await Promise.all(
    files.map(async (f) =>
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex'),
    ),
  );
  return Object.fromEntries(files.map((f, i) => [f.slice(dir.length), digests[i]!]));
}

describe('a read-only metadata store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-read-only-'));
    await mkdir(join(dir, SNAPSHOTS_DIR));
    await writeFile(
      join(dir, FILE_NAME),
      JSON.stringify({ version: 1, accounts: [account(A), account(B)], tokens: [] }),
    );
    await writeFile(join(dir, SNAPSHOTS_DIR, `${A}.json`), list(A));
    // What the app's load would remove: a killed writer's temps, a list no account names.
    await writeFile(join(dir, deadTemp(FILE_NAME)), '{}');
    await writeFile(join(dir, SNAPSHOTS_DIR, deadTemp(`${A}.json`)), '{}');
    await writeFile(join(dir, SNAPSHOTS_DIR, 'account-gone.json'), list('account-gone'));
  });

  it('loads as the app does (accounts checked, lists read) and leaves every file as it was', async () => {
    const before = await tree(dir);
    const store = new MetadataStore(dir, failingB, { readOnly: true });
    const data = await store.load();
    expect(data.accounts.map((a) => a.id)).toEqual([A]);
    expect(data.setAside).toEqual([{ account: account(B), reason: 'changed by someone' }]);
    expect(data.snapshots[A]).toEqual({ refreshedAt: 5, tokens: [] });
    expect(await tree(dir)).toEqual(before);

    // The app's own load, on the same folder, does tidy up: the set-up above is one it changes.
    await new MetadataStore(dir, failingB).load();
    expect(await tree(dir)).not.toEqual(before);
  });

  it('refuses every write, and writes nothing', async () => {
    const before = await tree(dir);
    const store = new MetadataStore(dir, undefined, { readOnly: true });
    await expect(store.update((m) => void (m.settings.revealMs = 20_000))).rejects.toThrow(/read-only/);
    await expect(store.putList(A, { refreshedAt: 9, tokens: [] })).rejects.toThrow(/read-only/);
    await expect(store.snapshots.save(A, { refreshedAt: 9, tokens: [] })).rejects.toThrow(/read-only/);
    await expect(store.snapshots.remove(A)).rejects.toThrow(/read-only/);
    expect(await tree(dir)).toEqual(before);
  });

  it('reports an unreadable vault.json where it is, without moving it aside', async () => {
    await writeFile(join(dir, FILE_NAME), '{ not json');
    const before = await tree(dir);
    const store = new MetadataStore(dir, undefined, { readOnly: true });
    expect((await store.load()).accounts).toEqual([]);
    expect(store.problem).toMatchObject({
      reason: expect.stringMatching(/not valid JSON/) as unknown,
      keptAs: store.path,
    });
    expect(await tree(dir)).toEqual(before);
  });

  it('reports an unreadable list where it is, without moving it aside', async () => {
    await writeFile(join(dir, SNAPSHOTS_DIR, `${A}.json`), '[1,');
    const before = await tree(dir);
    const store = new MetadataStore(dir, undefined, { readOnly: true });
    expect((await store.load()).snapshots[A]).toBeUndefined();
    expect(store.snapshots.problems).toEqual([
      {
        accountId: A,
        reason: expect.stringMatching(/not valid JSON/) as unknown,
        keptAs: store.snapshots.pathOf(A),
      },
    ]);
    expect(await tree(dir)).toEqual(before);
  });
});
