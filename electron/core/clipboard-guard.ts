/**
 * Copies a secret and clears it later, but only if the clipboard still holds what we put there:
 * whatever the user copied since is theirs. Only a digest of the value is kept while waiting.
 */
import { createHash } from 'node:crypto';
import type { Clipboard, Clock } from './ports';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export class ClipboardGuard {
  private pending: { digest: string; timer: { cancel(): void } } | null = null;

  constructor(
    private readonly clipboard: Clipboard,
    private readonly clock: Clock,
    private readonly onCleared: () => void = () => undefined,
  ) {}

  /** Writes `text`; clears it after `clearAfterMs` (0 = never) if it is still there. */
  async copy(text: string, clearAfterMs: number): Promise<void> {
    this.cancel();
    await this.clipboard.writeText(text);
    if (clearAfterMs <= 0) return;
    this.pending = {
      digest: digest(text),
      timer: this.clock.setTimeout(() => void this.flush(), clearAfterMs),
    };
  }

  /** Runs a pending clear now (on quit, so a secret does not outlive the app). */
  async flush(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    this.cancel();
    if (digest(await this.clipboard.readText()) !== pending.digest) return;
    await this.clipboard.clear();
    this.onCleared();
  }

  private cancel(): void {
    this.pending?.timer.cancel();
    this.pending = null;
  }
}
