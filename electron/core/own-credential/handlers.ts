/** The own credential's calls, and the hooks through which it hears of new accounts and revokes. */
import type { VaultContext, VaultHooks } from '@core/context';
import { done, type HandlerSlice } from '@core/ipc/dispatch';
import {
  adoptOwnCredential,
  dismissPastedCredential,
  ownCredentialOnAdd,
  ownCredentialRevoked,
} from './own-credential';

export function ownCredentialHandlers(
  ctx: VaultContext,
): HandlerSlice<'accounts.adoptOwnCredential' | 'accounts.dismissPastedCredential'> {
  return {
    'accounts.adoptOwnCredential': ({ accountId }) => adoptOwnCredential(ctx, accountId),
    'accounts.dismissPastedCredential': ({ accountId }) => done(dismissPastedCredential(ctx, accountId)),
  };
}

export function ownCredentialHooks(ctx: VaultContext): VaultHooks {
  return {
    accountAdded: (account, origin) => ownCredentialOnAdd(ctx, account, origin),
    tokenRevoked: (ref) => ownCredentialRevoked(ctx, ref),
  };
}
