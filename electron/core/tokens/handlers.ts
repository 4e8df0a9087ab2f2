/** The tokens' calls: lists, values (copy, reveal, shown once), generation, revokes, rotation. */
import type { TokenRef } from '@contract';
import type { VaultContext } from '@core/context';
import { done, type HandlerSlice } from '@core/ipc/dispatch';
import type { OnceValues } from '@core/once-values';
import { generateToken } from './generate';
import { generationRules, searchProjects } from './generation';
import { importToken } from './import';
import { setKeepAlive } from './keep-alive';
import { allLists, listTokens, listTokensFor } from './list';
import type { Refresher } from './refresher';
import { revokeToken } from './revoke';
import { cancelRotation, completeRotation, rotateToken } from './rotation';
import { copyToken, forgetToken, revealToken } from './values';

export interface TokenHandlerDeps {
  readonly refresher: Refresher;
  /** Values shown once (a new token's "copy it now" panel), copied by handle. */
  readonly once: OnceValues;
  /** A token was revoked through the vault (an administrator's overview drops it). */
  revoked(ref: TokenRef & { login?: string | undefined }): Promise<void>;
}

type TokenCalls =
  | 'tokens.refreshAll'
  | 'tokens.all'
  | 'tokens.list'
  | 'tokens.listFor'
  | 'tokens.generationRules'
  | 'projects.search'
  | 'tokens.generate'
  | 'tokens.import'
  | 'tokens.revoke'
  | 'tokens.forget'
  | 'tokens.setKeepAlive'
  | 'tokens.rotate'
  | 'tokens.completeRotation'
  | 'tokens.cancelRotation'
  | 'tokens.copy'
  | 'tokens.copyOnce'
  | 'tokens.reveal'
  | 'tokens.history';

export function tokenHandlers(ctx: VaultContext, deps: TokenHandlerDeps): HandlerSlice<TokenCalls> {
  const { once } = deps;
  // A new value is held for its panel's time, behind a handle: copies never need it in the window.
  const shownOnce = async <T extends { value: string }>(answer: T) => ({
    ...answer,
    onceId: once.hold(answer.value, (await ctx.store.load()).settings.onceValueMs),
  });
  return {
    'tokens.refreshAll': ({ reason }) => deps.refresher.refresh(reason),
    'tokens.all': () => allLists(ctx),
    'tokens.list': ({ accountId }) => listTokens(ctx, accountId),
    'tokens.listFor': ({ accountId, login }) => listTokensFor(ctx, accountId, login),
    'tokens.generationRules': ({ accountId }) => generationRules(ctx, accountId),
    'projects.search': ({ accountId, query }) => searchProjects(ctx, accountId, query),
    'tokens.generate': async (input) => shownOnce(await generateToken(ctx, input)),
    'tokens.import': (input) => importToken(ctx, input),
    'tokens.revoke': async (ref) => {
      await revokeToken(ctx, ref);
      await deps.revoked(ref);
      return {};
    },
    'tokens.forget': (ref) => done(forgetToken(ctx, ref)),
    'tokens.setKeepAlive': (input) => setKeepAlive(ctx, input),
    'tokens.rotate': async (input) => shownOnce(await rotateToken(ctx, input)),
    'tokens.completeRotation': (ref) => done(completeRotation(ctx, ref)),
    'tokens.cancelRotation': (ref) => done(cancelRotation(ctx, ref)),
    'tokens.copy': ({ via, ...ref }) => copyToken(ctx, ref, via),
    'tokens.copyOnce': async ({ onceId }) => {
      const { clipboardClearMs } = (await ctx.store.load()).settings;
      await ctx.clipboard.copy(once.value(onceId), clipboardClearMs);
      ctx.log.info('value shown once copied');
      return { clearAfterMs: clipboardClearMs };
    },
    'tokens.reveal': (ref) => revealToken(ctx, ref),
    'tokens.history': (ref) => ctx.history.list(ref),
  };
}
