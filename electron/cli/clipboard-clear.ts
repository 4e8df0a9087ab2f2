/**
 * The clipboard clear after a `copy`. The app clears its copy from a timer; a CLI exits at once,
 * so the clear is a detached child: this same script, run again with a hidden subcommand, that
 * sleeps, then empties the clipboard only if it still holds what was copied (whatever the user
 * copied since is theirs). It gets the SHA-256 digest of the value on its argv, never the value.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearClipboard, readClipboard, toolNamed } from './clipboard';

export const CLEAR_COMMAND = '__clear-clipboard';

export const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Starts the detached clear; it outlives this process. */
export function scheduleClear(toolName: string, digest: string, afterMs: number): void {
  // process.execArgv carries a loader's flags (tsx in development), argv[1] this script.
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      process.argv[1]!,
      CLEAR_COMMAND,
      '--tool',
      toolName,
      '--digest',
      digest,
      '--after',
      String(afterMs),
    ],
    { detached: true, stdio: 'ignore', windowsHide: true },
  );
  child.unref();
}

/** The child's part: wait, then clear if the clipboard still holds the value of this digest. */
export async function clearLater(toolName: string, digest: string, afterMs: number): Promise<boolean> {
  const tool = toolNamed(toolName);
  await sleep(afterMs);
  const now = await readClipboard(tool);
  // A tool may add a line break when reading (PowerShell does); a value never ends with one.
  if (digestOf(now) !== digest && digestOf(now.replace(/\r?\n$/, '')) !== digest) return false;
  await clearClipboard(tool);
  return true;
}
