/**
 * The composition root of the core: one place that turns ports into the contract's handlers.
 * Electron's main process and the test/preview bridge both build the vault through this.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AdminOverviews } from '@core/admin/overview';
import { searchUsers } from '@core/admin/user-search';
import { ClipboardGuard } from './clipboard-guard';
import { EventBus } from './events';
import { createDispatch, type Dispatch, type Handlers } from '@core/ipc/dispatch';
import type { TokenRef } from '@contract';
import { ExpiryWatcher } from '@core/expiry/watcher';
import {
  addDelivery,
  defaultClients,
  deliverNow,
  listDeliveries,
  removeDelivery,
  retryDelivery,
  rotateAndDeliver,
  type ClientFactory,
} from '@core/delivery/deliveries';
import { HistoryJournal } from '@core/history/journal';
import { OnceValues } from './once-values';
import { markOwnCredential } from '@core/own-credential/marks';
import { adoptOwnCredential, dismissPastedCredential } from '@core/own-credential/own-credential';
import { OwnCredentialScheduler } from '@core/own-credential/scheduler';
import { BrowserSignIn } from '@core/sign-in/browser-sign-in';
import { SignIns } from '@core/sign-in/sign-ins';
import type { Clipboard, Clock, Fetch, Logger, Notifier, SecretStore } from './ports';
import { trayModel, type TrayModel } from './tray-model';
import { redact, redactingNotifier } from './redact';
import { CLOUD_HOSTS, type CloudHosts } from '@core/sonarqube/regions';
import {
  addAccount,
  listAccounts,
  memberOrganizations,
  removeAccount,
  replaceCredential,
} from '@core/accounts/accounts';
import { generationRules, searchProjects } from '@core/tokens/generation';
import { keepAliveDue, setKeepAlive } from '@core/tokens/keep-alive';
import type { VaultContext } from './context';
import { Refresher } from '@core/tokens/refresher';
import { MetadataStore } from '@core/storage/metadata-store';
import { accountCheck } from '@core/storage/stored-accounts';
import { Leftovers, notingWrites } from '@core/storage/leftovers';
import { cancelRotation, completeRotation, rotateToken, RotationScheduler } from '@core/tokens/rotation';
import {
  copyToken,
  forgetToken,
  generateToken,
  importToken,
  listTokens,
  listTokensFor,
  refreshAccounts,
  refreshAll,
  revealToken,
  revokeToken,
} from '@core/tokens/tokens';

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
  /** Opens a SonarQube page in the user's browser (browser sign-in); none in tests that do not sign in. */
  openBrowser?: (url: string) => Promise<void>;
  /** The CI services' clients (GitHub, GitLab) over `fetch` unless a test brings its own. */
  deliveryClients?: ClientFactory;
  /** The OS the vault runs on (default: this process's); the preview shows others' settings. */
  platform?: NodeJS.Platform;
  /** This computer's name, in the names of the vault's own tokens (default: the host name). */
  computerName?: () => string;
  /** How often every account is refreshed (default 5 minutes; tests walking months use a day). */
  refreshEveryMs?: number;
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
  /** Refreshes every account, then starts the rotation scheduler and the expiry watcher. */
  start(): Promise<void>;
  /** The window was hidden or minimized: values shown once are dropped, and the renderer told. */
  windowHidden(): void;
  stop(): void;
  trayModel(): Promise<TrayModel>;
}

/** At start, the expiry watcher waits this long at most for the fresh lists. */
export const START_WATCH_WAIT_MS = 10_000;

