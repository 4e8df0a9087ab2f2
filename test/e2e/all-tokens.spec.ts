/**
 * Every account's tokens together: search, filter and sort across accounts, from the lists the
 * vault holds; and keeping a Cloud token alive from its row.
 */
import type { Page } from '@playwright/test';
import { accountIdOf, expect, generateThroughUi, openAccount, test, tokenRow } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

function allTokensTable(page: Page) {
  return page.getByRole('table', { name: 'All tokens' });
}

async function shownNames(page: Page): Promise<string[]> {
  return allTokensTable(page).locator('tbody .token-name').allTextContents();
}

async function openAllTokens(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: 'All tokens' })
    .click();
  await expect(page.getByRole('heading', { name: 'All tokens' })).toBeVisible();
}

test('all tokens: search, filter and sort across accounts', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await openAllTokens(page);
  const count = page.locator('.all-tokens-count');

  // Soonest first: the expired one, then by the demo's expiries; the never-expiring one last.
  const byTimeLeft = [
    'legacy-jenkins', // expired three days ago
    'release-bot', // 47 minutes
    'old-notebook', // Cloud, never used: about 5 hours of its 60 days left
    'nightly-scan', // 2 to 3 days
    'github-actions', // Cloud, last used 55 days ago
    'ci-payments', // 11 to 12 days
    'laptop', // Cloud, last used 3 days ago
    'token-vault', // Cloud, used an hour ago
    'ide-sonarlint', // 80 to 81 days
    'token-vault', // Server, no expiration
  ];
  await expect(allTokensTable(page).locator('tbody tr')).toHaveCount(10);
  expect(await shownNames(page)).toEqual(byTimeLeft);
  await expect(count).toHaveText('10 of 10 tokens');
  await expect(page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('time-left');
  await page.screenshot({ path: 'test-results/all-tokens.png' });

  // Name, project key or account label, whatever the case: only ci-payments has "ci" anywhere.
  const search = page.getByRole('searchbox', { name: 'Search tokens' });
  await search.fill('CI');
  await expect.poll(() => shownNames(page)).toEqual(['ci-payments']);
  await expect(count).toHaveText('1 of 10 tokens');
  // A project key matches too.
  await search.fill('web-shop');
  await expect(page.getByText('No token matches')).toBeVisible();
  await expect(count).toHaveText('0 of 10 tokens');
  await search.fill('analytical');
  await expect
    .poll(() => shownNames(page))
    .toEqual(['old-notebook', 'github-actions', 'laptop', 'token-vault']);
  await search.fill('');

  await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Expired' });
  await expect.poll(() => shownNames(page)).toEqual(['legacy-jenkins']);
  await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Expiring' });
  await expect
    .poll(() => shownNames(page))
    .toEqual(['release-bot', 'old-notebook', 'nightly-scan', 'github-actions', 'ci-payments']);
  await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'All states' });

  await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Project analysis' });
  await expect.poll(() => shownNames(page)).toEqual(['ci-payments']);
  await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'All types' });

  await page.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'Analytical Engines' });
  await expect
    .poll(() => shownNames(page))
    .toEqual(['old-notebook', 'github-actions', 'laptop', 'token-vault']);
  await expect(count).toHaveText('4 of 10 tokens');
  await expect(allTokensTable(page).locator('tbody .cell-account')).toHaveText(
    Array(4).fill('Analytical Engines'),
  );
  await page.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'All accounts' });

  await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Name' });
  await expect.poll(() => shownNames(page)).toEqual([...byTimeLeft].sort((a, b) => a.localeCompare(b)));

  // A name opens its account, where Copy and Reveal are.
  await allTokensTable(page).getByRole('button', { name: 'nightly-scan' }).click();
  await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name: /^ACME SonarQube/ }),
  ).toHaveAttribute('aria-current', 'true');
  await expect(allTokensTable(page)).toHaveCount(0);
});

test('a new token shows in all tokens without a refresh', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await openAccount(page, 'Analytical Engines');
  await expect(tokenRow(page, 'laptop')).toBeVisible();
  await generateThroughUi(page, 'fresh-ci');
  await openAllTokens(page);
  await expect(page.locator('.all-tokens-count')).toHaveText('11 of 11 tokens');
  await page.getByRole('searchbox', { name: 'Search tokens' }).fill('fresh');
  await expect.poll(() => shownNames(page)).toEqual(['fresh-ci']);
});

test('keep alive: Cloud rows of held tokens only', async ({ page, demo }) => {
  const cloudId = await accountIdOf(demo, 'cloud-eu');
  await page.goto(demo.bridge.url);
  await openAccount(page, 'Analytical Engines');
  await expect(tokenRow(page, 'laptop')).toBeVisible();
  await generateThroughUi(page, 'kept-alive');

  const row = tokenRow(page, 'kept-alive');
  const toggle = row.getByRole('checkbox', { name: 'Keep kept-alive alive' });
  await expect(toggle).not.toBeChecked();
  await expect(row.locator('label.keep-alive')).toHaveAttribute(
    'title',
    'Uses the token before its 60-day window closes',
  );
  // Not held: nothing to keep alive.
  await expect(tokenRow(page, 'laptop').getByRole('checkbox')).toHaveCount(0);

  await toggle.check();
  await expect(toggle).toBeChecked();
  await row.screenshot({ path: 'test-results/all-tokens-keep-alive.png' });
  await expect
    .poll(async () => {
      const answer = await demo.core.dispatch('tokens.list', { accountId: cloudId });
      if (!answer.ok) throw new Error(answer.error.message);
      const tokens = (answer.value as { tokens: { name: string; keepAlive: boolean }[] }).tokens;
      return tokens.find((t) => t.name === 'kept-alive')?.keepAlive;
    })
    .toBe(true);

  await toggle.uncheck();
  await expect(toggle).not.toBeChecked();

  await openAccount(page, 'ACME SonarQube');
  await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
  // A held Server token: Server tokens have a date of their own, nothing to keep alive.
  await generateThroughUi(page, 'server-held');
  await expect(tokenRow(page, 'server-held')).toContainText('In vault');
  await expect(page.getByRole('table', { name: 'Tokens', exact: true }).getByRole('checkbox')).toHaveCount(0);
});
