/**
 * SonarQube Cloud removes a token 60 days after its last use. For the held tokens the user opted
 * in, the vault uses the token (signs in with it: a harmless authenticated call) once less than
 * a week of that window is left, which renews it; the refreshed list shows the new expiry.
 */
import type { TokenView } from '@contract';
import { eachLimited } from '@core/concurrency';
import { VaultError } from '@core/errors';
import { DAY_MS } from '@shared/expiry';
import { clientFor, findAccount, flavourOf } from '@core/accounts/access';
import { type VaultContext } from '@core/context';
import { secretKeys } from '@core/storage/keys';
import { REFRESH_CONCURRENCY } from './refresher';
import { listTokens } from './list';

export const KEEP_ALIVE_MARGIN_MS = 7 * DAY_MS;

export async function setKeepAlive(
  ctx: VaultContext,
  input: { accountId: string; name: string; enabled: boolean },
): Promise<TokenView> {
  const account = await findAccount(ctx, input.accountId);
  if (flavourOf(account) !== 'cloud') {
    throw new VaultError(
      'invalid-input',
      'Only SonarQube Cloud tokens expire from disuse; Server tokens keep their date.',
    );
  }
  const held = (await ctx.store.load()).tokens.find(
    (t) => t.accountId === account.id && t.name === input.name,
  );
  if (!held) {
    throw new VaultError('not-in-vault', `Keeping "${input.name}" alive needs its value: import it first.`);
  }
  await ctx.store.update((m) => {
    const record = m.tokens.find((t) => t.accountId === account.id && t.name === input.name);
    if (record) record.keepAlive = input.enabled;
  });
  const list = await listTokens(ctx, account.id);
  const view = list.tokens.find((t) => t.name === input.name);
  if (!view) throw new VaultError('not-found', `The server no longer lists "${input.name}".`);
  return view;
}

/** Uses every opted-in token whose window closes within the margin; answers how many. */
export async function keepAliveDue(ctx: VaultContext): Promise<number> {
  const metadata = await ctx.store.load();
  const now = ctx.clock.now();
  let used = 0;
  // A few accounts at a time, as refreshes go: a region that hangs holds up only its own.
  const cloud = metadata.accounts.filter((a) => flavourOf(a) === 'cloud');
  await eachLimited(cloud, REFRESH_CONCURRENCY, async (account) => {
    const due = (metadata.snapshots[account.id]?.tokens ?? []).filter(
      (t) =>
        t.keepAlive &&
        t.inVault &&
        t.expiresAt !== null &&
        t.expiresAt - now < KEEP_ALIVE_MARGIN_MS &&
        t.expiresAt > now,
    );
    for (const token of due) {
      const value = await ctx.secrets.get(secretKeys.token(account.id, token.name));
      if (value === null) continue;
      try {
        await clientFor(ctx, account, value).currentUser();
        used++;
        ctx.log.info('token kept alive', { account: account.id, name: token.name });
      } catch (error) {
        ctx.log.warn('keep-alive failed', {
          account: account.id,
          name: token.name,
          code: (error as VaultError).code ?? 'unknown',
        });
      }
    }
    if (due.length) await listTokens(ctx, account.id).catch(() => undefined);
  });
  return used;
}
