/**
 * Generated answers of something posing as SonarQube (a proxy, a login page, a broken or hostile
 * server): any status and reason, HTML, text, bytes, truncated or garbled JSON, JSON of the wrong
 * shape, SonarQube's own shapes, odd Retry-After and content types, a body cut short, a reset.
 * Each carries a token-shaped value somewhere, and says whether it sits where SonarQube puts its
 * own words (an error's `msg`, the status line), which the client may quote and the boundary
 * sanitizes, or elsewhere (a page, a header, a stray field), which nothing should ever quote.
 */
import type { ServerResponse } from 'node:http';
import fc from 'fast-check';
import { tokenValue } from './token-values';

export interface HostileAnswer {
  readonly status: number;
  readonly reason: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
  /** 'cut': the headers and part of the body, then the connection drops; 'reset': a TCP reset. */
  readonly delivery: 'whole' | 'cut' | 'reset';
  /** The token-shaped value the answer carries. */
  readonly value: string;
  /** Whether it sits in SonarQube's own words (an error `msg`, the reason phrase). */
  readonly quotable: boolean;
}

/** Answers SonarQube gives to the vault's calls (none quoting a value but generate's). */
const SONARQUBE_BODIES = [
  '10.7.0.96327',
  '9.9.4.87374',
  '{"isLoggedIn":true,"login":"grace","name":"Grace","permissions":{"global":["admin"]}}',
  '{"isLoggedIn":false,"permissions":{"global":[]}}',
  '{"login":"grace","userTokens":[{"name":"ci","type":"USER_TOKEN","createdAt":"2026-01-01T00:00:00+0000"}]}',
  '{"login":"grace","userTokens":[]}',
  '{"organizations":[{"key":"acme","name":"ACME"}],"paging":{"pageIndex":1,"pageSize":500,"total":1}}',
  '{"components":[{"key":"my-app","name":"My App"}],"paging":{"pageIndex":1,"pageSize":50,"total":1}}',
  '{"settings":[{"key":"sonar.auth.token.max.allowed.lifetime","value":"90 days"}]}',
  '{"edition":"enterprise"}',
  '{"errors":[{"msg":"Insufficient privileges"}]}',
  '{"errors":[]}',
  '{"errors":[{"msg":5}]}',
  '{"errors":"x"}',
  '{}',
  '[]',
  'null',
  '',
] as const;

/** Refused by the client's fetch as a network failure, which a core retries after a real wait. */
const REDIRECTS = [301, 302, 303, 307, 308];
const STATUSES = [
  200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409, 413, 418, 429, 500, 502, 503, 504,
];

const cut = (text: string, at: number) => text.slice(0, at % (text.length + 1));
const garble = (text: string, at: number, c: string) => {
  const i = at % Math.max(text.length, 1);
  return text.slice(0, i) + c + text.slice(i + 1);
};

type Placed = { body: string | Uint8Array; quotable: boolean };

/** A body built around `value`, and whether the value sits in an error's `msg`. */
function bodies(value: string): fc.Arbitrary<Placed> {
  const sonar = fc.constantFrom(...SONARQUBE_BODIES);
  const unquoted = (body: fc.Arbitrary<string | Uint8Array>) =>
    body.map((b) => ({ body: b, quotable: false }));
  return fc.oneof(
    fc.constant({
      body: JSON.stringify({ errors: [{ msg: `Token ${value} is not valid` }] }),
      quotable: true,
    }),
    unquoted(
      fc.constantFrom(
        `<!DOCTYPE html><html><head><title>Sign in</title></head><body><form><input name="t" value="${value}"></form></body></html>`,
        `<html><body><h1>502 Bad Gateway</h1><p>upstream said ${value}</p></body></html>`,
        `Access denied for ${value}`,
        JSON.stringify({ login: 'grace', token: value, userTokens: 'none' }),
        JSON.stringify({ errors: [{ message: value }] }),
        JSON.stringify({ isLoggedIn: 'yes', login: value }),
        `{"login":"grace","userTokens":[{"name":"${value}"`,
      ),
    ),
    // SonarQube's own answers, whole, truncated or garbled, with the value in a header instead.
    unquoted(sonar),
    unquoted(fc.tuple(sonar, fc.nat()).map(([b, at]) => cut(b, at))),
    unquoted(
      fc
        .tuple(sonar, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([b, at, c]) => garble(b, at, c)),
    ),
    unquoted(fc.json({ maxDepth: 3 })),
    unquoted(fc.uint8Array({ maxLength: 300 })),
  );
}

const retryAfter = (value: string) =>
  fc.constantFrom(
    '0',
    '1',
    '31',
    '3600',
    '99999999999999999999',
    '-1',
    '1.5',
    'Wed, 21 Oct 2015 07:28:00 GMT',
    'Fri, 01 Jan 2100 00:00:00 GMT',
    value,
  );

/**
 * A hostile answer. `options.prompt`: only answers the vault takes at once (no reset, cut or
 * redirect status, and Retry-After 0 on a status it retries), for a core whose retries wait for real.
 */
export function hostileAnswer(options: { prompt?: boolean } = {}): fc.Arbitrary<HostileAnswer> {
  return tokenValue.chain((value) =>
    fc
      .record({
        status: fc
          .oneof({ arbitrary: fc.constantFrom(...STATUSES), weight: 3 }, fc.integer({ min: 200, max: 599 }))
          .filter((status) => !options.prompt || !REDIRECTS.includes(status)),
        reasonHasValue: fc.boolean(),
        placed: bodies(value),
        contentType: fc.option(
          fc.constantFrom(
            'application/json',
            'text/html; charset=utf-8',
            'text/plain',
            'application/octet-stream',
          ),
        ),
        retryAfter: fc.option(retryAfter(value)),
        inHeader: fc.boolean(),
        location: fc.option(
          fc.constantFrom('/api/elsewhere', 'http://127.0.0.1:9/x', `https://${value}.example/`),
        ),
        delivery: options.prompt
          ? fc.constant('whole' as const)
          : fc.oneof(
              { arbitrary: fc.constant('whole' as const), weight: 8 },
              fc.constant('cut' as const),
              fc.constant('reset' as const),
            ),
      })
      .map((a): HostileAnswer => {
        const headers: Record<string, string> = {};
        if (a.contentType !== null) headers['Content-Type'] = a.contentType;
        if (a.retryAfter !== null) headers['Retry-After'] = a.retryAfter;
        if (a.inHeader) headers['WWW-Authenticate'] = `Bearer error="invalid_token", token="${value}"`;
        if (a.location !== null) headers['Location'] = a.location;
        if (options.prompt && [429, 502, 503, 504].includes(a.status)) headers['Retry-After'] = '0';
        return {
          status: a.status,
          reason: a.reasonHasValue ? `Refused ${value}` : undefined,
          headers,
          body: a.placed.body,
          delivery: a.delivery,
          value,
          quotable: a.placed.quotable || a.reasonHasValue,
        };
      }),
  );
}

/** Sends `answer` as the response. */
export function serveAnswer(answer: HostileAnswer, response: ServerResponse): void {
  if (answer.delivery === 'reset') {
    response.socket?.resetAndDestroy();
    return;
  }
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : Buffer.from(answer.body);
  // A cut answer promises more than it sends, then the connection drops.
  const length = answer.delivery === 'cut' ? body.length + 100 : body.length;
  const headers = { ...answer.headers, 'Content-Length': String(length) };
  if (answer.reason === undefined) response.writeHead(answer.status, headers);
  else response.writeHead(answer.status, answer.reason, headers);
  if (answer.delivery === 'whole') {
    response.end(body);
    return;
  }
  response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
}