export function createCore(options: CoreOptions): Core {
  const events = new EventBus();
  const keychain = notingWrites(options.secrets);
  const ctx: VaultContext = {
    store: new MetadataStore(options.dataDir, accountCheck(options.cloudHosts)),
    history: new HistoryJournal(options.dataDir),
    secrets: keychain.secrets,
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
  };

  const leftovers = new Leftovers({
    store: ctx.store,
    secrets: ctx.secrets,
    clock: options.clock,
    log: options.log,
    ownWrites: keychain.written,
    changed({ adopted }) {
      events.emit('leftovers.changed', {});
      // An adopted value changes its token's row to "in vault".
      void refreshAccounts(ctx, adopted);
    },
  });
  const checkLeftovers = () =>
    leftovers.check().catch(() => {
      options.log.warn('keychain leftovers not checked');
      return leftovers.reported;
    });

  const ownCredentials = new OwnCredentialScheduler({
    ctx,
    notifier: redactingNotifier(options.notifier ?? { notify: () => undefined }),
    onClick: () => options.onNotificationClick?.(null),
  });
  // Each refresh ends by using the Cloud tokens kept alive whose window is closing, and, while
  // leftovers are reported, by checking them again: a fresh list may show a token to adopt.
  const overviews = new AdminOverviews(ctx);
  const refresher = new Refresher(
    options.clock,
    async () => {
      const result = await refreshAll(ctx);
      // Administrators' overviews opened so far follow, in the background: one can take minutes.
      void overviews.refreshHeld();
      await keepAliveDue(ctx).catch(() => options.log.warn('keep-alive round failed'));
      if (leftovers.reported.length) await checkLeftovers();
      // Then the own credentials due are renewed, and a switch a crash interrupted is resumed.
      await ownCredentials.check();
      return result;
    },
    options.refreshEveryMs,
  );
  // The journal of uses stays bounded: the last uses of each token still held. Not from a vault
  // that could not read its file (it knows no token): that history waits for whoever restores it.
  const compactHistory = async () => {
    const { tokens } = await ctx.store.load();
    if (ctx.store.problem) return;
    const held = new Set(tokens.map((t) => `${t.accountId}\n${t.name}`));
    await ctx.history
      .compact((ref) => held.has(`${ref.accountId}\n${ref.name}`))
      .catch(() => options.log.warn('history not compacted'));
  };
  const rotations = new RotationScheduler(ctx);
  const clients = options.deliveryClients ?? defaultClients(ctx);
  const once = new OnceValues(options.clock);
  const signIn = new BrowserSignIn(ctx, options.openBrowser ?? (() => Promise.resolve()));
  const shownOnce = async <T extends { value: string }>(answer: T) => ({
    ...answer,
    onceId: once.hold(answer.value, (await ctx.store.load()).settings.onceValueMs),
  });
  const handlers: Handlers = {
    'app.status': async () => {
      const { setAside, accounts } = await ctx.store.load();
      const { problem } = ctx.store;
      // All quote the data files, which anyone could have written anything into.
      const problems = [
        ...(problem
          ? [
              `The vault's data file could not be read (${problem.reason}). It was kept as ${problem.keptAs}; the vault started empty.`,
            ]
          : []),
        ...ctx.store.snapshots.problems.map(({ accountId, reason, keptAs }) => {
          const label = accounts.find((a) => a.id === accountId)?.label ?? 'an account';
          return `The last token list of ${label} could not be read (${reason}). It was kept as ${keptAs}; the next refresh fetches it again.`;
        }),
      ];
      return {
        platform: options.platform ?? process.platform,
        setAside: setAside.map(({ account, reason }) => ({
          id: account.id,
          label: redact(account.label),
          reason: redact(reason),
        })),
        storeProblem: problems.length ? redact(problems.join(' ')) : null,
        leftovers: [...(await checkLeftovers())],
      };
    },
    'app.forgetLeftovers': async ({ keys }) => {
      await leftovers.forget(keys);
      return {};
    },
    'accounts.list': () => listAccounts(ctx),
    'accounts.add': (input) => addAccount(ctx, input),
    'accounts.organizations': ({ kind, credential }) => memberOrganizations(ctx, kind, credential),
    'accounts.signIn': (input) => signIn.start(input),
    'accounts.signInResult': ({ signInId }) => signIn.result(signInId),
    'accounts.signInCancel': ({ signInId }) => {
      signIn.cancel(signInId);
      return Promise.resolve({});
    },
    'tokens.generationRules': ({ accountId }) => generationRules(ctx, accountId),
    'projects.search': ({ accountId, query }) => searchProjects(ctx, accountId, query),
    'accounts.replaceCredential': ({ accountId, credential }) =>
      replaceCredential(ctx, accountId, credential),
    'accounts.adoptOwnCredential': ({ accountId }) => adoptOwnCredential(ctx, accountId),
    'accounts.dismissPastedCredential': async ({ accountId }) => {
      await dismissPastedCredential(ctx, accountId);
      return {};
    },
    'accounts.remove': async ({ accountId }) => {
      await removeAccount(ctx, accountId);
      return {};
    },
    'settings.get': async () => (await ctx.store.load()).settings,
    'settings.update': async (patch) => {
      const { settings } = await ctx.store.update((m) => {
        Object.assign(m.settings, patch);
        // Only the vault's own accounts can be muted: any other string sent would be written to
        // disk as it came, a token value passing for an id (40 hex characters) included.
        const ids = new Set([...m.accounts, ...m.setAside.map((s) => s.account)].map((a) => a.id));
        m.settings.mutedAccounts = m.settings.mutedAccounts.filter((id) => ids.has(id));
      });
      events.emit('settings.changed', {});
      return settings;
    },
    'tokens.refreshAll': ({ reason }) => refresher.refresh(reason),
    'tokens.all': async () => {
      const { accounts, snapshots } = await ctx.store.load();
      return accounts.flatMap((a) => {
        const snapshot = snapshots[a.id];
        // Stale when the last call to that server failed (the status is learnt per call).
        const failing = ctx.status.get(a.id)?.status;
        // Marked as the account stands now: a list kept from before a switch names the old token.
        return snapshot
          ? [
              {
                accountId: a.id,
                ...snapshot,
                tokens: markOwnCredential(a, snapshot.tokens),
                stale: failing !== undefined && failing !== 'ok',
              },
            ]
          : [];
      });
    },
    'tokens.list': ({ accountId }) => listTokens(ctx, accountId),
    'tokens.generate': async (input) => shownOnce(await generateToken(ctx, input)),
    'tokens.revoke': async (ref) => {
      await revokeToken(ctx, ref);
      await overviews.revoked(ref);
      return {};
    },
    'users.search': ({ accountId, query, page }) => searchUsers(ctx, accountId, query, page),
    'admin.overview': ({ accountId, refresh }) => overviews.overview(accountId, refresh),
    'tokens.forget': async (ref) => {
      await forgetToken(ctx, ref);
      return {};
    },
    'tokens.import': (input) => importToken(ctx, input),
    'tokens.setKeepAlive': (input) => setKeepAlive(ctx, input),
    'tokens.listFor': ({ accountId, login }) => listTokensFor(ctx, accountId, login),
    'tokens.rotate': async (input) => shownOnce(await rotateToken(ctx, input)),
    'tokens.completeRotation': async (ref) => {
      await completeRotation(ctx, ref);
      return {};
    },
    'tokens.cancelRotation': async (ref) => {
      await cancelRotation(ctx, ref);
      return {};
    },
    'tokens.copy': ({ via, ...ref }) => copyToken(ctx, ref, via),
    'tokens.copyOnce': async ({ onceId }) => {
      const { clipboardClearMs } = (await ctx.store.load()).settings;
      await ctx.clipboard.copy(once.value(onceId), clipboardClearMs);
      options.log.info('value shown once copied');
      return { clearAfterMs: clipboardClearMs };
    },
    'tokens.reveal': (ref) => revealToken(ctx, ref),
    'tokens.history': (ref) => ctx.history.list(ref),
    'delivery.list': (ref) => listDeliveries(ctx, ref),
    'delivery.add': (input) => addDelivery(ctx, clients, input),
    'delivery.remove': async ({ id }) => {
      await removeDelivery(ctx, id);
      return {};
    },
    'delivery.deliver': ({ id }) => deliverNow(ctx, clients, id),
    'tokens.rotateAndDeliver': (ref) => rotateAndDeliver(ctx, clients, ref),
    'tokens.retryDelivery': (ref) => retryDelivery(ctx, clients, ref),
  };

  const watcher = new ExpiryWatcher({
    store: ctx.store,
    clock: options.clock,
    notifier: redactingNotifier(options.notifier ?? { notify: () => undefined }),
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
    // Every rotation step ends with a fresh list; an account removed takes its rotations along.
    if (event === 'tokens.changed' || event === 'accounts.changed') void rotations.replan();
    if (event === 'tokens.changed' || event === 'accounts.changed') void ownCredentials.replan();
  });

  return {
    dispatch: createDispatch(handlers, options.log),
    events,
    store: ctx.store,
    clipboard: ctx.clipboard,
    watcher,
    rotations,
    ownCredentials,
    async start() {
      await compactHistory();
      // Fresh lists first, so what happened while the app was off arrives as one summary (and
      // rotations whose predecessor is already gone are over before the scheduler looks). The
      // watcher waits START_WATCH_WAIT_MS at most: a hung server must not keep it from the last lists.
      let watching: Promise<void> | null = null;
      const early = options.clock.setTimeout(() => {
        watching = watcher.start();
      }, START_WATCH_WAIT_MS);
      try {
        await refresher.start();
        await checkLeftovers();
        await rotations.start();
        await ownCredentials.start();
      } finally {
        early.cancel();
      }
      await (watching ?? watcher.start());
    },
    windowHidden() {
      once.clear();
      events.emit('window.hidden', {});
    },
    stop() {
      once.clear();
      overviews.stop();
      signIn.cancelAll();
      ctx.signIns.clear();
      refresher.stop();
      rotations.stop();
      ownCredentials.stop();
      watcher.stop();
    },
    trayModel: async () => trayModel(await ctx.store.load(), options.clock.now()),
  };
}
