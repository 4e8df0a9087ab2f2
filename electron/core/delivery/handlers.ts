/** Delivery's calls: a token's CI targets, delivering now, and rotating with delivery. */
import type { VaultContext } from '@core/context';
import { done, type HandlerSlice } from '@core/ipc/dispatch';
import {
  addDelivery,
  deliverNow,
  listDeliveries,
  removeDelivery,
  retryDelivery,
  rotateAndDeliver,
  type ClientFactory,
} from './deliveries';

export function deliveryHandlers(
  ctx: VaultContext,
  clients: ClientFactory,
): HandlerSlice<
  | 'delivery.list'
  | 'delivery.add'
  | 'delivery.remove'
  | 'delivery.deliver'
  | 'tokens.rotateAndDeliver'
  | 'tokens.retryDelivery'
> {
  return {
    'delivery.list': (ref) => listDeliveries(ctx, ref),
    'delivery.add': (input) => addDelivery(ctx, clients, input),
    'delivery.remove': ({ id }) => done(removeDelivery(ctx, id)),
    'delivery.deliver': ({ id }) => deliverNow(ctx, clients, id),
    'tokens.rotateAndDeliver': (ref) => rotateAndDeliver(ctx, clients, ref),
    'tokens.retryDelivery': (ref) => retryDelivery(ctx, clients, ref),
  };
}
