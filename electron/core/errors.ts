import type { ErrorCode } from '@contract';
import { redact } from './redact';

/** An error the user should read: its message is shown as it is, so it never holds a secret. */
export class VaultError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/**
 * A failure in words fit to show or keep (a notification, a list, vault.json): a VaultError's
 * message, sanitized (it may quote a server or the OS); anything else only by its kind, as it
 * could quote anything.
 */
export function errorWords(error: unknown): string {
  if (error instanceof VaultError) return redact(error.message);
  return `Unexpected failure (${error instanceof Error ? error.name : 'unknown'}).`;
}
