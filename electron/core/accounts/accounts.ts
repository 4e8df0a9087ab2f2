/** Accounts: one SonarQube identity each (a host, a login, and for Cloud an organization). */
import { X509Certificate } from 'node:crypto';
import type { AccountView, AddAccountInput } from '@contract';
import type { VaultContext } from '@core/context';
import { VaultError } from '@core/errors';
import { ownCredentialView } from '@core/own-credential/marks';
import { accountBaseUrl, isCloud, isInsecureRemote } from '@core/sonarqube/regions';
import { pemCertificates } from '@core/sonarqube/tls-fetch';
import { deleteSecret, keepSecret } from '@core/storage/keychain';
import { secretKeys } from '@core/storage/keys';
import type { AccountRecord } from '@core/storage/schema';
import { clientFor, extraCa, findAccount, hasAccount, setStatus } from './access';
import { inOtherRegion, refuseCloudAnswers, refuseCloudHost } from './hints';

const KIND_NAMES = {
  'cloud-eu': 'SonarQube Cloud (EU)',
  'cloud-us': 'SonarQube Cloud (US)',
  server: 'SonarQube Server',
} as const;

export async function listAccounts(ctx: VaultContext): Promise<AccountView[]> {
  const { accounts } = await ctx.store.load();
  return accounts.map((account) => toView(ctx, account));
}

/** Checks the server and the credential live; stores nothing unless both are good. */
export async function addAccount(ctx: VaultContext, input: AddAccountInput): Promise<AccountView> {
  const organization = input.organization || undefined;
  if (isCloud(input.kind) && !organization) {
    throw new VaultError('invalid-input', 'Enter the key of your SonarQube Cloud organization.');
  }
  const baseUrl = accountBaseUrl(input.kind, input.baseUrl, ctx.cloudHosts, input.allowInsecureHttp);
  // A pasted token, or the one a browser sign-in handed over (already the vault's own).
  const signedIn = input.signInId === undefined ? null : ctx.signIns.take(input.signInId);
  if (signedIn && (signedIn.kind !== input.kind || signedIn.baseUrl !== baseUrl)) {
    throw new VaultError('invalid-input', 'That browser sign-in was for another server: sign in again.');
  }
  const credential = signedIn?.credential ?? input.credential ?? '';
  const caCertificatePem = extraCa(input);
  const server = !isCloud(input.kind);
  // A Server URL that is SonarQube Cloud is said as such: by its host before anything is sent.
  if (server) refuseCloudHost(ctx.cloudHosts, baseUrl);
  const probe = clientFor(ctx, { baseUrl, caCertificatePem });
  const serverVersion = await probe.version();
  if (server) await refuseCloudAnswers(probe, serverVersion, new URL(baseUrl).host);
  const authenticated = clientFor(ctx, { baseUrl, caCertificatePem, serverVersion }, credential);
  // A Cloud token refused here may be the other region's: the error then says so.
  const user = await authenticated.currentUser().catch(async (error: unknown) => {
    throw await inOtherRegion(ctx, input.kind, credential, error);
  });
  // Shown next to the version; a server that will not say is no reason to refuse the account.
  const edition = isCloud(input.kind)
    ? undefined
    : ((await authenticated.edition().catch(() => null)) ?? undefined);
  if (isCloud(input.kind)) {
    const memberOf = await authenticated.memberOrganizations();
    if (!memberOf.some((o) => o.key === organization)) {
      const known = memberOf.map((o) => o.key).join(', ') || 'none';
      throw new VaultError(
        'not-found',
        `${user.login} is not a member of the organization "${organization}" on ${KIND_NAMES[input.kind]} (member of: ${known}).`,
      );
    }
  } else if (organization) {
    throw new VaultError('invalid-input', 'Organizations exist only on SonarQube Cloud.');
  }

  const { accounts } = await ctx.store.load();
  const same = accounts.find(
    (a) => a.baseUrl === baseUrl && a.login === user.login && a.organization === organization,
  );
  if (same) throw new VaultError('rejected', `${user.login} on ${same.label} is already in the vault.`);

  const record: AccountRecord = {
    id: ctx.newId(),
    kind: input.kind,
    label: input.label || (organization ?? new URL(baseUrl).host),
    baseUrl,
    organization,
    login: user.login,
    userName: user.name,
    isAdmin: user.isAdmin,
    serverVersion,
    edition,
    caCertificatePem,
    // Recorded consent: an http account without it is treated as tampered with when loaded.
    insecureHttp: isInsecureRemote(baseUrl) || undefined,
    addedAt: ctx.clock.now(),
  };
  // Keychain first: if it refuses, no account without its credential is left behind.
  await keepSecret(ctx, secretKeys.credential(record.id), credential, (m) => hasAccount(m, record.id));
  await ctx.store.update((m) => void m.accounts.push(record));
  ctx.status.set(record.id, { status: 'ok' });
  ctx.log.info('account added', { account: record.id, kind: record.kind });
  ctx.events.emit('accounts.changed', {});
  return toView(ctx, await ctx.hooks.accountAdded(record, { wanted: input.ownCredential, signedIn }));
}

