/**
 * The history of uses: every copy and reveal of a held value, one JSON line each in
 * `history.jsonl` in the data folder. Never a value: a line names the token, the time, the action
 * and where it came from, and a line with anything else is not one.
 *
 * Append-only, because other processes append too (the command line) without touching vault.json:
 * each use is one write with O_APPEND (mode 0600), which the OS places at the end whoever else
 * writes. Lines are validated when read; a torn line (a writer killed mid-line) is skipped, and the
 * next writer starts a new line after it. Bounded: a token's history is its last 50 uses, and the
 * journal is compacted at start once past COMPACT_PAST_BYTES (rewritten atomically: the last 50 of
 * each token still held, the rest dropped).
 */
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { HistoryEntry, TokenRef } from '@contract';
import { removeAbandonedTemps, writeAtomically } from '@core/storage/atomic-file';

export const HISTORY_FILE = 'history.jsonl';
/** Uses kept and shown per token. */
export const HISTORY_PER_TOKEN = 50;
/** About 4,000 uses: past this, the start compacts the journal. */
export const COMPACT_PAST_BYTES = 512 * 1024;

/** One line of the journal: the command line writes the same shape. */
export const JournalLine = TokenRef.extend(HistoryEntry.shape).strict();
export type JournalLine = z.infer<typeof JournalLine>;

export class HistoryJournal {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, HISTORY_FILE);
  }

  /** Appends one use. */
  async record(use: JournalLine): Promise<void> {
    const line = JSON.stringify(JournalLine.parse(use));
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const handle = await open(this.path, 'a+', 0o600);
    try {
      const { size } = await handle.stat();
      // After a torn last line, a new line: the torn one must not swallow this one.
      const last = Buffer.alloc(1);
      if (size > 0) await handle.read(last, 0, 1, size - 1);
      await handle.writeFile(`${size > 0 && last[0] !== 0x0a ? '\n' : ''}${line}\n`, 'utf8');
    } finally {
      await handle.close();
    }
  }

  /** The token's last uses, newest first. */
  async list(ref: TokenRef): Promise<HistoryEntry[]> {
    const mine = (await this.read()).filter((u) => u.accountId === ref.accountId && u.name === ref.name);
    return newestFirst(mine)
      .slice(0, HISTORY_PER_TOKEN)
      .map(({ at, action, via }) => ({ at, action, via }));
  }

  /**
   * Once the journal is past `pastBytes`: keeps the last uses of each token `keep` names, drops
   * the rest (tokens and accounts forgotten). Lines other processes append meanwhile are carried
   * over, up to the instant of the rename. Answers whether it compacted.
   */
  async compact(keep: (ref: TokenRef) => boolean, pastBytes = COMPACT_PAST_BYTES): Promise<boolean> {
    await removeAbandonedTemps(dirname(this.path), HISTORY_FILE);
    const size = await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    if (size <= pastBytes) return false;
    const text = await readFile(this.path);
    const byToken = new Map<string, JournalLine[]>();
    for (const use of parseLines(text.toString('utf8'))) {
      if (!keep(use)) continue;
      const key = `${use.accountId}\n${use.name}`;
      const uses = byToken.get(key);
      if (uses) uses.push(use);
      else byToken.set(key, [use]);
    }
    const kept = [...byToken.values()]
      .flatMap((uses) => newestFirst(uses).slice(0, HISTORY_PER_TOKEN))
      .sort((a, b) => a.at - b.at);
    const appended = parseLines((await readFile(this.path)).subarray(text.length).toString('utf8'));
    await writeAtomically(
      this.path,
      [...kept, ...appended].map((use) => `${JSON.stringify(use)}\n`).join(''),
    );
    return true;
  }

  private async read(): Promise<JournalLine[]> {
    try {
      return parseLines(await readFile(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/** The valid lines, in the order they were written; anything else is skipped. */
function parseLines(text: string): JournalLine[] {
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const parsed = JournalLine.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/** Newest first; of two uses at the same instant, the one written later. */
function newestFirst<T extends { at: number }>(uses: readonly T[]): T[] {
  return uses
    .map((use, order) => ({ use, order }))
    .sort((a, b) => b.use.at - a.use.at || b.order - a.order)
    .map(({ use }) => use);
}
