/**
 * Answers that come from a sign-in page or a single sign-on gateway in front of SonarQube, not from
 * SonarQube: told apart so the vault can say "a sign-in page answered" instead of "not a SonarQube
 * server" or "token not accepted". Heuristics, each on evidence SonarQube's API never gives: its
 * API answers JSON or plain text, never a login form; it does not redirect API calls to a sign-in
 * page; its 401 carries no WWW-Authenticate challenge (which would make browsers ask for a password).
 */
import { VaultError } from '@core/errors';

/** Identity providers and gateways that put a sign-in page in front of web apps. */
const SIGN_IN_HOSTS =
  /(^|\.)(login\.microsoftonline\.com|login\.windows\.net|accounts\.google\.com|okta\.com|oktapreview\.com|okta-emea\.com|auth0\.com|onelogin\.com|pingone\.(com|eu|asia)|pingidentity\.com|duosecurity\.com|cloudflareaccess\.com|zscaler(one|two|three)?\.net|jumpcloud\.com)$/i;

/** Path segments of sign-in pages: /login, /signin, /sso, SAML, OAuth, OpenID Connect, ADFS, CAS… */
const SIGN_IN_PATH =
  /(^|[/._-])(log-?in|log-?on|sign-?in|sso|saml2?|oauth2?|openid(-connect)?|oidc|adfs|cas|idp|authorize|authenticate|auth|sessions)([/._?=&-]|$)/i;

/** Whether a redirect's target (absolute, or relative to `from`) is a sign-in page. */
export function isSignInLocation(location: string, from: string): boolean {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    return false;
  }
  return SIGN_IN_HOSTS.test(target.hostname) || SIGN_IN_PATH.test(`${target.pathname}${target.search}`);
}

/**
 * Whether an answer is a sign-in page: HTML with a password field, a SAML hand-off form, or a
 * form, meta refresh or script sending the browser to a sign-in location.
 */
export function isSignInPage(contentType: string | null, text: string, from: string): boolean {
  const html = /html/i.test(contentType ?? '') || /^\s*</.test(text);
  if (!html) return false;
  if (/<input\b[^>]*\btype\s*=\s*["']?password\b/i.test(text)) return true;
  if (/\bname\s*=\s*["']?SAML(Request|Response)\b/i.test(text)) return true;
  const targets = [
    ...text.matchAll(/<form\b[^>]*\baction\s*=\s*["']([^"']+)["']/gi),
    ...text.matchAll(/http-equiv\s*=\s*["']?refresh["']?[^>]*\burl\s*=\s*([^"'>\s]+)/gi),
    ...text.matchAll(/(?:window\.|document\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']/gi),
  ].map((match) => match[1] ?? '');
  return targets.some((target) => isSignInLocation(target, from));
}

/**
 * The scheme of a WWW-Authenticate challenge (Negotiate, NTLM, Basic…), or null when there is
 * none. SonarQube sends none; one naming SonarQube in its realm is let through, to be safe.
 */
export function foreignChallenge(header: string | null): string | null {
  const value = header?.trim();
  if (!value || /realm\s*=\s*"?[^",]*sonar/i.test(value)) return null;
  return /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*/.exec(value)?.[0] ?? null;
}

/**
 * "<host> answered with a sign-in page (<evidence>) instead of SonarQube's API …": what it is and
 * what to do. Code 'unreachable': SonarQube itself could not be reached, and an account's last
 * token list stays on screen, as for any server out of reach.
 */
export function ssoGatewayError(host: string, evidence: string): VaultError {
  return new VaultError(
    'unreachable',
    `${host} answered with a sign-in page (${evidence}) instead of SonarQube's API: a proxy or ` +
      'single sign-on gateway stands in front of it, and the vault does not sign in through web ' +
      "pages. The vault needs SonarQube's API reachable directly, with a token: ask your " +
      'SonarQube administrator for an address that does not go through the sign-in page.',
  );
}

/** The host a redirect points to, as a person would recognise it. */
export function locationHost(location: string, from: string): string {
  try {
    return new URL(location, from).host;
  } catch {
    return 'another page';
  }
}
