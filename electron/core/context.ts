import type { AccountView } from '@contract';
import type { ClipboardGuard } from './clipboard-guard';
import type { EventBus } from './events';
import type { HistoryJournal } from '@core/history/journal';
import type { Clock, Fetch, Logger, SecretStore } from './ports';
import type { CloudHosts } from '@core/sonarqube/regions';
import type { SignIns } from '@core/sign-in/sign-ins';
import type { MetadataStore } from '@core/storage/metadata-store';

/** Everything the vault's operations share; built once by createCore. */
export interface VaultContext {
  store: MetadataStore;
  /** Every copy and reveal of a held value (history.jsonl), never the value. */
  history: HistoryJournal;
  secrets: SecretStore;
  fetch: Fetch;
  clock: Clock;
  log: Logger;
  events: EventBus;
  clipboard: ClipboardGuard;
  cloudHosts: CloudHosts;
  requestTimeoutMs: number;
  newId(): string;
  /** One fetch per extra CA certificate, so its connections are reused. */
  trustedFetches: Map<string, Fetch>;
  /** Live health of each account, learnt from its last server call (not persisted). */
  status: Map<string, Pick<AccountView, 'status' | 'statusMessage'>>;
  /** Tokens browser sign-ins handed over, until an account is added with one. */
  signIns: SignIns;
  /** This computer's name, in the names of the tokens the vault makes for itself (own-credential/). */
  computerName(): string;
}

/** Keychain entry names. Values live only under these keys, in the OS keychain. */
export const secretKeys = {
  credential: (accountId: string) => `account/${accountId}/credential`,
  token: (accountId: string, name: string) => `token/${accountId}/${name}`,
  /** The credential for a delivery target's CI service (a GitHub or GitLab token). */
  delivery: (deliveryId: string) => `delivery/${deliveryId}/credential`,
};
