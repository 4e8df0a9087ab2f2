/**
 * What the vault's operations share, built once per core (createContext): the storage floor, the
 * ports, the live state no file keeps, and the hooks through which one feature reaches another
 * that depends on it (wired by create-core.ts instead of imported, so no feature imports in a ring).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AccountView, TokenRef } from '@contract';
import { ClipboardGuard } from './clipboard-guard';
import { EventBus } from './events';
import { HistoryJournal } from './history/journal';
import type { Clipboard, Clock, Fetch, Logger, SecretStore } from './ports';
import { SignIns, type SignedIn } from './sign-in/sign-ins';
import { CLOUD_HOSTS, type CloudHosts } from './sonarqube/regions';
import { notingWrites } from './storage/leftovers';
import { MetadataStore } from './storage/metadata-store';
import type { AccountRecord } from './storage/schema';
import { accountCheck } from './storage/stored-accounts';

/** How a new account's credential came: a pasted token (own one wanted?) or a browser sign-in. */
export interface CredentialOrigin {
  readonly wanted: boolean | undefined;
  readonly signedIn: SignedIn | null;
}

/** What a feature must hear of another's work: the own credential's, of accounts and revokes. */
export interface VaultHooks {
  /** An account was just stored: answers it as it stands after its own credential is made. */
  accountAdded(account: AccountRecord, origin: CredentialOrigin): Promise<AccountRecord>;
  /** The user revoked one of the account's own tokens on its server (confirmed). */
  tokenRevoked(ref: TokenRef): Promise<void>;
}

export interface VaultContext {
  readonly store: MetadataStore;
  /** Every copy and reveal of a held value (history.jsonl), never the value. */
  readonly history: HistoryJournal;
  /** The keychain, noting the keys this process writes (see storage/leftovers.ts). */
  readonly secrets: SecretStore;
  readonly written: ReadonlySet<string>;
  readonly fetch: Fetch;
  readonly clock: Clock;
  readonly log: Logger;
  readonly events: EventBus;
  readonly clipboard: ClipboardGuard;
  readonly cloudHosts: CloudHosts;
  readonly requestTimeoutMs: number;
  newId(): string;
  /** One fetch per extra CA certificate, so its connections are reused. */
  readonly trustedFetches: Map<string, Fetch>;
  /** Live health of each account, learnt from its last server call (not persisted). */
  readonly status: Map<string, Pick<AccountView, 'status' | 'statusMessage'>>;
  /** Tokens browser sign-ins handed over, until an account is added with one. */
  readonly signIns: SignIns;
  /** This computer's name, in the names of the tokens the vault makes for itself (own-credential/). */
  computerName(): string;
  hooks: VaultHooks;
}

export interface ContextOptions {
  dataDir: string;
  secrets: SecretStore;
  clipboard: Clipboard;
  fetch: Fetch;
  clock: Clock;
  log: Logger;
  /** Tests and the preview point the Cloud regions at local servers. */
  cloudHosts?: CloudHosts;
  requestTimeoutMs?: number;
  /** This computer's name, in the names of the vault's own tokens (default: the host name). */
  computerName?: () => string;
}

export function createContext(options: ContextOptions): VaultContext {
  const events = new EventBus();
  const keychain = notingWrites(options.secrets);
  return {
    store: new MetadataStore(options.dataDir, accountCheck(options.cloudHosts)),
    history: new HistoryJournal(options.dataDir),
    secrets: keychain.secrets,
    written: keychain.written,
    fetch: options.fetch,
    clock: options.clock,
    log: options.log,
    events,
    clipboard: new ClipboardGuard(options.clipboard, options.clock, () =>
      events.emit('clipboard.cleared', {}),
    ),
    cloudHosts: options.cloudHosts ?? CLOUD_HOSTS,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    newId: randomUUID,
    trustedFetches: new Map(),
    status: new Map(),
    signIns: new SignIns(options.clock),
    computerName: options.computerName ?? hostname,
    hooks: {
      accountAdded: (account) => Promise.resolve(account),
      tokenRevoked: () => Promise.resolve(),
    },
  };
}
