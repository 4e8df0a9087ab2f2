/**
 * The vault's writes and deletes in the keychain, kept consistent with vault.json when the
 * keychain answers too late. A call given up on (see secrets/time-limit.ts) may still complete:
 * - a write that lands is undone unless, by then, the vault recorded the key as held, so the
 *   keychain never keeps a value the vault does not know of (and would never forget);
 * - a delete that lands is recorded, so vault.json stops claiming the value;
 * - until it has landed, the key takes no other write or delete, so that reconciliation cannot
 *   undo a later call.
 */
import { VaultError } from '@core/errors';
import { KeychainTimeout } from './time-limit';
import type { VaultContext } from '@core/context';
import type { Metadata } from './metadata-store';

const unsettled = new WeakMap<VaultContext, Set<string>>();

/** Writes `value`; `held` says whether vault.json records `key` (to keep a write that lands late). */
export async function keepSecret(
  ctx: VaultContext,
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
  ctx: VaultContext,
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
  ctx: VaultContext,
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
