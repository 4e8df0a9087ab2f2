/**
 * Browser sign-ins waiting for, or holding, the token a SonarQube handed over (see loopback.ts):
 * the token is kept in memory only, until the account is added with it or the sign-in expires.
 */
import { randomBytes } from 'node:crypto';
import type { AccountKind } from '@contract';
import { VaultError } from '@core/errors';
import type { Clock } from '@core/ports';

/** What a finished sign-in holds: the verified token and whose it is. */
export interface SignedIn {
  readonly credential: string;
  /** Where it signs in: 'accounts.add' must be for the same account kind and server. */
  readonly kind: AccountKind;
  readonly baseUrl: string;
  readonly login: string;
  readonly userName: string;
  /** The name SonarQube gave the token, when it said (recent Servers do). */
  readonly tokenName?: string;
  readonly expiresAt?: number | null;
}

/** How long a token handed over waits for the account to be added with it. */
export const SIGNED_IN_HOLD_MS = 5 * 60_000;

export class SignIns {
  private readonly done = new Map<string, { signedIn: SignedIn; timer: { cancel(): void } }>();

  constructor(private readonly clock: Clock) {}

  newId(): string {
    return randomBytes(24).toString('base64url');
  }

  /** Keeps a verified token for `SIGNED_IN_HOLD_MS`, for 'accounts.add' to take. */
  hold(signInId: string, signedIn: SignedIn): void {
    this.done.get(signInId)?.timer.cancel();
    const timer = this.clock.setTimeout(() => this.done.delete(signInId), SIGNED_IN_HOLD_MS);
    this.done.set(signInId, { signedIn, timer });
  }

  /** The token of a finished sign-in, once: it is the account's credential now. */
  take(signInId: string): SignedIn {
    const held = this.done.get(signInId);
    if (!held) {
      throw new VaultError(
        'invalid-input',
        'That browser sign-in is over (it is kept 5 minutes). Sign in again.',
      );
    }
    held.timer.cancel();
    this.done.delete(signInId);
    return held.signedIn;
  }

  clear(): void {
    for (const { timer } of this.done.values()) timer.cancel();
    this.done.clear();
  }
}
