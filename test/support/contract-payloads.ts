/**
 * Generated payloads for the contract's calls. Each call's fields come from its input schema's
 * shape, so a call or a field added to the contract is generated too. A field's value is mostly
 * one that could pass (the vault's own accounts and tokens, the right types, values near the
 * limits), sometimes anything at all; fields go missing and unknown keys turn up now and then.
 */
import fc from 'fast-check';
import { ACCOUNT_KINDS, TOKEN_TYPES, calls, type CallName } from '@contract';
import { DAY_MS } from '@shared/expiry';

/** What the vault under test holds: payloads name these to reach past "not found". */
export interface KnownValues {
  readonly accountIds: readonly string[];
  readonly tokenNames: readonly string[];
  readonly keychainKeys: readonly string[];
  readonly serverUrl: string;
}

export interface GeneratedCall {
  readonly call: CallName;
  readonly payload: unknown;
}

export type FieldValues = (field: string) => fc.Arbitrary<unknown>;

const hugeString = fc
  .tuple(fc.constantFrom('x', ' ', 'é', '\u0000', '😀'), fc.integer({ min: 10_000, max: 1_000_000 }))
  .map(([unit, n]) => unit.repeat(n));

const deepObject = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 3 }),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
})).node;

/** Anything a transport could carry, and more: null-prototype objects, big ints, deep nesting, MBs. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  // A counterexample shrinks across kinds, so a huge string that did not matter does not print.
  { withCrossShrink: true },
  {
    arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true }),
    weight: 4,
  },
  { arbitrary: deepObject, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);

const extraKeys = fc.dictionary(
  fc.oneof(fc.constantFrom('__proto__', 'constructor', 'polluted', 'token'), fc.string({ maxLength: 10 })),
  fc.anything({ maxDepth: 1 }),
  { minKeys: 1, maxKeys: 2 },
);

const day = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
/** `known` three times in four: calls on what exists reach further. */
const mostly = <T, U>(known: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: known, weight: 3 }, { arbitrary: other, weight: 1 });
const twoDigits = (n: number) => String(n).padStart(2, '0');
const timeOfDay = mostly(
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })),
).map(([h, m]) => `${twoDigits(h)}:${twoDigits(m)}`);
/** A duration within its limits mostly, else up to a second (or a day) past either. */
const ms = (min: number, max: number, slack = 1_000) =>
  mostly(fc.integer({ min, max }), fc.integer({ min: min - slack, max: max + slack }));

/** Values that could pass, per field name (the contract's inputs share their field names). */
export function plausibleFields(known: KnownValues): FieldValues {
  const accountId = mostly(
    fc.constantFrom(...known.accountIds),
    fc.oneof(fc.uuid(), fc.stringMatching(/^[a-z0-9-]{8,64}$/)),
  );
  const fields: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
    accountId,
    name: mostly(fc.constantFrom(...known.tokenNames, ' ci '), fc.string({ maxLength: 110 })),
    kind: fc.constantFrom(...ACCOUNT_KINDS),
    baseUrl: mostly(
      fc.constantFrom(
        'https://sq.example.com/sonar',
        'http://10.0.0.8:9000',
        'sq.example.com',
        known.serverUrl,
      ),
      fc.oneof(fc.webUrl(), fc.string({ maxLength: 40 })),
    ),
    organization: mostly(fc.constant('acme'), fc.string({ maxLength: 20 })),
    label: fc.string({ maxLength: 110 }),
    credential: fc.string({ minLength: 1, maxLength: 60 }),
    value: fc.string({ minLength: 1, maxLength: 60 }),
    caCertificatePem: fc.oneof(
      fc.constant('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n'),
      fc.string({ maxLength: 60 }),
    ),
    allowInsecureHttp: fc.boolean(),
    enabled: fc.boolean(),
    type: fc.constantFrom(...TOKEN_TYPES),
    projectKey: mostly(fc.constant('my-app'), fc.string({ maxLength: 20 })),
    expirationDate: mostly(fc.oneof(fc.constant(null), day), fc.string({ maxLength: 12 })),
    login: mostly(fc.constantFrom('grace', 'alan'), fc.string({ maxLength: 20 })),
    onceId: fc.string({ unit: fc.constantFrom(...'ABCxyz019_-'), minLength: 20, maxLength: 66 }),
    query: fc.string({ maxLength: 210 }),
    reason: fc.constantFrom('user', 'focus'),
    revokeOldAfterMs: ms(60_000, 30 * DAY_MS, DAY_MS),
    clipboardClearMs: ms(0, 3_600_000),
    revealMs: ms(1_000, 120_000),
    onceValueMs: ms(10_000, 600_000),
    thresholdsMs: mostly(
      fc
        .uniqueArray(fc.integer({ min: 1, max: 365 * DAY_MS }), { minLength: 1, maxLength: 6 })
        .map((t) => t.sort((a, b) => b - a)),
      fc.array(fc.integer({ min: -1, max: 400 * DAY_MS }), { maxLength: 8 }),
    ),
    quietHours: fc.oneof(fc.constant(null), fc.record({ start: timeOfDay, end: timeOfDay })),
    mutedAccounts: fc.array(accountId, { maxLength: 3 }),
    notificationsPausedUntil: fc.oneof(fc.constant(null), fc.nat()),
    closeToTray: fc.boolean(),
    launchAtLogin: fc.boolean(),
    menuBarOnly: fc.boolean(),
    keys: fc.array(mostly(fc.constantFrom(...known.keychainKeys), fc.string({ maxLength: 30 })), {
      maxLength: 3,
    }),
  };
  // A field added to the contract since: anything at all.
  const unknown = fc.anything();
  return (field) => fields[field] ?? unknown;
}

/** Each field plausible eight times in nine, else junk. */
export function mostlyPlausible(known: KnownValues): FieldValues {
  const plausible = plausibleFields(known);
  return (field) => fc.oneof({ arbitrary: plausible(field), weight: 8 }, { arbitrary: junk, weight: 1 });
}

const ABSENT = Symbol('absent');

/** The fields of `call`'s input (each present 4 times in 5), drawn from `field`. */
export function fieldsFor(call: CallName, field: FieldValues): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(calls[call].input.shape);
  return fc
    .tuple(
      ...keys.map((key) => fc.option(field(key), { freq: 5, nil: ABSENT }).map((v) => [key, v] as const)),
    )
    .map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== ABSENT)));
}

/** A payload for `call`: its fields, an unknown key once in 8; once in 9 not its fields at all. */
export function payloadFor(call: CallName, field: FieldValues): fc.Arbitrary<unknown> {
  const structured = fc
    .tuple(
      fieldsFor(call, field),
      fc.oneof({ arbitrary: fc.constant({}), weight: 7 }, { arbitrary: extraKeys, weight: 1 }),
    )
    .map(([fields, extra]) => Object.fromEntries([...Object.entries(fields), ...Object.entries(extra)]));
  return fc.oneof({ arbitrary: structured, weight: 8 }, { arbitrary: junk, weight: 1 });
}

/** Any call of the contract with a payload for it (the arbitraries are built once, not per draw). */
export function anyCall(field: FieldValues): fc.Arbitrary<GeneratedCall> {
  const names = Object.keys(calls) as CallName[];
  return fc.oneof(...names.map((call) => payloadFor(call, field).map((payload) => ({ call, payload }))));
}
