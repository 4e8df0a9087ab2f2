import type { AccountKind } from '@contract';
import { VaultError } from '@core/errors';

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
 * dropped, so what we store is exactly what we call. Plain http sends the token unencrypted: it
 * is taken without asking only for this computer (loopback); any other host needs the user's
 * consent for that account.
 */
export function normalizeServerUrl(raw: string | undefined, { allowInsecureHttp = false } = {}): string {
  // Tabs and line breaks vanish inside a URL anyway; here they would hide a scheme.
  const text = (raw ?? '').replace(/[\t\n\r]/g, '').trim();
  if (!text) throw new VaultError('bad-url', 'Enter the address of your SonarQube Server.');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  // A scheme typed without its "//" ("http:/sq.example.com") would otherwise become a host name.
  const halfScheme = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(text);
  if (!hasScheme && halfScheme) {
    throw new VaultError('bad-url', `"${text}" is not a valid URL: write the scheme as ${halfScheme[1]}://.`);
  }
  const withScheme = hasScheme ? text : `https://${text}`;
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
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new VaultError(
      'bad-url',
      `http:// would send your token unencrypted to ${url.host}. Use https://, or confirm that you ` +
        'accept plain http for this server.',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** This computer: localhost names, 127.0.0.0/8, ::1 (as the URL parser writes them). */
export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) ||
    hostname === '[::1]'
  );
}

/** Whether this base URL sends the token unencrypted off this computer. */
export function isInsecureRemote(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  return url.protocol === 'http:' && !isLoopback(url.hostname);
}

export function accountBaseUrl(
  kind: AccountKind,
  typedUrl: string | undefined,
  cloudHosts: CloudHosts,
  allowInsecureHttp = false,
): string {
  return isCloud(kind) ? cloudHosts[kind] : normalizeServerUrl(typedUrl, { allowInsecureHttp });
}
