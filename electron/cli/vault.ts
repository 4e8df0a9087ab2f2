/**
 * The vault as the CLI sees it: the app's own files through the core's store, opened read-only
 * (the app owns them: the CLI never writes, renames or deletes anything there; it only appends
 * its uses to the history journal, as the journal allows any process to), every account checked
 * as the app checks it, and the keychain the app keeps its values in.
 */
import { HistoryJournal } from '@core/history/journal';
import type { SecretStore } from '@core/ports';
import { KEYCHAIN_SERVICE, KeytarSecretStore } from '@core/storage/keytar-store';
import { CLOUD_HOSTS } from '@core/sonarqube/regions';
import { accountCheck } from '@core/storage/stored-accounts';
import { secretKeys } from '@core/storage/keys';
import { MetadataStore } from '@core/storage/metadata-store';
import { type AccountRecord, type Metadata } from '@core/storage/schema';
import { CliError } from './errors';

export interface OpenVault {
  dataDir: string;
  /** Accounts in use (those failing their check are in `metadata.setAside`), settings, lists. */
  metadata: Metadata;
  /** Files that could not be read, in words (the app reports, and moves them aside, at its start). */
  problems: string[];
  /** Whether vault.json itself could not be read: the vault then reads as empty. */
  unreadable: boolean;
  secrets: SecretStore;
  history: HistoryJournal;
}

export interface VaultLocation {
  dataDir: string;
  /**
   * The keychain service the values are filed under: the app's, unless `VAULT_KEYCHAIN_SERVICE`
   * names another (tests, or a second vault kept apart).
   */
  keychainService?: string;
}

export function keychainServiceFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env['VAULT_KEYCHAIN_SERVICE'] || KEYCHAIN_SERVICE;
}

export async function openVault({
  dataDir,
  keychainService = KEYCHAIN_SERVICE,
}: VaultLocation): Promise<OpenVault> {
  // The app's hosts (it passes none: CLOUD_HOSTS): an account the app would set aside is set
  // aside here too, never used.
  const store = new MetadataStore(dataDir, accountCheck(CLOUD_HOSTS), { readOnly: true });
  let metadata: Metadata;
  try {
    metadata = await store.load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`The vault's data file ${store.path} cannot be read (${code}).`);
  }
  return {
    dataDir,
    metadata,
    problems: await store.problemsInWords(),
    unreadable: store.problem !== null,
    secrets: new KeytarSecretStore(keychainService),
    history: new HistoryJournal(dataDir),
  };
}

/** Whether the keychain still holds the credential the vault signs in to this account with. */
export async function hasCredential(vault: OpenVault, account: AccountRecord): Promise<boolean> {
  // Read, then dropped at once: keytar has no "exists" call that reads no value.
  return (await vault.secrets.get(secretKeys.credential(account.id))) !== null;
}
