import type { ErrorCode } from '@contract';

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
