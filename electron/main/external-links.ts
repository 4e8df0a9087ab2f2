/**
 * Which links the vault opens in the user's browser: https only, and only to the hosts of the
 * accounts it holds (a SonarQube's own pages) and SonarQube's documentation; and, for the
 * administrator's "Tell the owner", a mailto: to one address with a subject and a body only (mail
 * clients have honoured `attach=` and the like). Anything else a page could ask for (another site,
 * file:, a custom protocol handler) is refused and logged.
 */
import type { Shell } from 'electron';
import type { Logger } from '@core/ports';

export const DOCUMENTATION_HOSTS: readonly string[] = ['docs.sonarsource.com'];

export function linkAllowed(url: string, accountHosts: ReadonlySet<string>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'mailto:') return mailtoAllowed(parsed);
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return accountHosts.has(parsed.host) || DOCUMENTATION_HOSTS.includes(parsed.host);
}

/** Characters an address must not hold: a second address, a header, or more than one `@`. */
const ONE_ADDRESS = /^[^\s@"<>()[\]\\,;:?&#%/]{1,64}@[^\s@"<>()[\]\\,;:?&#%/]{1,253}$/;
const MAIL_FIELDS: readonly string[] = ['subject', 'body'];

/** mailto:<one address>?subject=…&body=…, and nothing more. */
function mailtoAllowed(url: URL): boolean {
  let address: string;
  try {
    address = decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  const fields = [...url.searchParams.keys()];
  return (
    ONE_ADDRESS.test(address) &&
    !url.hash &&
    fields.every((field) => MAIL_FIELDS.includes(field)) &&
    new Set(fields).size === fields.length
  );
}

/** The https hosts (with their port) of the accounts' base URLs. */
export function accountHosts(baseUrls: readonly string[]): Set<string> {
  return new Set(
    baseUrls.flatMap((base) => {
      const url = new URL(base);
      return url.protocol === 'https:' ? [url.host] : [];
    }),
  );
}

export function linkOpener(
  shell: Pick<Shell, 'openExternal'>,
  hosts: () => ReadonlySet<string>,
  log: Logger,
): (url: string) => void {
  return (url) => {
    // Reviewed (electronegativity): https only, to the accounts' and the documentation's hosts, or
    // a mailto: to one address with a subject and a body.
    if (linkAllowed(url, hosts())) return void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    // The scheme only: a refused URL could carry anything.
    log.warn('link refused', { scheme: url.split(':', 1)[0]?.slice(0, 16) ?? '' });
  };
}
