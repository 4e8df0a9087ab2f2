import { mkdtemp, readdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FILE_NAME, MetadataStore } from '@core/storage/metadata-store';
import { type AccountRecord } from '@core/storage/schema';

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

describe('metadata store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-meta-'));
  });

  it('starts empty when there is no file, with the default settings', async () => {
    const data = await new MetadataStore(dir).load();
    expect(data.accounts).toEqual([]);
    expect(data.settings).toMatchObject({
      clipboardClearMs: 30_000,
      revealMs: 10_000,
      closeToTray: true,
      launchAtLogin: false,
    });
  });

  it('persists updates that a new store instance reads back, readable by the owner only', async () => {
    await new MetadataStore(dir).update((m) => void m.accounts.push(account('a1')));
    const reread = await new MetadataStore(dir).load();
    expect(reread.accounts.map((a) => a.id)).toEqual(['a1']);
    // (Windows keeps a user's files to that user by the profile folder's ACL, not by a mode.)
    if (process.platform !== 'win32') expect((await stat(join(dir, FILE_NAME))).mode & 0o777).toBe(0o600);
  });

  it('serializes concurrent updates: none is lost, no temp file is left behind', async () => {
    const store = new MetadataStore(dir);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.update((m) => void m.accounts.push(account(`a${i}`)))),
    );
    const reread = await new MetadataStore(dir).load();
    expect(reread.accounts).toHaveLength(20);
    expect(await readdir(dir)).toEqual([FILE_NAME]);
  });

  it('refuses an update that would write invalid data, and keeps the previous file intact', async () => {
    const store = new MetadataStore(dir);
    await store.update((m) => void m.accounts.push(account('a1')));
    const before = await readFile(join(dir, FILE_NAME), 'utf8');
    await expect(store.update((m) => void (m.settings.clipboardClearMs = -5))).rejects.toThrow();
    expect(await readFile(join(dir, FILE_NAME), 'utf8')).toBe(before);
    // The store still works after the refused update.
    await store.update((m) => void m.accounts.push(account('a2')));
    expect((await new MetadataStore(dir).load()).accounts).toHaveLength(2);
  });

  it('a write that fails (read-only folder) leaves the old file and no temp file', async () => {
    if (process.getuid?.() === 0 || process.platform === 'win32') {
      // root ignores permissions, Windows has no POSIX modes: fail the rename instead by making
      // the target a directory.
      const store = new MetadataStore(join(dir, 'nested'));
      await store.update((m) => void m.accounts.push(account('a1')));
      const { mkdir, rm } = await import('node:fs/promises');
      await rm(join(dir, 'nested', FILE_NAME));
      await mkdir(join(dir, 'nested', FILE_NAME));
      await expect(store.update((m) => void m.accounts.push(account('a2')))).rejects.toThrow();
      expect((await readdir(join(dir, 'nested'))).filter((f) => f.includes('.tmp-'))).toEqual([]);
      return;
    }
    const store = new MetadataStore(dir);
    await store.update((m) => void m.accounts.push(account('a1')));
    await chmod(dir, 0o500);
    await expect(store.update((m) => void m.accounts.push(account('a2')))).rejects.toThrow();
    await chmod(dir, 0o700);
    expect((await new MetadataStore(dir).load()).accounts).toHaveLength(1);
  });

  it('keeps a corrupted file aside, reports it, and never overwrites it', async () => {
    await writeFile(join(dir, FILE_NAME), '{"version":1,"accounts":[{"id":');
    const store = new MetadataStore(dir);
    const data = await store.load();
    expect(data.accounts).toEqual([]);
    expect(store.problem?.reason).toMatch(/not valid JSON/);
    const keptAs = store.problem!.keptAs;
    expect(await readFile(keptAs, 'utf8')).toBe('{"version":1,"accounts":[{"id":');
    await store.update((m) => void m.accounts.push(account('fresh')));
    expect(await readFile(keptAs, 'utf8')).toBe('{"version":1,"accounts":[{"id":');
  });

  it('treats valid JSON of the wrong shape as unreadable too, saying where', async () => {
    await writeFile(join(dir, FILE_NAME), JSON.stringify({ version: 1, accounts: [{ id: 3 }], tokens: [] }));
    const store = new MetadataStore(dir);
    await store.load();
    expect(store.problem?.reason).toMatch(/accounts\.0/);
    expect((await readdir(dir)).some((f) => f.startsWith(`${FILE_NAME}.unreadable-`))).toBe(true);
  });

  it("removes the temp files of writes whose process is gone, not a live process's", async () => {
    // PIDs are below 2^22 on Linux, and never this high elsewhere: that process does not exist.
    const gone = `${FILE_NAME}.tmp-2147483646-0badc0de`;
    const live = `${FILE_NAME}.tmp-${process.ppid}-0badc0de`;
    for (const name of [gone, live]) await writeFile(join(dir, name), '{"version":1,');
    await new MetadataStore(dir).load();
    expect(await readdir(dir)).toEqual([live]);
  });
});
