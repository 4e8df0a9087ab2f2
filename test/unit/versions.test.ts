/** Which Server a feature needs, and the refusal's words (versions.ts), plus the sign-in-page heuristics. */
import { describe, expect, it } from 'vitest';
import { foreignChallenge, isSignInLocation, isSignInPage } from '@core/sonarqube/sso-gateway';
import { atLeast, requireVersion, shortVersion, SINCE } from '@core/sonarqube/versions';

describe('atLeast', () => {
  it.each([
    ['10.7.0.96327', '9.7', true],
    ['9.7.0.61563', '9.7', true],
    ['9.7', '9.7', true],
    ['9.6.1.59531', '9.7', false],
    ['9.10.0.1', '9.7', true], // numbers, not text: 10 > 7
    ['8.0.0.12345', '9', false],
    ['2025.1.0.102418', '9.7', true], // the year-numbered releases
    ['9.9-SNAPSHOT', '9.7', true],
  ])('%s >= %s: %s', (version, minimum, expected) => {
    expect(atLeast(version, minimum)).toBe(expected);
  });

  it('a version that is not one cannot be compared', () => {
    expect(atLeast('unknown', '9.7')).toBeNull();
    expect(atLeast('', '9.7')).toBeNull();
  });
});

describe('requireVersion', () => {
  const acme = (serverVersion?: string) => ({ kind: 'server' as const, serverVersion, label: 'ACME' });

  it('says which version the feature needs, which one runs, and what to do instead', () => {
    expect(() =>
      requireVersion(acme('9.5.0.56709'), SINCE.browserSignIn, 'Browser sign-in', 'Paste a token instead.'),
    ).toThrow(
      expect.objectContaining({
        code: 'rejected',
        message: 'Browser sign-in needs SonarQube Server 9.7 or later; ACME runs 9.5. Paste a token instead.',
      }),
    );
  });

  it('lets a new enough Server, Cloud (which reports 8.0) and an unknown version through', () => {
    expect(() => requireVersion(acme('9.7.0.61563'), SINCE.browserSignIn, 'Browser sign-in')).not.toThrow();
    expect(() =>
      requireVersion({ kind: 'cloud-eu', serverVersion: '8.0.0.12345', label: 'acme' }, '9.7', 'x'),
    ).not.toThrow();
    expect(() => requireVersion(acme(undefined), '9.7', 'x')).not.toThrow();
    expect(() => requireVersion(acme('weird'), '9.7', 'x')).not.toThrow();
  });

  it('the features and their versions', () => {
    expect(SINCE).toEqual({
      browserSignIn: '9.7',
      tokenTypes: '9.5',
      expirationDates: '9.6',
      bearer: '10.0',
    });
    expect(shortVersion('9.5.0.56709')).toBe('9.5');
  });
});

describe('what a sign-in page looks like', () => {
  const from = 'https://sq.example.com/api/server/version';

  it.each([
    'https://login.microsoftonline.com/common/oauth2/authorize?client_id=x',
    'https://acme.okta.com/app/sonar/sso/saml',
    'https://accounts.google.com/o/oauth2/v2/auth',
    'https://acme.cloudflareaccess.com/cdn-cgi/access/login/sq.example.com',
    '/login?return=%2Fapi%2Fserver%2Fversion',
    '/adfs/ls/?wa=wsignin1.0',
    '/oauth2/start?rd=%2F',
    '/auth/realms/acme/protocol/openid-connect/auth?client_id=sonar',
    '/sessions/new',
    '/cas/login?service=x',
  ])('a redirect to %s is a sign-in page', (location) => {
    expect(isSignInLocation(location, from)).toBe(true);
  });

  it.each([
    '/maintenance.html',
    'https://sq.example.com/sonarqube/api/server/version',
    '/api/authentication/validate',
  ])('a redirect to %s is not', (location) => {
    expect(isSignInLocation(location, from)).toBe(false);
  });

  it('HTML with a password field, a SAML form, or a form or refresh to a sign-in page', () => {
    const html = 'text/html';
    expect(isSignInPage(html, '<form><input type="password" name="p"></form>', from)).toBe(true);
    expect(isSignInPage(html, '<input type=hidden name=SAMLRequest value=x>', from)).toBe(true);
    expect(isSignInPage(html, '<form method="post" action="/idp/login"></form>', from)).toBe(true);
    expect(isSignInPage(null, '<meta http-equiv="refresh" content="0; url=/sso/start">', from)).toBe(true);
    expect(
      isSignInPage(html, '<script>window.location.href = "https://acme.okta.com/x"</script>', from),
    ).toBe(true);
  });

  it('not: an ordinary page, JSON, plain text', () => {
    expect(
      isSignInPage('text/html', '<html><h1>Welcome</h1><form action="/search"></form></html>', from),
    ).toBe(false);
    expect(isSignInPage('application/json', '{"errors":[{"msg":"password"}]}', from)).toBe(false);
    expect(isSignInPage('text/plain', '10.7.0.96327', from)).toBe(false);
  });

  it('a WWW-Authenticate challenge is not SonarQube’s, unless its realm names SonarQube', () => {
    expect(foreignChallenge('Negotiate')).toBe('Negotiate');
    expect(foreignChallenge('NTLM')).toBe('NTLM');
    expect(foreignChallenge('Basic realm="Corporate"')).toBe('Basic');
    expect(foreignChallenge('Bearer realm="oauth2-proxy", error="invalid_token"')).toBe('Bearer');
    expect(foreignChallenge('Basic realm="SonarQube"')).toBeNull();
    expect(foreignChallenge(null)).toBeNull();
    expect(foreignChallenge('  ')).toBeNull();
  });
});
