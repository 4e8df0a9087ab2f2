/**
 * Server URLs as a person (or a pasted link, or a tampered data file) may write them: generated
 * from schemes, credentials, hosts (IDN look-alikes, full-width forms, IPv4 and IPv6 literals,
 * trailing dots, percent-encoding), ports, paths and tails, with tabs, newlines and backslashes
 * thrown in. Whatever normalizeServerUrl accepts is https (http only to this computer or with
 * consent), has no credentials, query or fragment, is plain ASCII, is stable and passes the
 * stored-account check; whatever it refuses is refused as 'bad-url', never with another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VaultError } from '@core/errors';
import { CLOUD_HOSTS, isLoopback, normalizeServerUrl } from '@core/sonarqube/regions';
import { accountCheck } from '@core/storage/stored-accounts';
import type { AccountRecord } from '@core/storage/schema';

/** This computer, as the README words it: localhost names, 127.0.0.0/8, ::1 (as URL writes them). */
function thisComputer(hostname: string): boolean {
  const octets = /^127\.(\d+)\.(\d+)\.(\d+)$/.exec(hostname);
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    (octets !== null && octets.slice(1).every((o) => Number(o) <= 255))
  );
}

const WELL_FORMED_SCHEMES = ['', 'https://', 'http://', 'HTTPS://', 'HtTp://'] as const;
const OTHER_SCHEMES = [
  'javascript:',
  'javascript://',
  'JavaScript://',
  'file://',
  'file:',
  'file:///',
  'data:',
  'data:text/html,',
  'ftp://',
  'ws://',
  'wss://',
  'blob:https://',
  'about:',
  'chrome://',
  'vbscript:',
  'mailto:',
  'http:/',
  'http:\\\\',
  'https:\\\\',
  'ht\ttp://',
  'https:///',
  'http:',
] as const;

const LOOPBACK_HOSTS = [
  'localhost',
  'LOCALHOST',
  'sonar.localhost',
  '127.0.0.1',
  '127.1',
  '127.255.255.254',
  '0x7f.0.0.1',
  '2130706433',
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
] as const;

const OTHER_HOSTS = [
  'sq.example.com',
  'SQ.Example.COM',
  'sq.example.com.',
  'localhost.',
  'localhost.evil.com',
  '127.0.0.1.evil.com',
  '127.0.0.1evil.com',
  '[::ffff:127.0.0.1]',
  '[::]',
  '0.0.0.0',
  '10.0.0.8',
  '[fe80::1]',
  '[fe80::1%25eth0]',
  '[::1',
  '[]',
  'sonarcloud.io',
  'sonarcloud.io.',
  'sonarcl\u043eud.io', // Cyrillic о
  'sοnarcloud.io', // Greek ο
  'sonar\u00adcloud.io', // soft hyphen: IDNA drops it
  'sonar\u200bcloud.io', // zero-width space
  'ｓｏｎａｒｃｌｏｕｄ．ｉｏ', // full-width letters and dot
  'sonarcloud\u3002io', // ideographic full stop
  'xn--sonarcloud-2pl.io',
  'xn--',
  'xn--zz.com',
  'müller.example',
  'пример.рф',
  '例え.テスト',
  'exa\tmple.com',
  'exa\nmple.com',
  'exa mple.com',
  'ex%61mple.com',
  'sq%2eexample.com',
  'sq.example.com%40evil.com',
  'sq.example.com\\@evil.com',
  '%zz',
  '%',
  '',
  ' ',
  '\u0000',
  '`',
  'a'.repeat(64) + '.com',
  'sq.example.com:',
] as const;

const CREDENTIALS = ['user@', 'user:pass@', ':pass@', 'user%40x:p@', 'squ_' + 'a'.repeat(40) + '@'] as const;
const EMPTY_CREDENTIALS = ['', '@', ':@'] as const;
const PORTS = [
  '',
  ':',
  ':0',
  ':443',
  ':80',
  ':8443',
  ':65535',
  ':65536',
  ':0443',
  ':00080',
  ':-1',
  ':1e3',
  ': 80',
  ':99999999999',
] as const;
const PATHS = [
  '',
  '/',
  '/sonar',
  '/sonar/',
  '//',
  '/sonar//',
  '/a/../b',
  '/%2e%2e/',
  '/./sonar/.',
  '/s\u00f6nar',
  '\\sonar',
  '/a\tb',
  '/a\nb',
  '/a b',
  '/%3F%23',
  '/@x',
  '/a:b',
] as const;
const QUERIES = ['?token=x', '?q', '#frag', '?a#b', '?#x'] as const;
/** An empty query or fragment is no query or fragment: the URL keeps neither. */
const EMPTY_TAILS = ['', '?', '#', '?#', ' ', '\t', '\n', '/'] as const;

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const host = fc.oneof(
  pick(LOOPBACK_HOSTS),
  pick(OTHER_HOSTS),
  fc.domain(),
  fc.ipV4(),
  fc.ipV6().map((h) => `[${h}]`),
);

