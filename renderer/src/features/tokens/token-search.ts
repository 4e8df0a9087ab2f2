/** What a typed search matches in a token: its name, its project's key or name. Pure. */
import type { TokenView } from '@contract';

/** The needle as compared: trimmed, any case. Empty matches everything. */
export function searchNeedle(text: string): string {
  return text.trim().toLowerCase();
}

/** Whether any of `texts` contains the needle (from `searchNeedle`). */
export function textMatches(texts: readonly (string | undefined)[], needle: string): boolean {
  return needle === '' || texts.some((text) => text !== undefined && text.toLowerCase().includes(needle));
}

export function tokenMatches(
  token: Pick<TokenView, 'name' | 'projectKey' | 'projectName'>,
  needle: string,
): boolean {
  return textMatches([token.name, token.projectKey, token.projectName], needle);
}
