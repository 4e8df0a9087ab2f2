/** Administrators' calls: the user picker's search and every user's expiring tokens. */
import type { VaultContext } from '@core/context';
import type { HandlerSlice } from '@core/ipc/dispatch';
import type { AdminOverviews } from './overview';
import { searchUsers } from './user-search';

export function adminHandlers(
  ctx: VaultContext,
  overviews: AdminOverviews,
): HandlerSlice<'users.search' | 'admin.overview'> {
  return {
    'users.search': ({ accountId, query, page }) => searchUsers(ctx, accountId, query, page),
    'admin.overview': ({ accountId, refresh }) => overviews.overview(accountId, refresh),
  };
}
