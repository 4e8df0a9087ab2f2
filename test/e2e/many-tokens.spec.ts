/**
 * At the size of a busy team's server (10,000 tokens): the tables render a screenful, say how
 * long they are, and the keyboard reaches every row; a server that hangs never blanks a view.
 */
import type { Page } from '@playwright/test';
import type { TokenList } from '@contract';
import { byTimeLeft } from '@renderer/features/tokens/token-order';
import { accountIdOf, expect, openAccount, test, tokenRow } from './fixtures';

const MANY = 10_000;
/** The demo's Server account lists 6 tokens of its own besides the many. */
const SERVER_TOKENS = MANY + 6;

test.use({ demoOptions: { addAccounts: { cloud: false, server: true }, manyTokens: MANY } });
// A demo of 10,000 tokens takes a few seconds to seed, list and keep.
test.setTimeout(90_000);

/** The focused element's row index and token name. */
async function focusedRow(page: Page): Promise<{ index: string | null; name: string | null }> {
  const focused = page.locator(':focus');
  return {
    index: await focused.getAttribute('aria-rowindex'),
    name: await focused.locator('.token-name').first().textContent(),
  };
}

/** What the scrolling below uses of an element. */
interface Scrollable {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  scrollIntoView(options: { block: 'start' }): void;
}

/** Scrolls the table down until the row of `name` is drawn (at most to its end), then brings it to the top. */
async function showFrom(page: Page, table: string, name: string): Promise<void> {
  const scroller = page.getByRole('table', { name: table, exact: true }).locator('xpath=..');
  const row = page
    .getByRole('table', { name: table, exact: true })
    .getByRole('row')
    .filter({ has: page.locator('.token-name', { hasText: new RegExp(`^${name}$`) }) });
  // A screenful at a time: every row is drawn on the way. (The specs are typed without the DOM.)
  const [step, height] = await scroller.evaluate((element: Scrollable) => [
    element.clientHeight - 40,
    element.scrollHeight,
  ]);
  const steps = Math.ceil(height / step);
  for (let i = 0; i <= steps && !(await row.count()); i++) {
    await scroller.evaluate((element: Scrollable, by) => void (element.scrollTop += by), step);
  }
  await row.evaluate((element: Scrollable) => element.scrollIntoView({ block: 'start' }));
  await page.mouse.move(130, 700);
  await expect(row).toBeInViewport();
  // The page itself never scrolls: only the table did.
  expect(await page.locator('html').evaluate((html: Scrollable) => html.scrollTop)).toBe(0);
}

