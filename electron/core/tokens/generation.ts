/** What a new token may be: its expiration bounds and the projects it can analyse. */
import type { CallOutput } from '@contract';
import { addDays, tomorrowUtc, utcDay } from '@core/sonarqube/dates';
import { lifetimeDays } from '@core/sonarqube/client';
import { flavourOf, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';

/**
 * Server: tomorrow (UTC) at the earliest; at most today + the administrator's cap, when there is
 * one (Enterprise Edition and above), and then no "never expires". Cloud: no date at all.
 */
export function generationRules(
  ctx: VaultContext,
  accountId: string,
): Promise<CallOutput<'tokens.generationRules'>> {
  return withAccount(ctx, accountId, async (api, account) => {
    const now = ctx.clock.now();
    const minDate = tomorrowUtc(now);
    if (flavourOf(account) === 'cloud') {
      return { rolling: true, minDate, maxDate: null, noExpirationAllowed: false, maxLifetime: null };
    }
    const cap = await api.maxTokenLifetime();
    const days = lifetimeDays(cap);
    return days === null
      ? { rolling: false, minDate, maxDate: null, noExpirationAllowed: true, maxLifetime: null }
      : {
          rolling: false,
          minDate,
          maxDate: addDays(utcDay(now), days),
          noExpirationAllowed: false,
          maxLifetime: cap,
        };
  });
}

/** Projects matching `query` (Cloud: within the account's organization). */
export function searchProjects(
  ctx: VaultContext,
  accountId: string,
  query: string,
): Promise<{ key: string; name: string }[]> {
  return withAccount(ctx, accountId, (api, account) => api.searchProjects(query, account.organization));
}