/** Forgets the account, its credential and every token value held for it. */
export async function removeAccount(ctx: VaultContext, accountId: string): Promise<void> {
  const metadata = await ctx.store.load();
  // A set-aside account (its stored entry failed its checks) is removed the same way, unused.
  const account =
    metadata.setAside.find((s) => s.account.id === accountId)?.account ?? (await findAccount(ctx, accountId));
  const held = metadata.tokens.filter((t) => t.accountId === accountId);
  for (const { name } of held) {
    await deleteSecret(ctx, secretKeys.token(accountId, name), (m) => {
      m.tokens = m.tokens.filter((t) => !(t.accountId === accountId && t.name === name));
    });
  }
  for (const { id } of (metadata.deliveries ?? []).filter((d) => d.accountId === accountId)) {
    await deleteSecret(ctx, secretKeys.delivery(id), (m) => {
      m.deliveries = m.deliveries?.filter((d) => d.id !== id);
    });
  }
  await deleteSecret(ctx, secretKeys.credential(accountId));
  await ctx.store.update((m) => {
    m.deliveries = m.deliveries?.filter((d) => d.accountId !== accountId);
    m.accounts = m.accounts.filter((a) => a.id !== accountId);
    m.setAside = m.setAside.filter((s) => s.account.id !== accountId);
    m.tokens = m.tokens.filter((t) => t.accountId !== accountId);
    delete m.snapshots[accountId];
    m.settings.mutedAccounts = m.settings.mutedAccounts.filter((id) => id !== accountId);
  });
  ctx.status.delete(account.id);
  ctx.log.info('account removed', { account: accountId });
  ctx.events.emit('accounts.changed', {});
}

/** Cloud: the organizations the credential's user belongs to, for the picker. */
export async function memberOrganizations(
  ctx: VaultContext,
  kind: 'cloud-eu' | 'cloud-us',
  credential: string,
): Promise<{ key: string; name: string }[]> {
  const api = clientFor(ctx, { baseUrl: ctx.cloudHosts[kind] }, credential);
  await api.currentUser().catch(async (error: unknown) => {
    throw await inOtherRegion(ctx, kind, credential, error);
  });
  return api.memberOrganizations();
}

/** A new credential for the same user: the account's tokens and held values stay as they are. */
export async function replaceCredential(
  ctx: VaultContext,
  accountId: string,
  credential: string,
): Promise<AccountView> {
  const account = await findAccount(ctx, accountId);
  const user = await clientFor(ctx, account, credential).currentUser();
  if (user.login !== account.login) {
    throw new VaultError(
      'rejected',
      `That token signs in as ${user.login}, but this account is ${account.login}.`,
    );
  }
  // A write that lands after the vault gave up is kept: it is this user's, checked above.
  await keepSecret(ctx, secretKeys.credential(accountId), credential, (m) => hasAccount(m, accountId));
  await ctx.store.update((m) => {
    const stored = m.accounts.find((a) => a.id === accountId);
    if (!stored) return;
    stored.isAdmin = user.isAdmin;
    // The account signs in with the pasted token now: the own one it had is no longer its
    // credential (a switch under way still finishes; the header offers a new own token).
    delete stored.ownCredential;
    if (stored.ownCredentialState) delete stored.ownCredentialState.unavailable;
  });
  setStatus(ctx, accountId, { status: 'ok' });
  ctx.log.info('account credential replaced', { account: accountId });
  return toView(ctx, await findAccount(ctx, accountId));
}

function toView(ctx: VaultContext, account: AccountRecord): AccountView {
  const { caCertificatePem, ownCredential: _own, ownCredentialState: _state, ...shown } = account;
  return {
    ...shown,
    ...ownCredentialView(account),
    insecureHttp: account.insecureHttp ?? false,
    extraCaSubject: caCertificatePem ? caSubject(caCertificatePem) : undefined,
    ...(ctx.status.get(account.id) ?? { status: 'ok' }),
  };
}

function caSubject(pem: string): string {
  const [first] = pemCertificates(pem);
  return first ? new X509Certificate(first).subject.replaceAll('\n', ', ') : '';
}
