/**
 * Which row a key moves to in a table navigated row by row. Pure, so it is tested without a DOM.
 */
export type RowMove = 'next' | 'previous' | 'first' | 'last' | 'page-down' | 'page-up';

const MOVES: Readonly<Record<string, RowMove>> = {
  ArrowDown: 'next',
  ArrowUp: 'previous',
  Home: 'first',
  End: 'last',
  PageDown: 'page-down',
  PageUp: 'page-up',
};

/** The move a key asks for, or null for any other key. */
export function rowMoveOf(key: string): RowMove | null {
  return MOVES[key] ?? null;
}

/**
 * The row index `move` leads to from `current`, among `count` rows, `page` rows to a page;
 * clamped to the first and last rows (no wrapping: the ends are where a person expects them).
 */
export function moveRow(current: number, count: number, move: RowMove, page: number): number {
  if (count <= 0) return -1;
  const last = count - 1;
  const from = Math.min(Math.max(current, 0), last);
  const step = Math.max(1, page);
  switch (move) {
    case 'next':
      return Math.min(from + 1, last);
    case 'previous':
      return Math.max(from - 1, 0);
    case 'first':
      return 0;
    case 'last':
      return last;
    case 'page-down':
      return Math.min(from + step, last);
    case 'page-up':
      return Math.max(from - step, 0);
  }
}
