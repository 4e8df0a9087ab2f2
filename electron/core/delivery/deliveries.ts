/**
 * A token's delivery targets: the CI secret stores its value is used from (GitHub Actions
 * secrets, GitLab CI/CD variables). A target's record is in vault.json, its service credential in
 * the keychain (written first, as token values are). A delivery counts once the service confirms
 * it (clients.ts).
 *
 * Rotate and deliver: the successor is generated and kept, delivered to every target and
 * confirmed, and only then is the predecessor revoked. A target that fails keeps the predecessor
 * alive (the rotation stays open, waiting for no timer), is named, and can be retried.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryRun, DeliveryTarget, DeliveryView, TokenRef } from '@contract';
import { errorWords, VaultError } from '@core/errors';
import { findAccount } from '@core/accounts/access';
import { type VaultContext } from '@core/context';
import { secretKeys } from '@core/storage/keys';
import { deleteSecret, keepSecret } from '@core/storage/keychain';
import type { Metadata } from '@core/storage/schema';
import { completeRotation, rotateToken } from '@core/tokens/rotation';
import { heldValue } from '@core/tokens/values';
import { listTokens } from '@core/tokens/list';
import { deliveryClient, targetLabel } from './clients';
import type { DeliveryClient } from './http';
import type { DeliveryRecord } from '@core/storage/schema';

/** How a target's client is made: the real one, or a test's. */
export type ClientFactory = (target: DeliveryTarget, credential: string) => DeliveryClient;

export function defaultClients(ctx: VaultContext): ClientFactory {
  return (target, credential) => deliveryClient(target, credential, { fetch: ctx.fetch });
}

export async function listDeliveries(ctx: VaultContext, ref: TokenRef): Promise<DeliveryView[]> {
  return targetsOf(await ctx.store.load(), ref).map(toView);
}

/** Checks the credential against the target, keeps it in the keychain, then records the target. */
export async function addDelivery(
  ctx: VaultContext,
  clients: ClientFactory,
  input: TokenRef & { target: DeliveryTarget; credential: string },
): Promise<DeliveryView> {
  const { target, credential, ...ref } = input;
  await findAccount(ctx, ref.accountId);
  const label = targetLabel(target);
  if (targetsOf(await ctx.store.load(), ref).some((d) => targetLabel(d.target) === label)) {
    throw new VaultError('rejected', `"${ref.name}" is already delivered to ${label}.`);
  }
  await clients(target, credential).check();
  const record: DeliveryRecord = { id: randomUUID(), accountId: ref.accountId, tokenName: ref.name, target };
  const key = secretKeys.delivery(record.id);
  await keepSecret(ctx, key, credential, (m) => (m.deliveries ?? []).some((d) => d.id === record.id));
  await ctx.store.update((m) => {
    m.deliveries = [...(m.deliveries ?? []), record];
  });
  ctx.log.info('delivery target added', { account: ref.accountId, name: ref.name, kind: target.kind });
  await changed(ctx, ref, true);
  return toView(record);
}

export async function removeDelivery(ctx: VaultContext, id: string): Promise<void> {
  const record = await findDelivery(ctx, id);
  await deleteSecret(ctx, secretKeys.delivery(id), (m) => dropDelivery(m, id));
  await ctx.store.update((m) => dropDelivery(m, id));
  await changed(ctx, { accountId: record.accountId, name: record.tokenName }, true);
}

/** Delivers the held value of the target's token now. */
export async function deliverNow(
  ctx: VaultContext,
  clients: ClientFactory,
  id: string,
): Promise<DeliveryView> {
  const record = await findDelivery(ctx, id);
  const ref = { accountId: record.accountId, name: record.tokenName };
  const value = await heldValue(ctx, ref);
  const delivered = await deliverTo(ctx, clients, record, ref.name, value);
  await changed(ctx, ref);
  if (!delivered.last?.ok) {
    throw new VaultError('rejected', `${targetLabel(record.target)}: ${delivered.last?.message ?? ''}`);
  }
  return toView(delivered);
}

/** Rotates a delivered token: successor, every delivery confirmed, then the predecessor revoked. */
export async function rotateAndDeliver(
  ctx: VaultContext,
  clients: ClientFactory,
  ref: TokenRef,
): Promise<DeliveryRun> {
  if (!targetsOf(await ctx.store.load(), ref).length) {
    throw new VaultError('rejected', `"${ref.name}" has no delivery target: add one, or rotate it alone.`);
  }
  // No revoke delay: the predecessor waits for its deliveries, however long they take.
  const rotated = await rotateToken(ctx, ref);
  const rotation = { predecessor: rotated.predecessor, successor: rotated.token.name };
  ctx.log.info('rotate and deliver started', { account: ref.accountId, ...rotation });
  // The value came with the rotation: its deliveries need no keychain read (a retry will).
  return deliverRotation(ctx, clients, ref.accountId, rotation, rotated.value);
}

