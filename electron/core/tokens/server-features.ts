/** Whether an account's Server can make the token asked for, checked before anything is generated. */
import type { GenerateInput } from '@contract';
import { isCloud } from '@core/sonarqube/regions';
import { atLeast, requireVersion, SINCE } from '@core/sonarqube/versions';
import { clientFor } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import type { AccountRecord } from '@core/storage/schema';

const TYPE_NAMES = {
  GLOBAL_ANALYSIS_TOKEN: 'A global analysis token',
  PROJECT_ANALYSIS_TOKEN: 'A project analysis token',
} as const;

/**
 * Refuses a token type or an expiration date the Server is too old for (it would ignore them and
 * make a user token that never expires). The version stored with the account is from when it was
 * added: before refusing, the server is asked again, as it may have been upgraded since.
 */
export async function requireTokenFeatures(
  ctx: VaultContext,
  account: AccountRecord,
  input: Pick<GenerateInput, 'type' | 'expirationDate'>,
): Promise<void> {
  if (isCloud(account.kind) || account.serverVersion === undefined) return;
  const needs = [
    ...(input.type !== 'USER_TOKEN' ? [SINCE.tokenTypes] : []),
    ...(input.expirationDate ? [SINCE.expirationDates] : []),
  ];
  const stored = account.serverVersion;
  if (needs.every((minimum) => atLeast(stored, minimum) !== false)) return;
  const serverVersion = await clientFor(ctx, account).version();
  const server = { ...account, serverVersion };
  if (input.type !== 'USER_TOKEN') {
    requireVersion(server, SINCE.tokenTypes, TYPE_NAMES[input.type], 'Generate a user token instead.');
  }
  if (input.expirationDate) {
    requireVersion(server, SINCE.expirationDates, 'An expiration date', 'Choose "No expiration" instead.');
  }
}
