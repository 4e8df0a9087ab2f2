/**
 * SonarQube writes instants as `2026-09-01T10:15:30+0000` (offset without a colon); other
 * producers write `Z` or `+00:00`. Returns epoch milliseconds, or null when the text is not a date.
 */
export function parseSonarDate(text: string | undefined | null): number | null {
  if (!text) return null;
  // Lists repeat the same few thousand dates at every refresh: each is parsed once.
  const known = parsedDates.get(text);
  if (known !== undefined) return known;
  if (parsedDates.size >= PARSED_DATES_KEPT) parsedDates.clear();
  const ms = parse(text);
  parsedDates.set(text, ms);
  return ms;
}

const PARSED_DATES_KEPT = 100_000;
const parsedDates = new Map<string, number | null>();

function parse(text: string): number | null {
  const normalized = text.trim().replace(/([+-])(\d{2})(\d{2})$/, '$1$2:$3');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(normalized)) {
    return null;
  }
  const ms = Date.parse(normalized.length === 10 ? `${normalized}T00:00:00Z` : normalized);
  return Number.isNaN(ms) ? null : ms;
}

const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, as SonarQube's `expirationDate` parameter wants it. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `day` plus `days`, in UTC calendar days. */
export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** The earliest expiration date a server accepts: tomorrow, in UTC, whatever the local zone. */
export function tomorrowUtc(now: number): string {
  return addDays(utcDay(now), 1);
}