test('10,000 tokens: a screenful in the DOM, the whole length announced, the keyboard reaches the last', async ({
  page,
  demo,
}) => {
  const list = await demo.core.dispatch('tokens.list', { accountId: await accountIdOf(demo, 'server') });
  if (!list.ok) throw new Error(list.error.message);
  const sorted = [...(list.value as TokenList).tokens].sort(byTimeLeft);
  const names = sorted.map((t) => t.name);
  expect(names).toHaveLength(SERVER_TOKENS);
  // Where the expired tokens end and the countdowns begin: the pictures show that stretch.
  const firstLive = sorted.findIndex(
    (t) => !t.serverSaysExpired && t.expiresAt !== null && t.expiresAt > Date.now(),
  );

  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  const table = page.getByRole('table', { name: 'Tokens', exact: true });
  await expect(tokenRow(page, names[0]!)).toBeVisible();
  // Every row and the header, for screen readers; a screenful (and a few more) in the DOM.
  await expect(table).toHaveAttribute('aria-rowcount', String(SERVER_TOKENS + 1));
  const drawn = table.locator('tbody tr[data-key]');
  expect(await drawn.count()).toBeLessThan(60);
  await expect(table.getByRole('row').nth(1)).toHaveAttribute('aria-rowindex', '2');
  await expect(
    page.getByText(`${SERVER_TOKENS.toLocaleString('en-US')} tokens, soonest to expire first`),
  ).toBeVisible();

  // Tab from the filter lands on the table: one stop, its first row.
  await page.keyboard.press('Control+f');
  await expect(page.getByRole('searchbox', { name: 'Filter tokens' })).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focusedRow(page)).toEqual({ index: '2', name: names[0] });

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await focusedRow(page)).toEqual({ index: '4', name: names[2] });
  await page.keyboard.press('ArrowUp');
  expect(await focusedRow(page)).toEqual({ index: '3', name: names[1] });

  // A page down moves by a screenful, and the row is in view.
  await page.keyboard.press('PageDown');
  const paged = await focusedRow(page);
  expect(Number(paged.index)).toBeGreaterThan(6);
  expect(paged.name).toBe(names[Number(paged.index) - 2]);
  await expect(page.locator(':focus')).toBeInViewport();

  // End: the last of 10,006, rendered on demand, focused and visible; the DOM stays small.
  await page.keyboard.press('End');
  await expect.poll(() => focusedRow(page)).toEqual({ index: String(SERVER_TOKENS + 1), name: names.at(-1) });
  await expect(tokenRow(page, names.at(-1)!)).toBeInViewport();
  expect(await drawn.count()).toBeLessThan(60);
  await page.screenshot({ path: 'test-results/ten-thousand-end.png' });

  await page.keyboard.press('PageUp');
  expect(Number((await focusedRow(page)).index)).toBeLessThan(SERVER_TOKENS - 4);
  await page.keyboard.press('Home');
  await expect.poll(() => focusedRow(page)).toEqual({ index: '2', name: names[0] });
  await expect(tokenRow(page, names[0]!)).toBeInViewport();

  // The mouse wheel scrolls the focused row away: it stays in the DOM, focus is not lost.
  await page.mouse.move(700, 500);
  await page.mouse.wheel(0, 20_000);
  await expect(tokenRow(page, names[0]!)).not.toBeInViewport();
  expect(await focusedRow(page)).toEqual({ index: '2', name: names[0] });
  await page.keyboard.press('ArrowDown');
  await expect(tokenRow(page, names[1]!)).toBeInViewport();

  // The filter narrows the 10,000 as you type.
  await page.keyboard.press('Control+f');
  await page.keyboard.type('web-shop-release-0');
  await expect(page.getByText(/^\d+ of 10,006 tokens/)).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', /^\d{2,3}$/);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await expect(table).toHaveAttribute('aria-rowcount', String(SERVER_TOKENS + 1));
  await page.locator(':focus').blur();
  await showFrom(page, 'Tokens', names[firstLive - 3]!);
  await page.screenshot({ path: 'docs/ten-thousand.png' });

  // All tokens: the same length, as quickly.
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: 'All tokens' })
    .click();
  const all = page.getByRole('table', { name: 'All tokens' });
  await expect(all).toHaveAttribute('aria-rowcount', String(SERVER_TOKENS + 1));
  expect(await all.locator('tbody tr[data-key]').count()).toBeLessThan(60);
  await page.keyboard.press('Control+f');
  await expect(page.getByRole('searchbox', { name: 'Search tokens' })).toBeFocused();
  await page.locator(':focus').blur();
  await showFrom(page, 'All tokens', names[firstLive - 3]!);
  await page.screenshot({ path: 'docs/ten-thousand-all-tokens.png' });
});

test('a hung server: the last known lists show at once, marked as refreshing', async ({ page, demo }) => {
  // Every list asked of the server from now on hangs (three attempts of 15 s each, then stale).
  demo.server.fault('/api/user_tokens/search', { kind: 'hang' }, 20);
  const started = Date.now();
  await page.goto(demo.bridge.url);
  const table = page.getByRole('table', { name: 'Tokens', exact: true });
  await expect(table.getByRole('row').nth(1)).toBeVisible({ timeout: 5_000 });
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(page.locator('.refresh-mark')).toHaveText('Refreshing…');
  await expect(table).toHaveAttribute('aria-rowcount', String(SERVER_TOKENS + 1));
  await page.getByRole('searchbox', { name: 'Filter tokens' }).fill('nightly-scan');
  await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
  // The sidebar's counts come from the same last known list.
  await expect(
    page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name: /^ACME SonarQube/ }),
  ).toContainText(/\d+ expiring · \d+ expired/);

  // Leaving and coming back shows the list again at once, still refreshing.
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: 'All tokens' })
    .click();
  await expect(page.getByRole('table', { name: 'All tokens' })).toHaveAttribute(
    'aria-rowcount',
    String(SERVER_TOKENS + 1),
  );
  await openAccount(page, 'ACME SonarQube');
  await expect(table).toHaveAttribute('aria-rowcount', String(SERVER_TOKENS + 1), { timeout: 2_000 });
  await expect(page.locator('.refresh-mark')).toHaveText('Refreshing…');
});
