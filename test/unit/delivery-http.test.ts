/**
 * The delivery clients' shared policy, without a server: rate-limit waits read from headers, the
 * sanitizer, the service's words, the API address rule, the GitLab masking rule, the sealed box, and
 * the guarded fetch (attempts, redirects, body cap) over a stub fetch.
 */
import sodium from 'libsodium-wrappers';
import { describe, expect, it } from 'vitest';
import { VaultError } from '@core/errors';
import { GITLAB_MASKABLE } from '@core/delivery/gitlab';
import {
  apiUrlProblem,
  deliveryFailure,
  guardedFetch,
  rateLimitWaitOf,
  sanitize,
  serviceWords,
  type Where,
} from '@core/delivery/http';
import { sealForGitHub } from '@core/delivery/seal';

const where: Where = {
  service: 'GitHub',
  host: 'api.github.com',
  label: 'GitHub acme/web · SONAR_TOKEN',
  place: 'acme/web',
  missing: 'no repository acme/web',
  permission: 'it needs "Secrets: write"',
  secrets: ['ghp_credential1234567890', 'the-value-1234'],
};

describe('rate-limit waits', () => {
  const at = 'Tue, 01 Sep 2026 10:00:00 GMT';
  const nowS = Date.parse(at) / 1000;
  it('reads Retry-After in seconds or as a date, on a 429 or a 403', () => {
    expect(rateLimitWaitOf(429, new Headers({ 'retry-after': '7' }), null)).toBe(7_000);
    expect(rateLimitWaitOf(403, new Headers({ 'retry-after': '2' }), null)).toBe(2_000);
    expect(
      rateLimitWaitOf(429, new Headers({ date: at, 'retry-after': 'Tue, 01 Sep 2026 10:00:30 GMT' }), null),
    ).toBe(30_000);
  });
  it('waits for the reset, on the server’s clock, when the limit is used up', () => {
    const github = new Headers({
      date: at,
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(nowS + 90),
    });
    expect(rateLimitWaitOf(403, github, null)).toBe(90_000);
    const gitlab = new Headers({ date: at, 'ratelimit-reset': String(nowS + 5) });
    expect(rateLimitWaitOf(429, gitlab, null)).toBe(5_000);
    // A reset already past still waits a second.
    expect(
      rateLimitWaitOf(
        403,
        new Headers({ date: at, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowS - 5) }),
        null,
      ),
    ).toBe(1_000);
  });
  it('a 429 that says nothing waits a minute; a secondary limit in words too', () => {
    expect(rateLimitWaitOf(429, new Headers(), null)).toBe(60_000);
    expect(rateLimitWaitOf(403, new Headers(), 'You have exceeded a secondary rate limit.')).toBe(60_000);
  });
  it('a plain 403 or any other status is no rate limit', () => {
    expect(rateLimitWaitOf(403, new Headers({ 'x-ratelimit-remaining': '4999' }), 'Forbidden')).toBeNull();
    expect(rateLimitWaitOf(503, new Headers({ 'retry-after': '5' }), null)).toBeNull();
  });
});

describe('messages', () => {
  it('sanitize removes every secret, longest first, and token-shaped text', () => {
    const text = `a ghp_credential1234567890 b the-value-1234 c squ_${'a'.repeat(40)} d`;
    expect(sanitize(text, ['the-value', 'the-value-1234', 'ghp_credential1234567890'])).toBe(
      'a [secret] b [secret] c [token] d',
    );
  });
  it('serviceWords reads GitHub’s and GitLab’s error bodies', () => {
    expect(serviceWords({ message: 'Validation Failed', errors: [{ message: 'bad key_id' }, 'other'] })).toBe(
      'Validation Failed; bad key_id; other',
    );
    expect(serviceWords({ message: { value: ['is invalid'], key: ['is too long', 'is odd'] } })).toBe(
      'value is invalid; key is too long, is odd',
    );
    expect(serviceWords({ error: 'insufficient_scope', error_description: 'Needs api.' })).toBe('Needs api.');
    expect(serviceWords('<html><body>proxy</body></html>')).toBeNull();
    expect(serviceWords({})).toBeNull();
    expect(serviceWords('x'.repeat(400))).toHaveLength(301);
  });
  it('an unknown failure is internal, worded without its own text', () => {
    const error = deliveryFailure(new TypeError('ghp_credential1234567890 leaked'), where, null);
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('ghp_');
  });
  it('a VaultError found as a cause is kept, and sanitized again', () => {
    const inner = new VaultError('timeout', 'slow for the-value-1234');
    const error = deliveryFailure(new Error('wrapped', { cause: inner }), where, null);
    expect({ code: error.code, message: error.message }).toEqual({
      code: 'timeout',
      message: 'slow for [secret]',
    });
  });
});

