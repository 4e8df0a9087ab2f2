import type { AccountView } from '@contract';

/**
 * The accounts whose user administers a SonarQube Server: the overview is theirs. SonarQube
 * Cloud offers no user search that would show an organization's members' tokens.
 */
export function administeredAccounts(accounts: readonly AccountView[]): AccountView[] {
  return accounts.filter((a) => a.isAdmin && a.kind === 'server');
}