/** Tries a rotation's undelivered targets again (`ref`: either of its tokens), then completes it. */
export async function retryDelivery(
  ctx: VaultContext,
  clients: ClientFactory,
  ref: TokenRef,
): Promise<DeliveryRun> {
  const metadata = await ctx.store.load();
  const rotation = metadata.rotations?.find(
    (r) => r.accountId === ref.accountId && (r.predecessor === ref.name || r.successor === ref.name),
  );
  if (!rotation) {
    throw new VaultError('not-found', `"${ref.name}" is in no rotation waiting for its deliveries.`);
  }
  const value = await heldValue(ctx, { accountId: ref.accountId, name: rotation.successor });
  return deliverRotation(ctx, clients, ref.accountId, rotation, value);
}

async function deliverRotation(
  ctx: VaultContext,
  clients: ClientFactory,
  accountId: string,
  { predecessor, successor }: { predecessor: string; successor: string },
  value: string,
): Promise<DeliveryRun> {
  const from = { accountId, name: predecessor };
  // One at a time, in the order they were added; each result is written as it comes.
  for (const record of targetsOf(await ctx.store.load(), from)) {
    if (record.last?.ok && record.last.tokenName === successor) continue;
    await deliverTo(ctx, clients, record, successor, value);
  }
  const deliveries = targetsOf(await ctx.store.load(), from);
  const failed = deliveries.filter((d) => !(d.last?.ok && d.last.tokenName === successor));
  await changed(ctx, from);
  if (failed.length) {
    const names = failed.map((d) => targetLabel(d.target)).join(', ');
    // Shown on both rows of the rotation until a retry succeeds.
    await ctx.store.update((m) => {
      const open = m.rotations?.find((r) => r.accountId === accountId && r.predecessor === predecessor);
      if (open) open.lastError = `Not delivered to ${names}: "${predecessor}" is kept until it is.`;
    });
    await listTokens(ctx, accountId).catch(() => undefined);
    ctx.log.warn('delivery failed', { account: accountId, predecessor, failed: failed.length });
    return { predecessor, successor, deliveries: deliveries.map(toView), complete: false };
  }
  // Every copy is replaced: the old token may go (completeRotation moves the targets over).
  await completeRotation(ctx, from);
  const moved = targetsOf(await ctx.store.load(), { accountId, name: successor });
  await changed(ctx, { accountId, name: successor });
  return { predecessor, successor, deliveries: moved.map(toView), complete: true };
}

/** One delivery, its outcome recorded (a failure is data here: the caller decides what it means). */
async function deliverTo(
  ctx: VaultContext,
  clients: ClientFactory,
  record: DeliveryRecord,
  tokenName: string,
  value: string,
): Promise<DeliveryRecord> {
  let last: NonNullable<DeliveryRecord['last']>;
  try {
    const credential = await ctx.secrets.get(secretKeys.delivery(record.id));
    if (credential === null) {
      throw new VaultError(
        'not-in-vault',
        `The keychain no longer holds the credential for ${targetLabel(record.target)}: remove the target and add it again.`,
      );
    }
    await clients(record.target, credential).deliver(value);
    last = { at: ctx.clock.now(), tokenName, ok: true };
    ctx.log.info('delivered', { account: record.accountId, name: tokenName, kind: record.target.kind });
  } catch (error) {
    const message = errorWords(error);
    last = { at: ctx.clock.now(), tokenName, ok: false, message };
    ctx.log.warn('delivery failed', { account: record.accountId, name: tokenName, error: message });
  }
  let updated = record;
  await ctx.store.update((m) => {
    const kept = m.deliveries?.find((d) => d.id === record.id);
    if (kept) {
      kept.last = last;
      updated = { ...kept };
    }
  });
  return updated;
}

async function findDelivery(ctx: VaultContext, id: string): Promise<DeliveryRecord> {
  const record = (await ctx.store.load()).deliveries?.find((d) => d.id === id);
  if (!record) throw new VaultError('not-found', 'That delivery target no longer exists.');
  return record;
}

function targetsOf(metadata: Metadata, ref: TokenRef): DeliveryRecord[] {
  return (metadata.deliveries ?? []).filter((d) => d.accountId === ref.accountId && d.tokenName === ref.name);
}

function dropDelivery(draft: Metadata, id: string): void {
  draft.deliveries = draft.deliveries?.filter((d) => d.id !== id);
}

function toView(record: DeliveryRecord): DeliveryView {
  return { ...record, label: targetLabel(record.target) };
}

/** The token's targets changed: its detail asks again; with `recount`, its row shows the count. */
async function changed(ctx: VaultContext, ref: TokenRef, recount = false): Promise<void> {
  ctx.events.emit('delivery.changed', ref);
  if (recount) await listTokens(ctx, ref.accountId).catch(() => undefined);
}