describe('API address rule', () => {
  it('takes https, and http only to this computer', () => {
    expect(apiUrlProblem('https://api.github.com')).toBeNull();
    expect(apiUrlProblem('https://ghe.example.com/api/v3')).toBeNull();
    expect(apiUrlProblem('http://127.0.0.1:8080')).toBeNull();
    expect(apiUrlProblem('http://localhost:8080')).toBeNull();
    expect(apiUrlProblem('http://gitlab.example.com')).toContain('https');
    expect(apiUrlProblem('https://user:pw@gitlab.example.com')).toContain('user name');
    expect(apiUrlProblem('https://gitlab.example.com/?x=1')).toContain('query');
    expect(apiUrlProblem('not a url')).toContain('not a URL');
  });
});

describe('GitLab masking rule', () => {
  it('takes every SonarQube token shape, refuses what GitLab refuses', () => {
    const hex = '0123456789abcdef'.repeat(3).slice(0, 40);
    for (const value of [`squ_${hex}`, `sqa_${hex}`, `sqp_${hex}`, hex])
      expect(GITLAB_MASKABLE.test(value)).toBe(true);
    for (const value of ['short', 'has a space', 'dollar$sign1', 'line\nbreak12']) {
      expect(GITLAB_MASKABLE.test(value)).toBe(false);
    }
  });
});

describe('sealed box', () => {
  it('only the private key opens what was sealed to the public key', async () => {
    await sodium.ready;
    const pair = sodium.crypto_box_keypair();
    const sealed = await sealForGitHub(
      'squ_value',
      sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL),
    );
    const bytes = sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL);
    expect(sodium.crypto_box_seal_open(bytes, pair.publicKey, pair.privateKey, 'text')).toBe('squ_value');
    const other = sodium.crypto_box_keypair();
    expect(() => sodium.crypto_box_seal_open(bytes, other.publicKey, other.privateKey)).toThrow();
  });
  it('refuses a key that is not 32 bytes of base64', async () => {
    await expect(sealForGitHub('v', 'bm90IGEga2V5')).rejects.toThrow();
    await expect(sealForGitHub('v', '%%%')).rejects.toThrow();
  });
});

describe('guarded fetch', () => {
  const noWait = (waits: number[]) => (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };

  it('never follows a redirect and always has a time limit', async () => {
    const seen: RequestInit[] = [];
    const fetch = guardedFetch({
      fetch: (_url, init) => {
        seen.push(init ?? {});
        return Promise.resolve(new Response('{}', { status: 200 }));
      },
      sleep: noWait([]),
      maxRetryWaitMs: 60_000,
      timeoutMs: 1_000,
      where,
    });
    await fetch('https://api.github.com/x', { method: 'GET', redirect: 'follow' });
    expect(seen[0]?.redirect).toBe('error');
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends at most 3 times while rate-limited, then hands the last answer over', async () => {
    let calls = 0;
    const waits: number[] = [];
    const fetch = guardedFetch({
      fetch: () => {
        calls += 1;
        return Promise.resolve(new Response(null, { status: 429, headers: { 'Retry-After': '0' } }));
      },
      sleep: noWait(waits),
      maxRetryWaitMs: 60_000,
      timeoutMs: 1_000,
      where,
    });
    const response = await fetch('https://api.github.com/x');
    expect(response.status).toBe(429);
    expect(calls).toBe(3);
    expect(waits).toEqual([0, 0]);
  });

  it('refuses an answer over the cap, and words a network failure without its secrets', async () => {
    const big = guardedFetch({
      fetch: () => Promise.resolve(new Response(new Uint8Array(2 * 1024 * 1024), { status: 200 })),
      sleep: noWait([]),
      maxRetryWaitMs: 0,
      timeoutMs: 1_000,
      where,
    });
    await expect(big('https://api.github.com/x')).rejects.toMatchObject({ code: 'server-error' });
    const down = guardedFetch({
      fetch: () =>
        Promise.reject(
          new TypeError('fetch failed', {
            cause: Object.assign(new Error('connect ECONNREFUSED ghp_credential1234567890'), {
              code: 'ECONNREFUSED',
            }),
          }),
        ),
      sleep: noWait([]),
      maxRetryWaitMs: 0,
      timeoutMs: 1_000,
      where,
    });
    const error = await down('https://api.github.com/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).message).toBe(
      'Could not reach api.github.com for GitHub acme/web · SONAR_TOKEN (the connection was refused).',
    );
  });
});
