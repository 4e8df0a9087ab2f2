/**
 * `run`: starts a command with the value in its environment only (never this process's, never
 * argv), stdin passed through, its stdout and stderr piped through the masker, and its exit status
 * handed back as a shell would: the code, or 128 + the signal's number; 127 when there is no such
 * command, 126 when it cannot be executed.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { EXIT } from './errors';
import { ValueMasker } from './masker';

export interface RunRequest {
  command: readonly string[];
  /** What to add to the command's environment (the value among it). */
  env: Readonly<Record<string, string>>;
  /** Masked wherever the command prints it. */
  value: string;
  /** The command started: the use is recorded then (a command not found used nothing). */
  onStarted?: () => Promise<void>;
  /** Where the masked output goes (this process's stdout and stderr). */
  stdout?: Writable;
  stderr?: Writable;
  /** Why it could not start, for the user. */
  onError?: (message: string) => void;
}

/** Signals this process passes on: the terminal sends Ctrl-C (SIGINT) to the command itself. */
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
/** Signals that reach the whole foreground group: the CLI waits for the command to act on them. */
const IGNORED: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export function runMasked(request: RunRequest): Promise<number> {
  const { command, env, value, stdout = process.stdout, stderr = process.stderr } = request;
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), {
      env: { ...process.env, ...env },
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    const outputs = [pipeMasked(child.stdout, stdout, value), pipeMasked(child.stderr, stderr, value)];
    let started: Promise<void> = Promise.resolve();
    const listeners = [
      ...FORWARDED.map((signal) => [signal, () => child.kill(signal)] as const),
      ...IGNORED.map((signal) => [signal, () => undefined] as const),
    ];
    const platformSignals = process.platform === 'win32' ? [] : listeners;
    for (const [signal, listener] of platformSignals) process.on(signal, listener);
    const settle = async (code: number) => {
      for (const [signal, listener] of platformSignals) process.off(signal, listener);
      await Promise.all([started, ...outputs]);
      resolve(code);
    };

    let spawned = false;
    child.on('spawn', () => {
      spawned = true;
      started = request.onStarted?.() ?? Promise.resolve();
    });
    let failedToStart = false;
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A failure to start (Node then also emits 'close', with the negated errno); after a start,
      // a signal that could not be sent: 'close' still tells how the command ended.
      if (spawned) return;
      failedToStart = true;
      const missing = error.code === 'ENOENT';
      request.onError?.(
        missing
          ? `${command[0]}: command not found`
          : `${command[0]}: cannot run it (${error.code ?? error.message})`,
      );
      void settle(missing ? EXIT.notFound : EXIT.cannotExecute);
    });
    child.on('close', (code, signal) => {
      if (failedToStart) return;
      void settle(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

/** Pipes one output through its own masker; settles once all of it is written on. */
function pipeMasked(from: NodeJS.ReadableStream | null, to: Writable, value: string): Promise<void> {
  if (!from) return Promise.resolve();
  const masker = new ValueMasker(value);
  from.pipe(masker);
  // Never end this process's stdout or stderr: only the masked bytes go on.
  masker.pipe(to, { end: false });
  return new Promise((resolve) => masker.on('end', resolve));
}
