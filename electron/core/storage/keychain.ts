/**
 * The vault's writes and deletes in the keychain, kept consistent with vault.json when the
 * keychain answers too late. A call given up on (see time-limit.ts) may still complete:
 * - a write that lands is undone unless, by then, the vault recorded the key as held, so the
 *   keychain never keeps a value the vault does not know of (and would never forget);
 * - a delete that lands is recorded, so vault.json stops claiming the value;
 * - until it has landed, the key takes no other write or delete, so that reconciliation cannot
 *   undo a later call.
 */
import { VaultError } from '@core/errors';
import type { Logger, SecretStore } from '@core/ports';
import type { MetadataStore } from './metadata-store';
import type { Metadata } from './schema';
import { KeychainTimeout } from './time-limit';

/** What keychain writes need: the keychain, vault.json to reconcile with, a log. */
export interface KeychainContext {
  readonly secrets: SecretStore;
  readonly store: MetadataStore;
  readonly log: Logger;
}

const unsettled = new WeakMap<KeychainContext, Set<string>>();

/** Writes `value`; `held` says whether vault.json records `key` (to keep a write that lands late). */
export async function keepSecret(
  ctx: KeychainContext,
  key: string,
  value: string,
  held: (metadata: Metadata) => boolean,
): Promise<void> {
  await settled(
    ctx,
    key,
    () => ctx.secrets.set(key, value),
    async () => {
      if (!held(await ctx.store.load())) await ctx.secrets.delete(key);
    },
  );
}

/** Deletes `key`; `forget` drops what vault.json says of it, should the delete land late. */
export function deleteSecret(
  ctx: KeychainContext,
  key: string,
  forget: (draft: Metadata) => void = () => undefined,
): Promise<boolean> {
  return settled(
    ctx,
    key,
    () => ctx.secrets.delete(key),
    () => ctx.store.update(forget),
  );
}

async function settled<T>(
  ctx: KeychainContext,
  key: string,
  call: () => Promise<T>,
  reconcile: () => Promise<unknown>,
): Promise<T> {
  const keys = unsettled.get(ctx) ?? new Set<string>();
  unsettled.set(ctx, keys);
  if (keys.has(key)) {
    throw new VaultError(
      'keychain-unavailable',
      'The keychain has not answered an earlier request for this entry yet; is it locked? Unlock it and try again.',
    );
  }
  try {
    return await call();
  } catch (error) {
    if (error instanceof KeychainTimeout) {
      keys.add(key);
      void error.landed
        .then((landed) => (landed ? reconcile() : undefined))
        .catch(() => ctx.log.warn('keychain entry not reconciled', { key }))
        .finally(() => keys.delete(key));
    }
    throw error;
  }
}
