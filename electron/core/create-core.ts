/**
 * The composition root of the core: one place that turns ports into the contract's handlers.
 * Electron's main process and the test/preview bridge both build the vault through this.
 */
import { randomUUID } from 'node:crypto';
import { ClipboardGuard } from './clipboard-guard';
import { EventBus } from './events';
import { createDispatch, type Dispatch, type Handlers } from './ipc/dispatch';
import type { TokenRef } from '../contract';
import { ExpiryWatcher } from './expiry/watcher';
import type { Clipboard, Clock, Fetch, Logger, Notifier, SecretStore } from './ports';
import { trayModel, type TrayModel } from './tray-model';
import { CLOUD_HOSTS, type CloudHosts } from './sonarqube/regions';
import { addAccount, listAccounts, removeAccount } from './vault/accounts';
import type { VaultContext } from './vault/context';
import { MetadataStore } from './vault/metadata-store';
import { copyToken, generateToken, listTokens, refreshAll, revealToken } from './vault/tokens';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretStore;
  clipboard: Clipboard;
  fetch: Fetch;
  clock: Clock;
  log: Logger;
  /** Expiry notifications; none when absent (unit tests that do not look at them). */
  notifier?: Notifier;
  /** A notification was clicked (the host shows its window); the core also emits the event. */
  onNotificationClick?(ref: TokenRef | null): void;
  /** After each expiry evaluation (the tray redraws its time-left labels). */
  onExpiryEvaluated?(): void;
  /** Tests and the preview point the Cloud regions at local servers. */
  cloudHosts?: CloudHosts;
  requestTimeoutMs?: number;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  store: MetadataStore;
  clipboard: ClipboardGuard;
  watcher: ExpiryWatcher;
  /** Refreshes every account, then starts the expiry watcher. */
  start(): Promise<void>;
  stop(): void;
  trayModel(): Promise<TrayModel>;
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
    'settings.get': async () => (await ctx.store.load()).settings,
    'settings.update': async (patch) => {
      const { settings } = await ctx.store.update((m) => void Object.assign(m.settings, patch));
      events.emit('settings.changed', {});
      return settings;
    },
    'tokens.refreshAll': () => refreshAll(ctx),
    'tokens.list': ({ accountId }) => listTokens(ctx, accountId),
    'tokens.generate': (input) => generateToken(ctx, input),
    'tokens.copy': (ref) => copyToken(ctx, ref),
    'tokens.reveal': (ref) => revealToken(ctx, ref),
  };

  const watcher = new ExpiryWatcher({
    store: ctx.store,
    clock: options.clock,
    notifier: options.notifier ?? { notify: () => undefined },
    log: options.log,
    onClick(ref) {
      options.onNotificationClick?.(ref);
      if (ref) events.emit('notification.clicked', ref);
    },
    onEvaluated: () => options.onExpiryEvaluated?.(),
  });
  // Whatever changes the tokens or the rules changes the plan.
  events.subscribe((event) => {
    if (event === 'tokens.changed' || event === 'settings.changed' || event === 'accounts.changed') {
      void watcher.replan(event);
    }
  });

  return {
    dispatch: createDispatch(handlers, options.log),
    events,
    store: ctx.store,
    clipboard: ctx.clipboard,
    watcher,
    async start() {
      // Fresh lists first, so what happened while the app was off arrives as one summary.
      await refreshAll(ctx);
      await watcher.start();
    },
    stop: () => watcher.stop(),
    trayModel: async () => trayModel(await ctx.store.load(), options.clock.now()),
  };
}
