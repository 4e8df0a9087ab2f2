/**
 * Reaching an account's server: its record, a client holding its credential (over an extra CA
 * when it has one), and its health as the last call found it. Every feature goes through here.
 */
import type { AccountView, AddAccountInput } from '@contract';
import type { VaultContext } from '@core/context';
import { VaultError } from '@core/errors';
import type { Fetch } from '@core/ports';
import { redact } from '@core/redact';
import { SonarQubeClient } from '@core/sonarqube/client';
import { isCloud } from '@core/sonarqube/regions';
import { fetchTrusting, pemCertificates } from '@core/sonarqube/tls-fetch';
import { secretKeys } from '@core/storage/keys';
import type { AccountRecord, Metadata } from '@core/storage/schema';

export async function findAccount(ctx: VaultContext, accountId: string): Promise<AccountRecord> {
  const account = (await ctx.store.load()).accounts.find((a) => a.id === accountId);
  if (!account) throw new VaultError('not-found', 'That account is not in the vault.');
  return account;
}

/**
 * Runs `operation` with a client holding the account's credential, and records what the call
 * taught us about the account's health (a 401 marks this account only).
 */
export async function withAccount<T>(
  ctx: VaultContext,
  accountId: string,
  operation: (api: SonarQubeClient, account: AccountRecord) => Promise<T>,
): Promise<T> {
  const account = await findAccount(ctx, accountId);
  const credential = await ctx.secrets.get(secretKeys.credential(accountId));
  if (credential === null) {
    throw new VaultError('not-in-vault', `The keychain no longer holds the credential of ${account.label}.`);
  }
  try {
    const result = await operation(clientFor(ctx, account, credential), account);
    setStatus(ctx, accountId, { status: 'ok' });
    return result;
  } catch (error) {
    if (error instanceof VaultError) {
      // Shown in the account list: the failure's words (a network error's, a server's) sanitized.
      if (error.code === 'unauthorized') {
        setStatus(ctx, accountId, { status: 'credential-invalid', statusMessage: redact(error.message) });
      } else if (error.code === 'unreachable' || error.code === 'timeout') {
        setStatus(ctx, accountId, { status: 'unreachable', statusMessage: redact(error.message) });
      }
    }
    throw error;
  }
}

export function setStatus(
  ctx: VaultContext,
  accountId: string,
  next: Pick<AccountView, 'status' | 'statusMessage'>,
) {
  const previous = ctx.status.get(accountId);
  if (previous?.status === next.status && previous.statusMessage === next.statusMessage) return;
  ctx.status.set(accountId, next);
  ctx.events.emit('accounts.changed', {});
}

/** Where and how to reach a server: an account, or what is known of one before it is added. */
export interface ServerTarget {
  baseUrl: string;
  /** Lets the client pick basic auth for Servers older than 10.0 at once. */
  serverVersion?: string | undefined;
  /** An extra CA to trust for this server. */
  caCertificatePem?: string | undefined;
}

export function clientFor(ctx: VaultContext, target: ServerTarget, token?: string): SonarQubeClient {
  return new SonarQubeClient({
    baseUrl: target.baseUrl,
    fetch: target.caCertificatePem ? trustedFetch(ctx, target.caCertificatePem) : ctx.fetch,
    token,
    timeoutMs: ctx.requestTimeoutMs,
    serverVersion: target.serverVersion,
  });
}

function trustedFetch(ctx: VaultContext, pem: string): Fetch {
  let fetch = ctx.trustedFetches.get(pem);
  if (!fetch) ctx.trustedFetches.set(pem, (fetch = fetchTrusting(pem)));
  return fetch;
}

/** The PEM a Server account is to trust, checked now so a bad file is refused before any request. */
export function extraCa(input: Pick<AddAccountInput, 'kind' | 'caCertificatePem'>): string | undefined {
  const pem = input.caCertificatePem?.trim();
  if (!pem) return undefined;
  if (isCloud(input.kind)) {
    throw new VaultError('invalid-input', 'SonarQube Cloud uses public certificates: no extra CA is needed.');
  }
  pemCertificates(pem);
  return pem;
}

export function hasAccount(metadata: Metadata, accountId: string): boolean {
  return metadata.accounts.some((a) => a.id === accountId);
}

export function flavourOf(account: AccountRecord): 'server' | 'cloud' {
  return isCloud(account.kind) ? 'cloud' : 'server';
}

export function lacksAdminister(account: AccountRecord, what: string): VaultError {
  return new VaultError(
    'forbidden',
    `${account.login} lacks the Administer System permission on ${account.label}, which ${what} needs.`,
  );
}

/** Acting for other users needs Administer System: a server's refusal says so, in those words. */
export async function asAdministrator<T>(
  account: AccountRecord,
  what: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof VaultError && error.code === 'forbidden') throw lacksAdminister(account, what);
    throw error;
  }
}

/** An operation for another user (`forUser`) needs Administer System; for the account's own, it just runs. */
export function actingFor<T>(
  account: AccountRecord,
  forUser: string | undefined,
  operation: () => Promise<T>,
): Promise<T> {
  return forUser ? asAdministrator(account, `acting for ${forUser}`, operation) : operation();
}
