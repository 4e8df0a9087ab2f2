/**
 * A time limit on keychain calls. A locked keychain whose unlock prompt nobody answers never
 * answers at all; the vault gives up after a while instead of holding a copy, a reveal or a
 * rotation (and the account's lock) forever. keytar cannot cancel a call, so one given up on may
 * still complete later: `landed` says whether it did, for callers that must reconcile.
 */
import { VaultError } from '@core/errors';
import { duration } from '@core/wording';

export const KEYCHAIN_TIMEOUT_MS = 15_000;

export class KeychainTimeout extends VaultError {
  constructor(
    timeoutMs: number,
    /** Settles when the call given up on ends: true if it completed after all. Never rejects. */
    readonly landed: Promise<boolean>,
  ) {
    super(
      'keychain-unavailable',
      `The keychain did not answer in ${duration(timeoutMs)}; is it locked? Unlock it and try again.`,
    );
    this.name = 'KeychainTimeout';
  }
}

/** `call`'s outcome, or a KeychainTimeout once `timeoutMs` passes first. */
export function timeLimited<T>(call: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        new KeychainTimeout(
          timeoutMs,
          call.then(
            () => true,
            () => false,
          ),
        ),
      );
    }, timeoutMs);
    // A keychain call still running must not keep the process alive on its own.
    timer.unref();
  });
  return Promise.race([call, expired]).finally(() => clearTimeout(timer));
}
