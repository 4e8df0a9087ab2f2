/** How times are said in the vault's messages (one wording for the keychain, servers and CI services). */

/** A wait or a limit: "500 ms", "15 s", "3 min", "2 h" (rounded up: never shorter than it is). */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.ceil(ms)} ms`;
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.ceil(minutes / 60)} h`;
}

/** An instant in UTC, since the core does not know the user's time zone: `2026-09-01 10:17:30 UTC`. */
export function clockTime(ms: number): string {
  const at = new Date(Math.min(ms, LATEST_SHOWABLE_MS));
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The last instant a Date holds, less a day. */
export const LATEST_SHOWABLE_MS = 8.64e15 - 86_400_000;
