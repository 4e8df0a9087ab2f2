/** An administrator's user picker: the server's users, a page at a time. */
import type { CallOutput } from '@contract';
import { asAdministrator, withAccount } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import { administeredAccount, SEARCHING_USERS } from './administrator';

/** A page the picker shows at once; "more" asks for the next. */
export const USER_PAGE_SIZE = 20;

export async function searchUsers(
  ctx: VaultContext,
  accountId: string,
  query: string,
  page: number,
): Promise<CallOutput<'users.search'>> {
  const account = await administeredAccount(ctx, accountId, SEARCHING_USERS);
  const found = await withAccount(ctx, accountId, (api) =>
    asAdministrator(account, SEARCHING_USERS, () =>
      api.searchUsers({ query, page, pageSize: USER_PAGE_SIZE }),
    ),
  );
  return {
    users: found.users.map(({ login, name, email, active }) => ({
      login,
      name,
      active,
      ...(email === undefined ? {} : { email }),
    })),
    total: found.total,
    page: found.page,
    pageSize: found.pageSize,
  };
}
