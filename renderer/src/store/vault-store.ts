/**
 * The renderer's one store: what the vault has told us (accounts, token lists, settings) and the
 * toasts. Time is not kept here: views that show it read the shared clock (./clock.ts).
 *
 * Secrets never enter this store: `generateToken` and `revealToken` hand the value back to the
 * calling component, which keeps it in its own state only while it is shown; a copy happens in
 * the core and never brings the value here at all.
 */
import { create } from 'zustand';
import type {
  AccountView,
  AdminOverview,
  AdminProgress,
  CallInput,
  CallOutput,
  HistoryEntry,
  Settings,
  TokenList,
  TokenRef,
} from '@contract';
import { errorMessage } from '@renderer/error-message';
import { copiedMessage } from '@renderer/format';
import { call } from '@renderer/vault-client';
import { clock } from './clock';

export interface TokenListState {
  list?: TokenList;
  loading: boolean;
  error?: string;
}

/** An administrator's overview of every user's expiring tokens, per account. */
export interface OverviewState {
  overview?: AdminOverview;
  /** How far the scan running now has come; none when no scan runs. */
  progress?: AdminProgress;
  loading: boolean;
  error?: string;
}

export interface Toast {
  id: number;
  text: string;
  /** Errors are announced assertively (role="alert"), the rest politely (role="status"). */
  tone: 'info' | 'error';
  /** When the shared clock drops it. */
  until: number;
}

export type Generated = CallOutput<'tokens.generate'>;
export type Revealed = CallOutput<'tokens.reveal'>;
export type Rotated = CallOutput<'tokens.rotate'>;

/** Actions are function-typed properties: components take them out of the store unbound. */
export interface VaultState {
  /** The core's start-up warning (an unreadable data file set aside), until dismissed. */
  storeProblem: string | null;
  /** The OS the vault runs on, once known (for settings only one OS has). */
  platform: string | null;
  /** Accounts whose stored entry failed its checks: unused until the user removes them. */
  setAside: CallOutput<'app.status'>['setAside'];
  /** Keychain entries the vault has no record of (a write interrupted before it was recorded). */
  leftovers: CallOutput<'app.status'>['leftovers'];
  accounts: AccountView[];
  accountsLoaded: boolean;
  accountsLoading: boolean;
  accountsError?: string;
  selectedAccountId: string | null;
  /**
   * What the main area shows: the selected account, every account's tokens together, or an
   * administrator's overview of every user's expiring tokens (of `overviewAccountId`).
   */
  view: 'account' | 'all-tokens' | 'admin-overview';
  overviewAccountId: string | null;
  /** Per account id: administrators' overviews (other users' tokens, held in memory only). */
  overviews: Record<string, OverviewState>;
  /** 'tokens.all' is being asked for (the lists it brings land in `tokens`, like any other). */
  allTokensLoading: boolean;
  allTokensError?: string;
  /** Per account id: the one source of truth for every token list, whichever view shows it. */
  tokens: Record<string, TokenListState>;
  /** The core's settings, once loaded; null until then. */
  settings: Settings | null;
  settingsError?: string;
  /** The token a notification pointed at, until another account is chosen. */
  highlight: TokenRef | null;
  toasts: Toast[];
  /** The last copy or reveal of a held value (here, from the tray, or the command line), so a token's detail shows it. */
  lastUse: { ref: TokenRef; at: number } | null;
  /** How many modal dialogs are open: the shell behind them is inert while this is above 0. */
  modalDepth: number;

