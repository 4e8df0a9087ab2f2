/** A new token: generated once (never retried), its value kept in the keychain and shown once. */
import type { GenerateInput } from '@contract';
import { actingFor, findAccount, flavourOf, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import { VaultError } from '@core/errors';
import type { ShownOnce } from '@core/once-values';
import { redact } from '@core/redact';
import { listTokens } from './list';
import { requireTokenFeatures } from './server-features';
import { keepValue } from './values';
import { fromGenerated, toView } from './views';

export async function generateToken(
  ctx: VaultContext,
  input: GenerateInput,
): Promise<ShownOnce<'tokens.generate'>> {
  const result = await storeGenerated(ctx, input);
  // Refresh the list (and everyone showing it); the token exists whether or not this succeeds.
  if (!result.forUser) await listTokens(ctx, input.accountId).catch(() => undefined);
  return result;
}

/**
 * Generates (once: never retried) and keeps the value, without refreshing the list: rotation
 * records its own state first, so the one refresh that follows shows it.
 */
export async function storeGenerated(
  ctx: VaultContext,
  input: GenerateInput,
): Promise<ShownOnce<'tokens.generate'>> {
  const account = await findAccount(ctx, input.accountId);
  const cloud = flavourOf(account) === 'cloud';
  if (cloud && input.type !== 'USER_TOKEN') {
    throw new VaultError('invalid-input', 'SonarQube Cloud personal access tokens are user tokens only.');
  }
  // An older Server would drop a type or date it does not know and make a plain, lasting token.
  await requireTokenFeatures(ctx, account, input);
  const forUser = input.login && input.login !== account.login ? input.login : undefined;
  const generated = await withAccount(ctx, account.id, (api) =>
    actingFor(account, forUser, () =>
      api.generateToken({
        name: input.name,
        type: input.type,
        projectKey: input.type === 'PROJECT_ANALYSIS_TOKEN' ? input.projectKey : undefined,
        // Cloud has no fixed dates: a token lives 60 days after its last use.
        expirationDate: cloud ? undefined : (input.expirationDate ?? undefined),
        login: forUser,
      }),
    ),
  );
  ctx.log.info('token generated', {
    account: account.id,
    name: generated.name,
    forAnotherUser: Boolean(forUser),
  });
  const token = { ...toView(account, fromGenerated(generated, input), false, forUser), owner: forUser };
  // Another user's token is theirs to keep: it is shown once, to be handed over.
  if (forUser) return { token, value: generated.token, stored: false, forUser };

  let stored = true;
  let storeError: string | undefined;
  const ref = { accountId: account.id, name: generated.name };
  try {
    await keepValue(ctx, ref, generated.token, {
      type: generated.type ?? input.type,
      projectKey: generated.projectKey,
      origin: 'generated',
    });
  } catch (error) {
    // The server has shown the value once; the user must still get it, with the reason.
    stored = false;
    storeError = redact(error instanceof Error ? error.message : String(error));
    ctx.log.error('generated token not stored', { account: account.id, name: generated.name });
  }
  const held = { ...token, inVault: stored, ...(stored ? { origin: 'generated' as const } : {}) };
  return { token: held, value: generated.token, stored, storeError };
}
