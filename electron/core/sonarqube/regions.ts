import type { AccountKind } from '../../contract';
import { VaultError } from '../errors';

/** SonarQube Cloud's hosts per region (the v1 Web API lives on the main host). */
export const CLOUD_HOSTS: Readonly<Record<Exclude<AccountKind, 'server'>, string>> = {
  'cloud-eu': 'https://sonarcloud.io',
  'cloud-us': 'https://sonarqube.us',
};

export type CloudHosts = typeof CLOUD_HOSTS;

export function isCloud(kind: AccountKind): kind is Exclude<AccountKind, 'server'> {
  return kind !== 'server';
}

/**
 * A Server's base URL as typed by a person: scheme optional (https assumed), context path kept,
 * trailing slashes dropped. Credentials, queries and fragments are refused rather than silently
 * dropped, so what we store is exactly what we call.
 */
export function normalizeServerUrl(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  if (!text) throw new VaultError('bad-url', 'Enter the address of your SonarQube Server.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new VaultError('bad-url', `"${text}" is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new VaultError('bad-url', `Use an http:// or https:// address, not ${url.protocol}//.`);
  }
  if (url.username || url.password) {
    throw new VaultError('bad-url', 'Leave user names and passwords out of the URL.');
  }
  if (url.search || url.hash) {
    throw new VaultError('bad-url', 'Enter the server address without a query or #fragment.');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function accountBaseUrl(
  kind: AccountKind,
  typedUrl: string | undefined,
  cloudHosts: CloudHosts,
): string {
  return isCloud(kind) ? cloudHosts[kind] : normalizeServerUrl(typedUrl);
}
