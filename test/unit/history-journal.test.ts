/**
 * The journal of uses (history.jsonl): appended one line per use, read back validated (a torn or
 * foreign line is skipped, a line is never a value), a token's last 50 newest first, compacted
 * once past its size.
 */
import { appendFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_FILE, HISTORY_PER_TOKEN, HistoryJournal, type JournalLine } from '@core/history/journal';

const accountId = 'account-aaaa';
const ci = { accountId, name: 'ci' };
const laptop = { accountId, name: 'laptop' };
const use = (
  ref: { accountId: string; name: string },
  at: number,
  extra: Partial<JournalLine> = {},
): JournalLine => ({ ...ref, at, action: 'copy', via: 'window', ...extra });

describe('the journal of uses', () => {
  let dir: string;
  let journal: HistoryJournal;
  const text = () => readFile(join(dir, HISTORY_FILE), 'utf8');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-history-'));
    journal = new HistoryJournal(dir);
  });

  it("answers a token's uses, newest first, each as when, what and from where", async () => {
    await journal.record(use(ci, 1_000));
    await journal.record(use(laptop, 1_500));
    await journal.record(use(ci, 2_000, { action: 'reveal' }));
    await journal.record(use(ci, 3_000, { via: 'tray' }));
    expect(await journal.list(ci)).toEqual([
      { at: 3_000, action: 'copy', via: 'tray' },
      { at: 2_000, action: 'reveal', via: 'window' },
      { at: 1_000, action: 'copy', via: 'window' },
    ]);
    expect(await journal.list({ accountId, name: 'other' })).toEqual([]);
    // One line per use, appended; readable by its owner only.
    expect((await text()).split('\n')).toHaveLength(5);
    if (process.platform !== 'win32') expect((await stat(journal.path)).mode & 0o777).toBe(0o600);
  });

  it(`keeps a token's last ${HISTORY_PER_TOKEN}`, async () => {
    for (let i = 0; i < HISTORY_PER_TOKEN + 10; i++) await journal.record(use(ci, 1_000 + i));
    const uses = await journal.list(ci);
    expect(uses).toHaveLength(HISTORY_PER_TOKEN);
    expect(uses[0]?.at).toBe(1_000 + HISTORY_PER_TOKEN + 9);
    expect(uses.at(-1)?.at).toBe(1_010);
  });

  it('a torn last line (a writer killed mid-line) is skipped, and does not swallow the next use', async () => {
    await journal.record(use(ci, 1_000));
    await appendFile(journal.path, '{"accountId":"account-aaaa","name":"ci","at":15');
    await journal.record(use(ci, 2_000));
    expect(await journal.list(ci)).toEqual([
      { at: 2_000, action: 'copy', via: 'window' },
      { at: 1_000, action: 'copy', via: 'window' },
    ]);
  });

  it('a line that is not a use is skipped: no value comes out of the journal', async () => {
    const value = `squ_${'a'.repeat(40)}`;
    await writeFile(
      journal.path,
      [
        JSON.stringify({ ...use(ci, 1_000), value }),
        JSON.stringify(use(ci, 2_000, { action: 'export' as never })),
        JSON.stringify(use(ci, 3_000, { via: 'mail' as never })),
        JSON.stringify({ ...use(ci, -5) }),
        'not json',
        '',
        JSON.stringify(use(ci, 4_000)),
      ].join('\n') + '\n',
    );
    expect(await journal.list(ci)).toEqual([{ at: 4_000, action: 'copy', via: 'window' }]);
    expect(JSON.stringify(await journal.list(ci))).not.toContain(value);
    await expect(journal.record({ ...use(ci, 5_000), value } as JournalLine)).rejects.toThrow();
  });

  it('two writers appending at once lose no line and tear none', async () => {
    const other = new HistoryJournal(dir);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? journal : other).record(use(ci, 1_000 + i))),
    );
    const lines = (await text()).split('\n').slice(0, -1);
    expect(lines).toHaveLength(100);
    expect(new Set(lines.map((l) => (JSON.parse(l) as JournalLine).at)).size).toBe(100);
  });

  it('compacts past its size: the last uses of each token kept, the others dropped', async () => {
    const forgotten = { accountId, name: 'forgotten' };
    const gone = { accountId: 'account-gone', name: 'ci' };
    for (let i = 0; i < 80; i++) {
      for (const ref of [ci, laptop, forgotten, gone]) await journal.record(use(ref, 1_000 + i));
    }
    await appendFile(journal.path, '{"torn":');
    const keep = (ref: { accountId: string; name: string }) =>
      ref.accountId === accountId && ref.name !== 'forgotten';
    const before = await stat(journal.path);
    expect(await journal.compact(keep, before.size)).toBe(false);
    expect((await stat(journal.path)).ino).toBe(before.ino);

    expect(await journal.compact(keep, 1_024)).toBe(true);
    const lines = (await text()).split('\n').slice(0, -1);
    expect(lines).toHaveLength(2 * HISTORY_PER_TOKEN);
    expect(await journal.list(ci)).toHaveLength(HISTORY_PER_TOKEN);
    expect((await journal.list(ci))[0]?.at).toBe(1_079);
    expect(await journal.list(forgotten)).toEqual([]);
    expect(await journal.list(gone)).toEqual([]);
    if (process.platform !== 'win32') expect((await stat(journal.path)).mode & 0o777).toBe(0o600);
    // Appending goes on as before.
    await journal.record(use(ci, 9_000));
    expect((await journal.list(ci))[0]?.at).toBe(9_000);
  });
});