  loadStatus: () => Promise<void>;
  dismissStoreProblem: () => void;
  /** Removes a set-aside account and its keychain entries. */
  removeSetAside: (accountId: string) => Promise<void>;
  /** Asks again which keychain leftovers there are (on leftovers.changed). */
  loadLeftovers: () => Promise<void>;
  /** Deletes every leftover shown from the keychain; reports the outcome as a toast. */
  forgetLeftovers: () => Promise<void>;
  loadAccounts: () => Promise<void>;
  selectAccount: (accountId: string) => void;
  loadTokens: (accountId: string) => Promise<void>;
  /** Shows every account's tokens together, from the lists the vault holds ('tokens.all'). */
  openAllTokens: () => void;
  /**
   * Asks the vault for every account's last list (no server request) and keeps them in `tokens`:
   * at start, every account shows its last known list at once while its server is asked again.
   */
  loadAllTokens: () => Promise<void>;
  /** Shows an administrator's overview of every user's expiring tokens, and refreshes it. */
  openAdminOverview: (accountId: string) => void;
  /** Asks for a fresh overview (the one the core holds shows meanwhile, if this store has none). */
  loadOverview: (accountId: string) => Promise<void>;
  /** An overview the core pushed (admin.overviewChanged): a scan ended, or a token left it. */
  receiveOverview: (overview: AdminOverview) => void;
  receiveOverviewProgress: (progress: AdminProgress) => void;
  /** An administrator's user picker. Throws VaultCallError. */
  searchUsers: (input: CallInput<'users.search'>) => Promise<CallOutput<'users.search'>>;
  /** Cloud: keep a held token alive (or stop); reports a failure as a toast. */
  setKeepAlive: (ref: TokenRef, enabled: boolean) => Promise<void>;
  /** A list the core pushed (tokens.changed): whoever asked, every view shows the fresh one. */
  receiveTokens: (list: TokenList) => void;
  /** Loads the settings (at start and on settings.changed). */
  loadSettings: () => Promise<void>;
  /** Changes the given settings only; throws VaultCallError, whose message the dialog shows. */
  saveSettings: (patch: CallInput<'settings.update'>) => Promise<Settings>;
  /** Throws VaultCallError: the dialog shows its message. */
  addAccount: (input: CallInput<'accounts.add'>) => Promise<AccountView>;
  /** Throws VaultCallError. The value in the answer is the caller's to show once and drop. */
  generateToken: (input: CallInput<'tokens.generate'>) => Promise<Generated>;
  /**
   * Revokes on the server; the core forgets the value once the server confirms. With `login`, an
   * administrator revokes another user's token. Throws VaultCallError.
   */
  revokeToken: (ref: CallInput<'tokens.revoke'>) => Promise<void>;
  /** Starts a rotation; the successor's value is the caller's to show once and drop. Throws VaultCallError. */
  rotateToken: (input: CallInput<'tokens.rotate'>) => Promise<Rotated>;
  /** Revokes the predecessor `ref.name` of a rotation. Throws VaultCallError. */
  completeRotation: (ref: TokenRef) => Promise<void>;
  /** Abandons the rotation of predecessor `ref.name`; reports the outcome as a toast. */
  cancelRotation: (ref: TokenRef) => Promise<void>;
  /** An administrator's look at another user's tokens (never kept in the store). Throws VaultCallError. */
  listTokensFor: (input: CallInput<'tokens.listFor'>) => Promise<TokenList>;
  /** Forgets a held value (the token on the server is not touched). Throws VaultCallError. */
  forgetToken: (ref: TokenRef) => Promise<void>;
  /**
   * Hands a pasted value to the core, which checks it with the server before keeping it. The value
   * passes through, never into the store. Throws VaultCallError.
   */
  importToken: (input: CallInput<'tokens.import'>) => Promise<void>;
  /** A new credential for the account (same user); passes through like an imported value. */
  replaceCredential: (input: CallInput<'accounts.replaceCredential'>) => Promise<void>;
  /** The vault makes its own token for the account; null (with an error toast) on failure. */
  adoptOwnCredential: (accountId: string) => Promise<AccountView | null>;
  /** Stops offering to revoke the pasted token; reports a failure as a toast. */
  dismissPastedCredential: (accountId: string) => Promise<void>;
  /** The window came back: every account refreshes, unless the core refreshed moments ago. */
  refreshOnFocus: () => Promise<void>;
  /** Copies in the core; reports success or failure as a toast. */
  copyToken: (ref: TokenRef) => Promise<boolean>;
  /** Copies a value shown once, by its handle, through the core (like any copy). */
  copyOnce: (onceId: string) => Promise<boolean>;
  /** The value for the caller to show until `hideAfterMs`; null (with an error toast) on failure. */
  revealToken: (ref: TokenRef) => Promise<Revealed | null>;
  /** A token's last copies and reveals, newest first (never a value). Throws VaultCallError. */
  tokenHistory: (ref: TokenRef) => Promise<HistoryEntry[]>;
  /** A held value was copied or revealed (tokens.historyChanged, or a copy from this window). */
  historyChanged: (ref: TokenRef) => void;
  /** A notification was clicked: show that account and point at the token. */
  focusToken: (ref: TokenRef) => void;
  toast: (text: string, tone?: Toast['tone']) => void;
  dismissToast: (id: number) => void;
  modalOpened: () => void;
  modalClosed: () => void;
}

const TOAST_MS = 4_000;
const ERROR_TOAST_MS = 8_000;