/** An address as typed, in the order it is written. */
type Parts = Readonly<{
  scheme: string;
  credentials: string;
  host: string;
  port: string;
  path: string;
  tail: string;
}>;
const written = (p: Parts) => `${p.scheme}${p.credentials}${p.host}${p.port}${p.path}${p.tail}`;

const parts = (overrides: Partial<Record<keyof Parts, fc.Arbitrary<string>>> = {}): fc.Arbitrary<Parts> =>
  fc.record({
    scheme: fc.oneof(pick(WELL_FORMED_SCHEMES), pick(OTHER_SCHEMES)),
    credentials: fc.oneof({ arbitrary: pick(EMPTY_CREDENTIALS), weight: 3 }, pick(CREDENTIALS)),
    host,
    port: pick(PORTS),
    path: fc.oneof(pick(PATHS), fc.webPath()),
    tail: fc.oneof({ arbitrary: pick(EMPTY_TAILS), weight: 3 }, pick(QUERIES)),
    ...overrides,
  });

/** A character anywhere: a control character, a separator, a look-alike, anything at all. */
const strayCharacter = fc.oneof(
  pick([
    '\t',
    '\n',
    '\r',
    '\\',
    '/',
    '@',
    ':',
    '?',
    '#',
    '%',
    '.',
    ' ',
    '\u3002',
    '\uff0e',
    '\u043e',
    '\u200b',
  ]),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const withStray = fc.tuple(parts(), fc.nat(), strayCharacter).map(([p, at, c]) => {
  const text = written(p);
  const i = at % (text.length + 1);
  return text.slice(0, i) + c + text.slice(i);
});

/** Anything a person could paste into the address field. */
const typedAddress = fc.oneof(
  { arbitrary: parts().map(written), weight: 6 },
  { arbitrary: withStray, weight: 2 },
  {
    arbitrary: fc.webUrl({
      validSchemes: ['http', 'https', 'ftp', 'file', 'javascript'],
      authoritySettings: {
        withIPv4: true,
        withIPv6: true,
        withIPv4Extended: true,
        withUserInfo: true,
        withPort: true,
      },
      withQueryParameters: true,
      withFragments: true,
    }),
    weight: 1,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
);

/** What normalizeServerUrl makes of `raw`: the URL it keeps, or the refusal's code. */
function outcome(raw: string, allowInsecureHttp: boolean): { url: string } | { refused: string } {
  try {
    return { url: normalizeServerUrl(raw, { allowInsecureHttp }) };
  } catch (error) {
    // Anything but a VaultError fails the property as it is.
    if (!(error instanceof VaultError)) throw error;
    return { refused: error.code };
  }
}

function serverRecord(baseUrl: string, insecureHttp: boolean | undefined): AccountRecord {
  return {
    id: 'acct-fuzz-0001',
    kind: 'server',
    label: 'fuzz',
    baseUrl,
    login: 'grace',
    userName: 'Grace',
    isAdmin: false,
    serverVersion: '10.7.0.96327',
    addedAt: 0,
    insecureHttp,
  };
}

describe('server URLs, generated', () => {
  it('accepts only https (or http to this computer, or with consent), plain, stable and checkable URLs', () => {
    const check = accountCheck();
    fc.assert(
      fc.property(typedAddress, fc.boolean(), (raw, allowInsecureHttp) => {
        const result = outcome(raw, allowInsecureHttp);
        if ('refused' in result) {
          expect(result.refused).toBe('bad-url');
          return;
        }
        const kept = result.url;
        // Printable ASCII only: IDN hosts as punycode, the path percent-encoded, no whitespace.
        expect(kept).toMatch(/^[\x21-\x7e]+$/);
        const url = new URL(kept);
        const insecure = url.protocol === 'http:' && !thisComputer(url.hostname);
        expect(
          url.protocol === 'https:' || (url.protocol === 'http:' && (!insecure || allowInsecureHttp)),
        ).toBe(true);
        expect([url.username, url.password, url.search, url.hash]).toEqual(['', '', '', '']);
        expect(kept).not.toMatch(/[?#]/);
        expect(kept).not.toMatch(/\/$/);
        expect(`${url.origin}${url.pathname}`.replace(/\/+$/, '')).toBe(kept);
        // Stable: what is stored normalizes to itself, with the consent it was stored with.
        expect(normalizeServerUrl(kept, { allowInsecureHttp: insecure })).toBe(kept);
        // And the stored-account check takes it as the vault stored it (addAccount records consent).
        expect(check(serverRecord(kept, insecure || undefined))).toBeNull();
      }),
      { numRuns: 3_000 },
    );
  });

  it('refuses credentials, queries and fragments in an otherwise good URL, and other schemes', () => {
    const httpScheme = pick(WELL_FORMED_SCHEMES);
    const goodHost = fc.oneof(pick(LOOPBACK_HOSTS), fc.domain());
    const refusals = fc.oneof(
      parts({ scheme: httpScheme, host: goodHost, credentials: pick(CREDENTIALS) }),
      parts({ scheme: httpScheme, host: goodHost, port: pick(['', ':8443']), tail: pick(QUERIES) }),
      parts({
        scheme: pick(OTHER_SCHEMES.filter((s) => /^(?!https?:)[a-z]+:\/\//i.test(s))),
        host: goodHost,
        port: pick(['', ':8443']),
        path: pick(['', '/etc/passwd', '/sonar']),
      }),
    );
    fc.assert(
      fc.property(refusals, fc.boolean(), (p, allowInsecureHttp) => {
        expect(outcome(written(p), allowInsecureHttp)).toEqual({ refused: 'bad-url' });
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses plain http to any other computer without consent, and keeps it with consent', () => {
    const otherComputer = fc.oneof(
      pick(['sq.example.com', '10.0.0.8', '[::ffff:127.0.0.1]', 'localhost.evil.com', '127.0.0.1.evil.com']),
      fc.domain().filter((d) => !d.endsWith('.localhost')),
      fc.ipV4().filter((ip) => !ip.startsWith('127.')),
    );
    fc.assert(
      fc.property(otherComputer, pick(['', ':9000']), pick(['', '/sonar']), (h, port, path) => {
        const raw = `http://${h}${port}${path}`;
        expect(outcome(raw, false)).toEqual({ refused: 'bad-url' });
        const kept = outcome(raw, true);
        expect(kept).toHaveProperty('url');
        if ('url' in kept) expect(new URL(kept.url).protocol).toBe('http:');
      }),
      { numRuns: 500 },
    );
  });

  it('takes http to this computer without asking, whatever form its address has', () => {
    fc.assert(
      fc.property(pick(LOOPBACK_HOSTS), pick(['', ':9000', ':0']), pick(['', '/sonar/']), (h, port, path) => {
        const kept = outcome(`http://${h}${port}${path}`, false);
        expect(kept).toHaveProperty('url');
      }),
    );
  });

  it('isLoopback says this computer only for this computer', () => {
    const hostnames = fc
      .oneof(
        pick(LOOPBACK_HOSTS),
        pick(OTHER_HOSTS),
        fc.domain(),
        fc.ipV4(),
        fc.ipV6().map((h) => `[${h}]`),
      )
      .map((h) => {
        try {
          return new URL(`http://${h}`).hostname;
        } catch {
          return h;
        }
      });
    fc.assert(
      fc.property(hostnames, (h) => {
        expect(isLoopback(h)).toBe(thisComputer(h));
      }),
      { numRuns: 1_000 },
    );
  });

  it('a stored Server URL passes the check exactly when it is the normalized form of itself', () => {
    const check = accountCheck();
    fc.assert(
      fc.property(typedAddress, fc.boolean(), (raw, insecureHttp) => {
        const result = outcome(raw, insecureHttp);
        const passes = check(serverRecord(raw, insecureHttp || undefined)) === null;
        expect(passes).toBe('url' in result && result.url === raw);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('Cloud accounts, stored', () => {
  /** A look-alike, a full-width form, a case change, a separator, an invisible, anything at all. */
  const character = fc.oneof(
    pick([
      'о',
      'ο',
      'О',
      'ѕ',
      'ı',
      'İ',
      'ℓ',
      'ｓ',
      '．',
      '。',
      '/',
      '.',
      ':',
      ' ',
      '\t',
      '\u200b',
      '\u00ad',
      'S',
      'O',
    ]),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  type Edit = { op: 'insert' | 'replace' | 'delete' | 'upper'; at: number; c: string };
  const edit = fc.record({
    op: pick(['insert', 'replace', 'delete', 'upper'] as const),
    at: fc.nat(),
    c: character,
  });
  const applied = (text: string, edits: readonly Edit[]) =>
    edits.reduce((t, { op, at, c }) => {
      const i = at % (t.length + (op === 'insert' ? 1 : 0) || 1);
      if (op === 'insert') return t.slice(0, i) + c + t.slice(i);
      if (op === 'replace') return t.slice(0, i) + c + t.slice(i + 1);
      if (op === 'upper') return t.slice(0, i) + t.charAt(i).toUpperCase() + t.slice(i + 1);
      return t.slice(0, i) + t.slice(i + 1);
    }, text);

  it("is set aside when its base URL differs from its region's host by any character", () => {
    const check = accountCheck();
    fc.assert(
      fc.property(
        pick(['cloud-eu', 'cloud-us'] as const),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (kind, edits) => {
          const baseUrl = applied(CLOUD_HOSTS[kind], edits);
          fc.pre(baseUrl !== CLOUD_HOSTS[kind]);
          const record: AccountRecord = { ...serverRecord(baseUrl, undefined), kind, organization: 'acme' };
          expect(check(record)).toEqual(expect.any(String));
          // Its region's own host passes, so the edit alone made the difference.
          expect(check({ ...record, baseUrl: CLOUD_HOSTS[kind] })).toBeNull();
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
