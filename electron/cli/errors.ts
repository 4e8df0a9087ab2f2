/**
 * How the CLI fails: one message on stderr, always through the core's sanitizer (an error can
 * quote a data file, the OS or an argument a user pasted a value into), and an exit code a script
 * can act on.
 */
import { VaultError } from '@core/errors';
import { redact } from '@core/redact';

export const EXIT = {
  ok: 0,
  failed: 1,
  /** `run`: the CLI failed before the command started (as `env`, `nice` and `git bisect run` use it). */
  runFailed: 125,
  /** `run`: the command was found but could not be started. */
  cannotExecute: 126,
  /** `run`: no such command. */
  notFound: 127,
} as const;

/** An error meant for the user, with the exit code its command uses. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The words to show for any error: a vault's or the CLI's own as they are, others by their message. */
export function errorText(error: unknown): string {
  if (error instanceof CliError || error instanceof VaultError) return redact(error.message);
  if (error instanceof Error) return redact(`${error.name}: ${error.message}`);
  return redact(String(error));
}