let nextToastId = 1;
/** The shared clock's watch that drops toasts when their time is up; none while there is none. */
let stopToastWatch: (() => void) | null = null;
/** The latest request per account: an older answer arriving late must not overwrite a newer one. */
const tokenRequests = new Map<string, number>();
let accountsRequest = 0;
let allTokensRequest = 0;
/** The latest overview request per account, as for token lists. */
const overviewRequests = new Map<string, number>();
/** Same for settings: a load started before a save must not bring back the older values. */
let settingsRequest = 0;

export const useVaultStore = create<VaultState>()((set, get) => {
  /** A copy's outcome as a toast: when the clipboard will be cleared, or why it failed. */
  async function copied(copy: Promise<{ clearAfterMs: number }>): Promise<boolean> {
    try {
      get().toast(copiedMessage((await copy).clearAfterMs));
      return true;
    } catch (error) {
      get().toast(errorMessage(error), 'error');
      return false;
    }
  }

  function patchTokens(accountId: string, patch: Partial<TokenListState>): void {
    set((s) => {
      const current = s.tokens[accountId];
      // A list asked for earlier that arrives later does not replace a fresher one.
      const older = patch.list && current?.list && current.list.refreshedAt > patch.list.refreshedAt;
      const { list: _older, ...rest } = patch;
      return {
        tokens: { ...s.tokens, [accountId]: { loading: false, ...current, ...(older ? rest : patch) } },
      };
    });
  }

  /** Watches the clock for the soonest toast to go (again, as toasts come and go). */
  function watchToasts(): void {
    stopToastWatch?.();
    const { toasts } = get();
    stopToastWatch = toasts.length
      ? clock.watch(
          (now) => {
            const soonest = Math.min(...get().toasts.map((t) => t.until));
            return Number.isFinite(soonest) && soonest > now ? soonest : null;
          },
          (now) => {
            set((s) => ({ toasts: s.toasts.filter((t) => t.until > now) }));
            watchToasts();
          },
        )
      : null;
  }

  function patchOverview(accountId: string, patch: Partial<OverviewState>): void {
    set((s) => {
      const current = s.overviews[accountId];
      // An overview from an earlier scan that arrives later does not replace a fresher one.
      const older =
        patch.overview && current?.overview && current.overview.refreshedAt > patch.overview.refreshedAt;
      const { overview: _older, ...rest } = patch;
      return {
        overviews: {
          ...s.overviews,
          [accountId]: { loading: false, ...current, ...(older ? rest : patch) },
        },
      };
    });
  }

  return {
    storeProblem: null,
    overviewAccountId: null,
    overviews: {},
    accounts: [],
    accountsLoaded: false,
    accountsLoading: false,
    selectedAccountId: null,
    view: 'account',
    allTokensLoading: false,
    tokens: {},
    settings: null,
    platform: null,
    setAside: [],
    leftovers: [],
    highlight: null,
    toasts: [],
    lastUse: null,
    modalDepth: 0,

    async loadStatus() {
      try {
        const { storeProblem, platform, setAside, leftovers } = await call('app.status', {});
        set({ storeProblem, platform, setAside, leftovers });
      } catch (error) {
        get().toast(errorMessage(error), 'error');
      }
    },

    dismissStoreProblem() {
      set({ storeProblem: null });
    },

    async removeSetAside(accountId) {
      try {
        await call('accounts.remove', { accountId });
        set((s) => ({ setAside: s.setAside.filter((a) => a.id !== accountId) }));
      } catch (error) {
        get().toast(errorMessage(error), 'error');
      }
    },

    async loadLeftovers() {
      try {
        set({ leftovers: (await call('app.status', {})).leftovers });
      } catch (error) {
        get().toast(errorMessage(error), 'error');
      }
    },

    async forgetLeftovers() {
      const keys = get().leftovers.map((l) => l.key);
      if (!keys.length) return;
      try {
        await call('app.forgetLeftovers', { keys });
        set((s) => ({ leftovers: s.leftovers.filter((l) => !keys.includes(l.key)) }));
        get().toast(keys.length === 1 ? 'Value forgotten' : 'Values forgotten');
      } catch (error) {
        get().toast(errorMessage(error), 'error');
        await get().loadLeftovers();
      }
    },

    async loadAccounts() {
      const request = ++accountsRequest;
      set({ accountsLoading: true });
      try {
        const accounts = await call('accounts.list', {});
        if (request !== accountsRequest) return;
        const ids = new Set(accounts.map((a) => a.id));
        const { selectedAccountId, tokens } = get();
        const keptTokens = Object.fromEntries(Object.entries(tokens).filter(([id]) => ids.has(id)));
        const selectionGone = selectedAccountId === null || !ids.has(selectedAccountId);
        const allView = get().view === 'all-tokens';
        set({
          accounts,
          accountsLoaded: true,
          accountsLoading: false,
          accountsError: undefined,
          tokens: keptTokens,
          ...(selectionGone ? { selectedAccountId: null } : {}),
        });
        const first = accounts[0];
        // Every account's last known list, from the vault (no server asked), shows at once: the
        // sidebar's counts, all tokens, and the account opened while its server is asked again.
        if (accounts.some((a) => !get().tokens[a.id]?.list)) void get().loadAllTokens();
        if (allView) {
          // Stay on all tokens: pick the account to come back to.
          if (selectionGone && first) set({ selectedAccountId: first.id });
        } else if (selectionGone && first) get().selectAccount(first.id);
      } catch (error) {
        if (request !== accountsRequest) return;
        set({ accountsLoading: false, accountsError: errorMessage(error) });
      }
    },

    selectAccount(accountId) {
      const { highlight } = get();
      set({
        selectedAccountId: accountId,
        view: 'account',
        highlight: highlight?.accountId === accountId ? highlight : null,
      });
      // Always ask again: expiry and last-use dates move on the server while we look elsewhere.
      void get().loadTokens(accountId);
    },

    async loadTokens(accountId) {
      const request = (tokenRequests.get(accountId) ?? 0) + 1;
      tokenRequests.set(accountId, request);
      patchTokens(accountId, { loading: true, error: undefined });
      try {
        const list = await call('tokens.list', { accountId });
        if (tokenRequests.get(accountId) !== request) return;
        patchTokens(accountId, { list, loading: false, error: undefined });
      } catch (error) {
        if (tokenRequests.get(accountId) !== request) return;
        // The last good list stays on screen under the error: still better than nothing.
        patchTokens(accountId, { loading: false, error: errorMessage(error) });
      }
    },

    openAllTokens() {
      set({ view: 'all-tokens', highlight: null });
      void get().loadAllTokens();
    },

    async loadAllTokens() {
      const request = ++allTokensRequest;
      set({ allTokensLoading: true, allTokensError: undefined });
      try {
        const lists = await call('tokens.all', {});
        if (request !== allTokensRequest) return;
        const known = new Set(get().accounts.map((a) => a.id));
        set((s) => {
          const tokens = { ...s.tokens };
          for (const list of lists) {
            if (!known.has(list.accountId)) continue;
            const current = tokens[list.accountId];
            // A list the store already has from a later answer stays: the vault's is not newer.
            if (current?.list && current.list.refreshedAt > list.refreshedAt) continue;
            tokens[list.accountId] = { loading: false, ...current, list };
          }
          return { tokens, allTokensLoading: false };
        });
      } catch (error) {
        if (request !== allTokensRequest) return;
        set({ allTokensLoading: false, allTokensError: errorMessage(error) });
      }
    },

    openAdminOverview(accountId) {
      set({ view: 'admin-overview', overviewAccountId: accountId, highlight: null });
      void get().loadOverview(accountId);
    },

    async loadOverview(accountId) {
      const request = (overviewRequests.get(accountId) ?? 0) + 1;
      overviewRequests.set(accountId, request);
      patchOverview(accountId, { loading: true, error: undefined });
      // Joined by the core to the same scan: the overview it holds (if any) shows at once.
      if (!get().overviews[accountId]?.overview) {
        call('admin.overview', { accountId, refresh: false }).then(
          (overview) => patchOverview(accountId, { overview }),
          () => undefined,
        );
      }
      try {
        const overview = await call('admin.overview', { accountId, refresh: true });
        if (overviewRequests.get(accountId) !== request) return;
        patchOverview(accountId, { overview, loading: false, progress: undefined, error: undefined });
      } catch (error) {
        if (overviewRequests.get(accountId) !== request) return;
        patchOverview(accountId, { loading: false, progress: undefined, error: errorMessage(error) });
      }
    },

    receiveOverview(overview) {
      patchOverview(overview.accountId, { overview, progress: undefined });
    },

    receiveOverviewProgress(progress) {
      patchOverview(progress.accountId, { progress });
    },

    searchUsers: (input) => call('users.search', input),

    async setKeepAlive(ref, enabled) {
      try {
        const token = await call('tokens.setKeepAlive', { ...ref, enabled });
        set((s) => {
          const state = s.tokens[ref.accountId];
          if (!state?.list) return {};
          const tokens = state.list.tokens.map((t) => (t.name === token.name ? token : t));
          return { tokens: { ...s.tokens, [ref.accountId]: { ...state, list: { ...state.list, tokens } } } };
        });
      } catch (error) {
        get().toast(errorMessage(error), 'error');
      }
    },

    receiveTokens(list) {
      patchTokens(list.accountId, { list, error: undefined });
    },

    async loadSettings() {
      const request = ++settingsRequest;
      try {
        const settings = await call('settings.get', {});
        if (request !== settingsRequest) return;
        set({ settings, settingsError: undefined });
      } catch (error) {
        if (request !== settingsRequest) return;
        set({ settingsError: errorMessage(error) });
      }
    },

    async saveSettings(patch) {
      const request = ++settingsRequest;
      const settings = await call('settings.update', patch);
      if (request === settingsRequest) set({ settings, settingsError: undefined });
      return settings;
    },

    async addAccount(input) {
      const account = await call('accounts.add', input);
      // The core also says accounts.changed; loading here does not depend on that event.
      await get().loadAccounts();
      get().selectAccount(account.id);
      return account;
    },

    // The table refreshes from the core's tokens.changed event, which every generate sends.
    generateToken: (input) => call('tokens.generate', input),

    // The lists refresh from the core's tokens.changed event, which each of these three sends.
    async revokeToken(ref) {
      await call('tokens.revoke', ref);
    },

    // The lists refresh from the core's tokens.changed event, which every rotation step sends.
    rotateToken: (input) => call('tokens.rotate', input),

    async completeRotation(ref) {
      await call('tokens.completeRotation', ref);
    },

    async cancelRotation(ref) {
      try {
        await call('tokens.cancelRotation', ref);
        get().toast('Rotation cancelled');
      } catch (error) {
        get().toast(errorMessage(error), 'error');
      }
    },

    listTokensFor: (input) => call('tokens.listFor', input),

    async forgetToken(ref) {
      await call('tokens.forget', ref);
    },

    async importToken(input) {
      await call('tokens.import', input);
    },

    async replaceCredential(input) {
      await call('accounts.replaceCredential', input);
      // The account's status comes back with accounts.changed; its list is asked for again here.
      void get().loadTokens(input.accountId);
    },

    async adoptOwnCredential(accountId) {
      try {
        const account = await call('accounts.adoptOwnCredential', { accountId });
        // The core also says accounts.changed; the header shows the new credential at once.
        await get().loadAccounts();
        return account;
      } catch (error) {
        get().toast(errorMessage(error), 'error');
        return null;
      }
    },

    async dismissPastedCredential(accountId) {
      try {
        await call('accounts.dismissPastedCredential', { accountId });
        await get().loadAccounts();
      } catch (error) {
        get().toast(errorMessage(error), 'error');
      }
    },

    async refreshOnFocus() {
      try {
        await call('tokens.refreshAll', { reason: 'focus' });
      } catch {
        // Nobody asked for this refresh: a failure shows in each account's status and list instead.
      }
    },

    async copyToken(ref) {
      const done = await copied(call('tokens.copy', { accountId: ref.accountId, name: ref.name }));
      if (done) get().historyChanged(ref);
      return done;
    },
    copyOnce: (onceId) => copied(call('tokens.copyOnce', { onceId })),

    async revealToken(ref) {
      try {
        const revealed = await call('tokens.reveal', { accountId: ref.accountId, name: ref.name });
        get().historyChanged(ref);
        return revealed;
      } catch (error) {
        get().toast(errorMessage(error), 'error');
        return null;
      }
    },

    tokenHistory: (ref) => call('tokens.history', { accountId: ref.accountId, name: ref.name }),

    historyChanged(ref) {
      set({ lastUse: { ref: { accountId: ref.accountId, name: ref.name }, at: Date.now() } });
    },

    focusToken(ref) {
      set({ highlight: ref });
      get().selectAccount(ref.accountId);
    },

    toast(text, tone = 'info') {
      const until = clock.now() + (tone === 'error' ? ERROR_TOAST_MS : TOAST_MS);
      set((s) => ({ toasts: [...s.toasts, { id: nextToastId++, text, tone, until }] }));
      watchToasts();
    },

    dismissToast(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
      watchToasts();
    },

    modalOpened() {
      set((s) => ({ modalDepth: s.modalDepth + 1 }));
    },

    modalClosed() {
      set((s) => ({ modalDepth: Math.max(0, s.modalDepth - 1) }));
    },
  };
});

/** The selected account, or undefined. */
export function useSelectedAccount(): AccountView | undefined {
  return useVaultStore((s) => s.accounts.find((a) => a.id === s.selectedAccountId));
}
