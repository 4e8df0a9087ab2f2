/**
 * Token-shaped values for property tests, and the check that text carries no part of one.
 * Shapes as in shared/sonarqube-api.md: `squ_`, `sqa_`, `sqp_` + 40 lowercase hex (Server), or
 * 40 bare hex (Cloud); upper case too, since the redactor ignores case and so must a leak check.
 */
import fc from 'fast-check';

const HEX = [...'0123456789abcdef'];

/**
 * 40 hex characters. Never shrunk: a shrunk value (forty zeros) is too plain to tell a leak from
 * ordinary text, and the value is never what makes a counterexample.
 */
export const hex40: fc.Arbitrary<string> = fc.noShrink(
  fc.string({ unit: fc.constantFrom(...HEX), minLength: 40, maxLength: 40 }),
);

/** A Server or Cloud value, in either case. */
export const tokenValue: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('squ_', 'sqa_', 'sqp_', ''), hex40, fc.boolean())
  .map(([prefix, hex, upper]) => (upper ? `${prefix}${hex}`.toUpperCase() : `${prefix}${hex}`));

/**
 * Any 16 consecutive characters of a value's 40 hex: a value cut short (a log field sliced to a
 * length, a message truncated) still gives most of itself away, and 16 random hex characters do
 * not turn up in a vault's files by chance.
 */
const WINDOW = 16;

/** The first piece of `value` found in `text`, or null: the text gives none of it away. */
export function leakedPart(text: string, value: string): string | null {
  const hex = value.slice(-40).toLowerCase();
  const haystack = text.toLowerCase();
  for (let at = 0; at + WINDOW <= hex.length; at++) {
    const piece = hex.slice(at, at + WINDOW);
    if (haystack.includes(piece)) return piece;
  }
  return null;
}

const TOKEN_SHAPED = /(?:sq[uap]_)?[0-9a-f]{40,}/gi;

/** Every token-shaped string in a value: in its strings and its keys, however deep. */
export function tokenShapedIn(input: unknown, found: string[] = []): string[] {
  if (typeof input === 'string') found.push(...(input.match(TOKEN_SHAPED) ?? []));
  else if (input !== null && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      tokenShapedIn(key, found);
      tokenShapedIn(value, found);
    }
  }
  return found;
}

/** A 40-hex run as each kind of value, in either case. */
const SHAPES: readonly ((hex: string) => string)[] = [
  (h) => h,
  (h) => `squ_${h}`,
  (h) => `sqa_${h}`,
  (h) => `sqp_${h}`,
  (h) => h.toUpperCase(),
  (h) => `SQU_${h.toUpperCase()}`,
];

/** How a value may sit in a field: as it is, in text, in a URL, glued to more hex, in a list, as a key. */
const PLACES: readonly ((value: string) => unknown)[] = [
  (v) => v,
  (v) => ` ${v} `,
  (v) => `my token is ${v}!`,
  (v) => `https://${v}/sonar`,
  (v) => `${v}.example.com`,
  (v) => `https://sq.example.com/${v}`,
  (v) => `https://user:${v}@sq.example.com`,
  (v) => `http://sq.example.com:9000/?token=${v}`,
  (v) => `${'a'.repeat(70)}${v}`,
  (v) => [v],
  (v) => ({ [v]: v }),
];

/**
 * A token value placed in a field. Three times in four the placement is one the field's schema
 * accepts, when there is one (a bare Cloud value as an account id, in a list of them…), so the
 * value gets past the boundary to the handler; otherwise any placement, which the schema may refuse.
 */
export function carriedBy(schema: {
  safeParse(input: unknown): { success: boolean };
}): fc.Arbitrary<unknown> {
  const candidates = (hex: string) => SHAPES.flatMap((shape) => PLACES.map((place) => place(shape(hex))));
  return fc
    .tuple(hex40, fc.nat(), fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)))
    .map(([hex, pick, fitting]) => {
      const all = candidates(hex);
      const accepted = fitting ? all.filter((c) => schema.safeParse(c).success) : [];
      const pool = accepted.length ? accepted : all;
      return pool[pick % pool.length];
    });
}
