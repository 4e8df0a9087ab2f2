/**
 * Files of the data folder that are replaced whole: written to a temp file, fsynced, renamed over
 * the old one (mode 0600), so a reader or a kill sees the old file or the new one, never a mix.
 * An unreadable one is moved aside, never overwritten.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Whether `name` is a temp file of `writeAtomically` for a file named `of`. */
export function isTempOf(of: string, name: string): boolean {
  return name.startsWith(`${of}.tmp-`);
}

/**
 * A process killed mid-write leaves its temp file: a full copy, never read again. Those of
 * processes that are gone are removed (a live one's may be a write in flight); a clean-up that
 * fails leaves them, and never stops the vault from loading. `of`: the file whose temps to remove,
 * or every file's of the folder `dir` when absent.
 */
export async function removeAbandonedTemps(dir: string, of?: string): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  for (const name of names) {
    const at = name.indexOf('.tmp-');
    if (at < 0 || (of !== undefined && name.slice(0, at) !== of)) continue;
    const pid = Number(name.slice(at + '.tmp-'.length).split('-')[0]);
    if (pid !== process.pid && !running(pid)) {
      await rm(join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file of the data folder that could not be read at load: moved aside, and reported. */
export interface LoadProblem {
  reason: string;
  /** Where the unreadable file was moved. */
  keptAs: string;
}

/** Moves an unreadable file aside (`<name>.unreadable-<time>`); answers where it went. */
export async function keepAside(path: string, now = new Date()): Promise<string> {
  const keptAs = `${path}.unreadable-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, keptAs);
  return keptAs;
}
