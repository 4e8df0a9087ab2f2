/**
 * The accounts' last token lists, each in its own file beside vault.json: written only when they
 * changed, one small file per refresh, vault.json untouched; moved out of a vault.json from
 * before; removed with their account; an unreadable one set aside and reported, never in the way.
 * "Written" is seen by the inode: an atomic write replaces the file, so a new write is a new inode.
 */
import { mkdtemp, readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TokenView } from '@contract';
import { FILE_NAME, MetadataStore } from '@core/storage/metadata-store';
import { type AccountRecord, type Metadata } from '@core/storage/schema';
import { REFRESHED_AT_WRITTEN_EVERY_MS, SNAPSHOTS_DIR } from '@core/storage/snapshot-files';

const account = (id: string): AccountRecord => ({
  id,
  kind: 'server',
  label: `Server ${id}`,
  baseUrl: 'https://sq.example.com',
  login: 'grace',
  userName: 'Grace',
  isAdmin: false,
  serverVersion: '10.7.0.96327',
  addedAt: 1,
});

const view = (accountId: string, name: string, expiresAt = 2_000_000_000_000): TokenView => ({
  accountId,
  name,
  type: 'USER_TOKEN',
  createdAt: 1_700_000_000_000,
  lastUsedAt: null,
  expiresAt,
  expiryBasis: 'fixed',
  serverSaysExpired: false,
  inVault: false,
  onServer: true,
  keepAlive: false,
});

const tokens = (accountId: string, count: number) =>
  Array.from({ length: count }, (_, i) => view(accountId, `token-${i}`));

const A = 'account-aaaa';
const B = 'account-bbbb';

