/**
 * The OS keychain through keytar (macOS Keychain, Windows Credential Vault, Secret Service on
 * Linux). It fails closed: when no keychain answers, the caller gets a clear error and nothing is
 * written anywhere else; when it does not answer in time (a locked keychain whose prompt nobody
 * answers), the call fails with a KeychainTimeout (see time-limit.ts).
 */
import { createRequire } from 'node:module';
import { VaultError } from '@core/errors';
import type * as KeytarModule from 'keytar';
import type { SecretStore } from '@core/ports';
import { redact } from '@core/redact';
import { KEYCHAIN_TIMEOUT_MS, KeychainTimeout, timeLimited } from './time-limit';

export type Keytar = typeof KeytarModule;

export const KEYCHAIN_SERVICE = 'Token Vault for SonarQube';

export interface KeytarStoreOptions {
  /** How long a call may take before it fails (default 15 s). */
  timeoutMs?: number;
  /** Loads the keytar module (default: on first use, so a missing module is a keychain error too). */
  load?: () => Keytar;
}

export class KeytarSecretStore implements SecretStore {
  private keytar: Keytar | undefined;
  private readonly timeoutMs: number;
  private readonly load: () => Keytar;

  /** `service` groups our entries in the keychain; tests pass their own to stay apart. */
  constructor(
    private readonly service: string = KEYCHAIN_SERVICE,
    options: KeytarStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
    this.load = options.load ?? (() => createRequire(import.meta.url)('keytar') as Keytar);
  }

  get(key: string): Promise<string | null> {
    return this.call((k) => k.getPassword(this.service, key));
  }

  set(key: string, value: string): Promise<void> {
    return this.call((k) => k.setPassword(this.service, key, value));
  }

  delete(key: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, key));
  }

  /** Every key this store holds (no values): for finding leftovers, and for tests. */
  async keys(): Promise<string[]> {
    const found = await this.call((k) => k.findCredentials(this.service));
    return found.map((c) => c.account);
  }

  private async call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    try {
      this.keytar ??= this.load();
      return await timeLimited(operation(this.keytar), this.timeoutMs);
    } catch (error) {
      throw error instanceof KeychainTimeout ? error : keychainUnavailable(error);
    }
  }
}

export function keychainUnavailable(error: unknown): VaultError {
  // The OS's own words, which could quote anything.
  const reason = redact(error instanceof Error ? error.message : String(error));
  return new VaultError(
    'keychain-unavailable',
    `The OS keychain is not available (${reason}). Token values are kept only in the keychain: ` +
      'unlock it, or on Linux start a Secret Service such as GNOME Keyring or KWallet, then try again.',
  );
}
