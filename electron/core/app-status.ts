/**
 * What the window says of the vault itself: a data file it could not read, accounts set aside,
 * and keychain entries vault.json does not know (leftovers, adopted or reported). The leftovers
 * are checked at start, after refreshes while some are reported, and when the window asks.
 */
import type { VaultContext } from './context';
import { done, type HandlerSlice } from './ipc/dispatch';
import { redact } from './redact';
import { Leftovers, type Leftover } from './storage/leftovers';

export interface KeychainLeftovers {
  readonly leftovers: Leftovers;
  /** Checks again; a keychain that fails the check leaves the last report. */
  check(): Promise<readonly Leftover[]>;
}

/** `adopted`: a value adopted changes its account's rows ("in vault"): refresh those accounts. */
export function keychainLeftovers(
  ctx: VaultContext,
  adopted: (accountIds: readonly string[]) => void,
): KeychainLeftovers {
  const leftovers = new Leftovers({
    store: ctx.store,
    secrets: ctx.secrets,
    clock: ctx.clock,
    log: ctx.log,
    ownWrites: ctx.written,
    changed(change) {
      ctx.events.emit('leftovers.changed', {});
      adopted(change.adopted);
    },
  });
  const check = () =>
    leftovers.check().catch(() => {
      ctx.log.warn('keychain leftovers not checked');
      return leftovers.reported;
    });
  return { leftovers, check };
}

export function appHandlers(
  ctx: VaultContext,
  keychain: KeychainLeftovers,
  platform: NodeJS.Platform,
): HandlerSlice<'app.status' | 'app.forgetLeftovers'> {
  return {
    'app.status': async () => {
      const { setAside } = await ctx.store.load();
      return {
        platform,
        setAside: setAside.map(({ account, reason }) => ({
          id: account.id,
          label: redact(account.label),
          reason: redact(reason),
        })),
        storeProblem: (await ctx.store.problemsInWords()).join(' ') || null,
        leftovers: [...(await keychain.check())],
      };
    },
    'app.forgetLeftovers': ({ keys }) => done(keychain.leftovers.forget(keys)),
  };
}
