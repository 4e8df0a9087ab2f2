/**
 * The composition root of the core: one place that turns ports into the contract's handlers.
 * Electron's main process and the test/preview bridge both build the vault through this.
 */
import { randomUUID } from 'node:crypto';
import { ClipboardGuard } from './clipboard-guard';
import { EventBus } from './events';
import { createDispatch, type Dispatch, type Handlers } from './ipc/dispatch';
import type { Clipboard, Clock, Fetch, Logger, SecretStore } from './ports';
import { CLOUD_HOSTS, type CloudHosts } from './sonarqube/regions';
import { addAccount, listAccounts, removeAccount } from './vault/accounts';
import type { VaultContext } from './vault/context';
import { MetadataStore } from './vault/metadata-store';
import { copyToken, generateToken, listTokens, revealToken } from './vault/tokens';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretStore;
  clipboard: Clipboard;
  fetch: Fetch;
  clock: Clock;
  log: Logger;
  /** Tests and the preview point the Cloud regions at local servers. */
  cloudHosts?: CloudHosts;
  requestTimeoutMs?: number;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  store: MetadataStore;
  clipboard: ClipboardGuard;
}

export function createCore(options: CoreOptions): Core {
  const events = new EventBus();
  const ctx: VaultContext = {
    store: new MetadataStore(options.dataDir),
    secrets: options.secrets,
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
    status: new Map(),
  };

  const handlers: Handlers = {
    'app.status': async () => {
      await ctx.store.load();
      const problem = ctx.store.problem;
      return {
        storeProblem: problem
          ? `The vault's data file could not be read (${problem.reason}). It was kept as ${problem.keptAs}; the vault started empty.`
          : null,
      };
    },
    'accounts.list': () => listAccounts(ctx),
    'accounts.add': (input) => addAccount(ctx, input),
    'accounts.remove': async ({ accountId }) => {
      await removeAccount(ctx, accountId);
      return {};
    },
    'tokens.list': ({ accountId }) => listTokens(ctx, accountId),
    'tokens.generate': (input) => generateToken(ctx, input),
    'tokens.copy': (ref) => copyToken(ctx, ref),
    'tokens.reveal': (ref) => revealToken(ctx, ref),
  };

  return {
    dispatch: createDispatch(handlers, options.log),
    events,
    store: ctx.store,
    clipboard: ctx.clipboard,
  };
}
