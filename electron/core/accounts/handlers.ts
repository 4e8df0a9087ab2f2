/** The accounts' calls. */
import type { VaultContext } from '@core/context';
import { done, type HandlerSlice } from '@core/ipc/dispatch';
import { addAccount, listAccounts, memberOrganizations, removeAccount, replaceCredential } from './accounts';

export function accountHandlers(
  ctx: VaultContext,
): HandlerSlice<
  | 'accounts.list'
  | 'accounts.add'
  | 'accounts.organizations'
  | 'accounts.replaceCredential'
  | 'accounts.remove'
> {
  return {
    'accounts.list': () => listAccounts(ctx),
    'accounts.add': (input) => addAccount(ctx, input),
    'accounts.organizations': ({ kind, credential }) => memberOrganizations(ctx, kind, credential),
    'accounts.replaceCredential': ({ accountId, credential }) =>
      replaceCredential(ctx, accountId, credential),
    'accounts.remove': ({ accountId }) => done(removeAccount(ctx, accountId)),
  };
}
