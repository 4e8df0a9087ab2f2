import { describe, expect, it } from 'vitest';
import { APP_URL, CONTENT_SECURITY_POLICY, pageUrl } from '../../electron/main/app-protocol';
import { accountHosts, linkAllowed } from '../../electron/main/external-links';
import { isOwnPage } from '../../electron/main/trust';

describe('IPC sender trust', () => {
  it('accepts our own page, with or without a hash or query', () => {
    expect(isOwnPage(APP_URL, APP_URL)).toBe(true);
    expect(isOwnPage(`${APP_URL}#/tokens`, APP_URL)).toBe(true);
    expect(isOwnPage('http://localhost:5173/?x=1', 'http://localhost:5173/')).toBe(true);
  });

  it('refuses any other page, scheme, host or garbage', () => {
    expect(isOwnPage('app://evil/index.html', APP_URL)).toBe(false);
    expect(isOwnPage('app://vault/other.html', APP_URL)).toBe(false);
    expect(isOwnPage('file:///opt/vault/out/renderer/index.html', APP_URL)).toBe(false);
    expect(isOwnPage('https://vault/index.html', APP_URL)).toBe(false);
    expect(isOwnPage('https://sonarcloud.io/', APP_URL)).toBe(false);
    expect(isOwnPage('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isOwnPage('http://localhost:5173/other.html', 'http://localhost:5173/')).toBe(false);
    expect(isOwnPage('about:blank', APP_URL)).toBe(false);
    expect(isOwnPage('not a url', APP_URL)).toBe(false);
  });
});

describe('the page the window shows', () => {
  const dev = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
  it('is app://vault/, whatever the environment says, once packaged', () => {
    expect(pageUrl(true, dev)).toBe(APP_URL);
    expect(pageUrl(true, {})).toBe(APP_URL);
  });
  it('is the dev server in `electron-vite dev` only', () => {
    expect(pageUrl(false, dev)).toBe('http://localhost:5173/');
    expect(pageUrl(false, {})).toBe(APP_URL);
  });
});

describe('links opened in the browser', () => {
  const hosts = accountHosts([
    'https://sq.example.com:8443/sonar',
    'https://sonarcloud.io',
    'http://10.0.0.5:9000',
  ]);
  it.each([
    'https://docs.sonarsource.com/sonarqube-server/latest/',
    'https://sq.example.com:8443/sonar/account/security',
    'https://sonarcloud.io/account/security',
  ])('opens %s', (url) => expect(linkAllowed(url, hosts)).toBe(true));
  it.each([
    'http://docs.sonarsource.com/', // not https
    'https://sq.example.com/', // another port than the account's
    'http://10.0.0.5:9000/', // an http account's pages
    'https://evil.example/',
    'https://user:pass@docs.sonarsource.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ms-settings:privacy',
    'not a url',
  ])('refuses %s', (url) => expect(linkAllowed(url, hosts)).toBe(false));

  // "Tell the owner": an e-mail the vault writes, handed to the OS mail client.
  it.each([
    'mailto:alan@example.com',
    'mailto:alan.turing+sonar@example.co.uk?subject=Your%20token&body=It%20expires%20soon.%0A',
    'mailto:alan%40example.com?body=x',
  ])('opens %s', (url) => expect(linkAllowed(url, hosts)).toBe(true));
  it.each([
    'mailto:alan@example.com?attach=/home/grace/.ssh/id_rsa', // mail clients have attached files
    'mailto:alan@example.com?subject=a&attachment=file:///etc/passwd',
    'mailto:alan@example.com?subject=a&subject=b',
    'mailto:alan@example.com?cc=eve@example.com',
    'mailto:alan@example.com,eve@example.com',
    'mailto:alan@example.com%2Ceve@example.com',
    'mailto:?to=eve@example.com',
    'mailto:',
    'mailto:alan@example.com#x',
    'mailto://evil.example/alan@example.com',
    // Other schemes that take an address are not mail: no app of the OS is handed one.
    'sip:alan@example.com',
    'callto:alan@example.com',
    'x-custom-handler:alan@example.com?subject=a',
    'https:alan@example.com',
  ])('refuses %s', (url) => expect(linkAllowed(url, hosts)).toBe(false));
});

describe('the page’s CSP', () => {
  it('is the same in the page and in the header app://vault/ sends (plus what only a header can say)', async () => {
    const { readFile } = await import('node:fs/promises');
    const html = await readFile('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(CONTENT_SECURITY_POLICY).toBe(`${meta}; frame-ancestors 'none'`);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:/);
  });
});
