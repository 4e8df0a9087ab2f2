/**
 * The OS keychain through keytar (macOS Keychain, Windows Credential Vault, Secret Service on
 * Linux). It fails closed: when no keychain answers, the caller gets a clear error and nothing is
 * written anywhere else.
 */
import { createRequire } from 'node:module';
import { VaultError } from '../errors';
import type * as KeytarModule from 'keytar';
import type { SecretStore } from '../ports';

type Keytar = typeof KeytarModule;

export const KEYCHAIN_SERVICE = 'Token Vault for SonarQube';

export class KeytarSecretStore implements SecretStore {
  private keytar: Keytar | undefined;

  /** `service` groups our entries in the keychain; tests pass their own to stay apart. */
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  get(key: string): Promise<string | null> {
    return this.call((k) => k.getPassword(this.service, key));
  }

  set(key: string, value: string): Promise<void> {
    return this.call((k) => k.setPassword(this.service, key, value));
  }

  delete(key: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, key));
  }

  /** Every key this store holds (no values): for tests and for forgetting an account. */
  async keys(): Promise<string[]> {
    const found = await this.call((k) => k.findCredentials(this.service));
    return found.map((c) => c.account);
  }

  private async call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    try {
      // Loaded on first use: a missing native module is then a keychain error like any other.
      this.keytar ??= createRequire(import.meta.url)('keytar') as Keytar;
      return await operation(this.keytar);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }
}

export function keychainUnavailable(error: unknown): VaultError {
  const reason = error instanceof Error ? error.message : String(error);
  return new VaultError(
    'keychain-unavailable',
    `The OS keychain is not available (${reason}). Token values are kept only in the keychain: ` +
      'unlock it, or on Linux start a Secret Service such as GNOME Keyring or KWallet, then try again.',
  );
}
