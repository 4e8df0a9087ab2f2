/**
 * The composition root of the core: one place that turns ports into the contract's handlers, each
 * feature giving its slice, and starts what runs in the background. Electron's main process and
 * the test/preview bridge build the vault through this; it holds no logic of its own.
 */
import { accountHandlers } from './accounts/handlers';
import { adminHandlers } from './admin/handlers';
import { appHandlers } from './app-status';
import { Background, type BackgroundOptions } from './background';
import type { ClipboardGuard } from './clipboard-guard';
import { createContext, type ContextOptions } from './context';
import { defaultClients, type ClientFactory } from './delivery/deliveries';
import { deliveryHandlers } from './delivery/handlers';
import type { EventBus } from './events';
import type { ExpiryWatcher } from './expiry/watcher';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import { OnceValues } from './once-values';
import { ownCredentialHandlers, ownCredentialHooks } from './own-credential/handlers';
import type { OwnCredentialScheduler } from './own-credential/scheduler';
import { settingsHandlers } from './settings';
import { BrowserSignIn } from './sign-in/browser-sign-in';
import { signInHandlers } from './sign-in/handlers';
import type { MetadataStore } from './storage/metadata-store';
import { tokenHandlers } from './tokens/handlers';
import type { RotationScheduler } from './tokens/rotation-scheduler';
import { trayModel, type TrayModel } from './tray-model';

export { START_WATCH_WAIT_MS } from './background';

export interface CoreOptions extends ContextOptions, BackgroundOptions {
  /** Opens a SonarQube page in the user's browser (browser sign-in); none in tests that do not sign in. */
  openBrowser?: (url: string) => Promise<void>;
  /** The CI services' clients (GitHub, GitLab) over `fetch` unless a test brings its own. */
  deliveryClients?: ClientFactory;
  /** The OS the vault runs on (default: this process's); the preview shows others' settings. */
  platform?: NodeJS.Platform;
}

export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  store: MetadataStore;
  clipboard: ClipboardGuard;
  watcher: ExpiryWatcher;
  /** Revokes predecessors of delayed rotations when their time comes. */
  rotations: RotationScheduler;
  /** Renews the accounts' own credentials before they expire; resumes interrupted switches. */
  ownCredentials: OwnCredentialScheduler;
  /** Refreshes every account, then starts the schedulers and the expiry watcher. */
  start(): Promise<void>;
  /** The window was hidden or minimized: values shown once are dropped, and the renderer told. */
  windowHidden(): void;
  stop(): void;
  trayModel(): Promise<TrayModel>;
}

export function createCore(options: CoreOptions): Core {
  const ctx = createContext(options);
  ctx.hooks = ownCredentialHooks(ctx);
  const background = new Background(ctx, options);
  const { refresher, overviews, keychain } = background;
  const once = new OnceValues(ctx.clock);
  const signIn = new BrowserSignIn(ctx, options.openBrowser ?? (() => Promise.resolve()));
  const handlers = {
    ...appHandlers(ctx, keychain, options.platform ?? process.platform),
    ...accountHandlers(ctx),
    ...signInHandlers(signIn),
    ...ownCredentialHandlers(ctx),
    ...settingsHandlers(ctx),
    ...tokenHandlers(ctx, { refresher, once, revoked: (ref) => overviews.revoked(ref) }),
    ...adminHandlers(ctx, overviews),
    ...deliveryHandlers(ctx, options.deliveryClients ?? defaultClients(ctx)),
  };
  return {
    dispatch: createDispatch(handlers, ctx.log),
    events: ctx.events,
    store: ctx.store,
    clipboard: ctx.clipboard,
    watcher: background.watcher,
    rotations: background.rotations,
    ownCredentials: background.ownCredentials,
    start: () => background.start(),
    windowHidden() {
      once.clear();
      ctx.events.emit('window.hidden', {});
    },
    stop() {
      once.clear();
      signIn.cancelAll();
      ctx.signIns.clear();
      background.stop();
    },
    trayModel: async () => trayModel(await ctx.store.load(), ctx.clock.now()),
  };
}