describe('the token lists, one file per account', () => {
  let dir: string;
  let store: MetadataStore;
  const inode = async (path: string) => (await stat(path)).ino;
  const listFile = (id: string) => store.snapshots.pathOf(id);
  const vaultFile = () => join(dir, FILE_NAME);
  const refresh = (id: string, list: TokenView[], at: number) =>
    store.update((m) => void (m.snapshots[id] = { refreshedAt: at, tokens: list }));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-lists-'));
    store = new MetadataStore(dir);
    await store.update((m) => void m.accounts.push(account(A), account(B)));
  });

  it("one account's refresh writes one small file, vault.json untouched", async () => {
    await refresh(B, tokens(B, 10), 1_000);
    const [vaultBefore, bBefore] = [await inode(vaultFile()), await inode(listFile(B))];
    await refresh(A, tokens(A, 5_000), 2_000);
    expect(await inode(vaultFile())).toBe(vaultBefore);
    expect(await inode(listFile(B))).toBe(bBefore);
    expect(await readdir(join(dir, SNAPSHOTS_DIR))).toHaveLength(2);
    // vault.json stays small whatever the lists weigh.
    expect((await stat(vaultFile())).size).toBeLessThan(2_000);
    expect(await readFile(vaultFile(), 'utf8')).not.toContain('token-1');
    expect((await new MetadataStore(dir).load()).snapshots[A]).toEqual({
      refreshedAt: 2_000,
      tokens: tokens(A, 5_000),
    });
  });

  it('the same list again writes nothing; its refresh time alone, at most once an hour', async () => {
    await refresh(A, tokens(A, 100), 1_000);
    const written = await inode(listFile(A));
    await refresh(A, tokens(A, 100), 2_000);
    await refresh(A, tokens(A, 100), 1_000 + REFRESHED_AT_WRITTEN_EVERY_MS - 1);
    expect(await inode(listFile(A))).toBe(written);
    // In memory the time is exact; on disk, as of the last write: older, never newer.
    expect((await store.load()).snapshots[A]?.refreshedAt).toBe(1_000 + REFRESHED_AT_WRITTEN_EVERY_MS - 1);
    expect((await new MetadataStore(dir).load()).snapshots[A]?.refreshedAt).toBe(1_000);

    await refresh(A, tokens(A, 100), 1_000 + REFRESHED_AT_WRITTEN_EVERY_MS);
    expect(await inode(listFile(A))).not.toBe(written);
    expect((await new MetadataStore(dir).load()).snapshots[A]?.refreshedAt).toBe(
      1_000 + REFRESHED_AT_WRITTEN_EVERY_MS,
    );
  });

  it('a list that changed is written, however small the change', async () => {
    await refresh(A, tokens(A, 100), 1_000);
    const written = await inode(listFile(A));
    const changed = tokens(A, 100);
    changed[57] = { ...changed[57]!, lastUsedAt: 1_800_000_000_000 };
    await refresh(A, changed, 2_000);
    expect(await inode(listFile(A))).not.toBe(written);
    expect((await new MetadataStore(dir).load()).snapshots[A]?.tokens[57]?.lastUsedAt).toBe(
      1_800_000_000_000,
    );
  });

  it('vault.json is rewritten only when what it holds changed', async () => {
    const written = await inode(vaultFile());
    await store.update(() => undefined);
    await store.update((m) => void Object.assign(m.settings, { revealMs: m.settings.revealMs }));
    expect(await inode(vaultFile())).toBe(written);
    await store.update((m) => void (m.settings.revealMs = 20_000));
    expect(await inode(vaultFile())).not.toBe(written);
  });

  it('a restarted store knows what is on disk: the same list writes nothing', async () => {
    await refresh(A, tokens(A, 100), 1_000);
    const [list, vault] = [await inode(listFile(A)), await inode(vaultFile())];
    store = new MetadataStore(dir);
    await refresh(A, tokens(A, 100), 2_000);
    expect([await inode(listFile(A)), await inode(vaultFile())]).toEqual([list, vault]);
  });

  it('lists are replaced, never changed in place (the types refuse it; a list grown in place throws)', async () => {
    await refresh(A, tokens(A, 3), 1_000);
    await expect(
      // A kept list is readonly to the types, and frozen.
      store.update((m) => void (m.snapshots[A]!.tokens as TokenView[]).push(view(A, 'sneaky'))),
    ).rejects.toThrow();
    // Its tokens are readonly to the types (not frozen: freezing 10,000 tokens slows each refresh).
    // @ts-expect-error -- inVault is a readonly property here
    const _inPlace = (m: Metadata) => (m.snapshots[A]!.tokens[0]!.inVault = true);
    expect((await store.load()).snapshots[A]?.tokens).toEqual(tokens(A, 3));
  });

  it('a list that does not validate is refused before anything is written', async () => {
    await refresh(A, tokens(A, 3), 1_000);
    const [list, vault] = [await inode(listFile(A)), await inode(vaultFile())];
    const bad = [{ ...view(A, 'x'), expiresAt: 'soon' }] as unknown as TokenView[];
    await expect(
      store.update((m) => {
        m.settings.revealMs = 20_000;
        m.snapshots[A] = { refreshedAt: 2_000, tokens: bad };
      }),
    ).rejects.toThrow();
    expect([await inode(listFile(A)), await inode(vaultFile())]).toEqual([list, vault]);
    expect((await store.load()).settings.revealMs).not.toBe(20_000);
  });

  it('removing an account removes its list', async () => {
    await refresh(A, tokens(A, 3), 1_000);
    await refresh(B, tokens(B, 3), 1_000);
    await store.update((m) => {
      m.accounts = m.accounts.filter((a) => a.id !== A);
      delete m.snapshots[A];
    });
    expect(await readdir(join(dir, SNAPSHOTS_DIR))).toEqual([`${B}.json`]);
  });

  it("a list no account names (a kill between vault.json and the list's removal) goes at load", async () => {
    await refresh(A, tokens(A, 3), 1_000);
    const stranded = listFile('account-gone');
    await writeFile(stranded, await readFile(listFile(A)));
    await new MetadataStore(dir).load();
    expect(await readdir(join(dir, SNAPSHOTS_DIR))).toEqual([`${A}.json`]);
  });

  it('an id the vault would not make is hashed into a name inside the lists folder', () => {
    for (const id of ['../../evil', 'C:\\x', 'a/b', '..']) {
      const path = store.snapshots.pathOf(id);
      expect(path.startsWith(join(dir, SNAPSHOTS_DIR))).toBe(true);
      expect(path.slice(join(dir, SNAPSHOTS_DIR).length + 1)).toMatch(/^_[0-9a-f]{64}\.json$/);
    }
  });
});

