/**
 * What vault.json keeps of a delivery target: which token's value it receives, where, and how the
 * last delivery went. Never a value or a credential: the credential for the CI service is in the
 * keychain under `secretKeys.delivery(id)`.
 */
import { z } from 'zod';
import { DeliveryTarget, DeliveryView } from '@contract';

export const DeliveryRecord = z.object({
  id: z.string(),
  accountId: z.string(),
  tokenName: z.string(),
  target: DeliveryTarget,
  last: DeliveryView.shape.last,
});
export type DeliveryRecord = z.infer<typeof DeliveryRecord>;