describe('a vault.json from before, with the lists inside', () => {
  let dir: string;
  const legacy = (lists: Metadata['snapshots']) =>
    JSON.stringify({ version: 1, accounts: [account(A), account(B)], tokens: [], snapshots: lists });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-legacy-'));
  });

  it('loads, and its lists move out with the next write', async () => {
    await writeFile(
      join(dir, FILE_NAME),
      legacy({
        [A]: { refreshedAt: 5, tokens: tokens(A, 20) },
        [B]: { refreshedAt: 6, tokens: tokens(B, 2) },
      }),
    );
    const store = new MetadataStore(dir);
    expect((await store.load()).snapshots[A]?.tokens).toHaveLength(20);
    await store.update((m) => void (m.settings.revealMs = 12_000));
    const onDisk = JSON.parse(await readFile(join(dir, FILE_NAME), 'utf8')) as Record<string, unknown>;
    expect(onDisk).not.toHaveProperty('snapshots');
    expect((await readdir(join(dir, SNAPSHOTS_DIR))).sort()).toEqual([`${A}.json`, `${B}.json`]);
    const reread = await new MetadataStore(dir).load();
    expect(reread.snapshots[A]).toEqual({ refreshedAt: 5, tokens: tokens(A, 20) });
    expect(reread.snapshots[B]).toEqual({ refreshedAt: 6, tokens: tokens(B, 2) });
  });

  it('a move a kill interrupted (the lists in both places): the later list of each wins', async () => {
    await writeFile(
      join(dir, FILE_NAME),
      legacy({
        [A]: { refreshedAt: 9, tokens: tokens(A, 9) },
        [B]: { refreshedAt: 1, tokens: tokens(B, 1) },
      }),
    );
    await mkdir(join(dir, SNAPSHOTS_DIR));
    const file = (id: string, refreshedAt: number, list: TokenView[]) =>
      writeFile(
        new MetadataStore(dir).snapshots.pathOf(id),
        JSON.stringify({ version: 1, accountId: id, refreshedAt, tokens: list }),
      );
    await file(A, 3, tokens(A, 3));
    await file(B, 4, tokens(B, 4));
    const lists = (await new MetadataStore(dir).load()).snapshots;
    expect(lists[A]?.tokens).toHaveLength(9);
    expect(lists[B]?.tokens).toHaveLength(4);
  });
});

describe('an unreadable list', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-bad-list-'));
    const store = new MetadataStore(dir);
    await store.update((m) => {
      m.accounts.push(account(A), account(B));
      m.snapshots[A] = { refreshedAt: 1, tokens: tokens(A, 2) };
      m.snapshots[B] = { refreshedAt: 1, tokens: tokens(B, 2) };
    });
  });

  it.each([
    ['torn JSON', '{"version":1,"accountId":"account-aaaa","refreshedAt":1,"tok', /not valid JSON/],
    [
      'the wrong shape',
      '{"version":1,"accountId":"account-aaaa","refreshedAt":"x","tokens":[]}',
      /refreshedAt/,
    ],
    [
      "another account's list",
      JSON.stringify({ version: 1, accountId: B, refreshedAt: 1, tokens: [] }),
      /names another account/,
    ],
  ])('%s: set aside, reported, the rest loads and the vault starts', async (_what, text, reason) => {
    const path = new MetadataStore(dir).snapshots.pathOf(A);
    await writeFile(path, text);
    const store = new MetadataStore(dir);
    const data = await store.load();
    expect(store.problem).toBeNull();
    expect(data.accounts.map((a) => a.id)).toEqual([A, B]);
    expect(data.snapshots[A]).toBeUndefined();
    expect(data.snapshots[B]?.tokens).toHaveLength(2);
    expect(store.snapshots.problems).toEqual([
      { accountId: A, reason: expect.stringMatching(reason) as string, keptAs: expect.any(String) as string },
    ]);
    const keptAs = store.snapshots.problems[0]!.keptAs;
    expect(keptAs).toMatch(/\.unreadable-/);
    expect(await readFile(keptAs, 'utf8')).toBe(text);
    // The next refresh writes a fresh list; the one set aside stays as it was.
    await store.update((m) => void (m.snapshots[A] = { refreshedAt: 2, tokens: tokens(A, 1) }));
    expect((await new MetadataStore(dir).load()).snapshots[A]?.tokens).toHaveLength(1);
    expect(await readFile(keptAs, 'utf8')).toBe(text);
  });

  it('an unreadable vault.json leaves the lists where they are, for whoever restores it', async () => {
    await writeFile(join(dir, FILE_NAME), '{"version":1,');
    const store = new MetadataStore(dir);
    await store.load();
    expect(store.problem).not.toBeNull();
    expect((await readdir(join(dir, SNAPSHOTS_DIR))).sort()).toEqual([`${A}.json`, `${B}.json`]);
  });
});
