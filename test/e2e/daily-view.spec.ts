/**
 * The view people look at every day: the sidebar's counts and dots by the user's thresholds, a
 * token's detail with its copies and reveals, and the keyboard: arrows, Enter, Ctrl+F.
 */
import type { Page } from '@playwright/test';
import { DAY_MS } from '@shared/expiry';
import { accountIdOf, expect, generateThroughUi, openAccount, test, tokenRow } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

function accountButton(page: Page, label: string) {
  return page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: new RegExp(`^${label}`) });
}

test('the sidebar: how many tokens are expiring or expired, and a dot for the worst, in words too', async ({
  page,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  const server = accountButton(page, 'ACME SonarQube');
  const cloud = accountButton(page, 'Analytical Engines');

  // Server: release-bot (47 min), nightly-scan (3 days), ci-payments (12 days) under 14 days;
  // legacy-jenkins expired. Cloud: github-actions and old-notebook near their 60 days.
  await expect(server.locator('.account-health')).toHaveText('3 expiring · 1 expired');
  await expect(cloud.locator('.account-health')).toHaveText('2 expiring');
  await expect(server.locator('.health-dot')).toHaveClass(/\bhealth-expired\b/);
  await expect(cloud.locator('.health-dot')).toHaveClass(/\bhealth-expiring\b/);
  // Not colour alone: the dot's words are in the button's name (and its tooltip).
  await expect(server).toHaveAccessibleName(/Tokens: a token has expired\. Connected\./);
  await expect(cloud).toHaveAccessibleName(/Tokens: a token is expiring\. Connected\./);
  await page.locator('.sidebar').screenshot({ path: 'test-results/sidebar-health.png' });

  // The user's thresholds decide: with a single one of a day, 5 hours left is critical.
  await demo.core.dispatch('settings.update', { thresholdsMs: [DAY_MS] });
  await expect(server.locator('.account-health')).toHaveText('1 expiring · 1 expired');
  await expect(cloud.locator('.account-health')).toHaveText('1 expiring');
  await expect(cloud.locator('.health-dot')).toHaveClass(/\bhealth-critical\b/);
  await demo.core.dispatch('settings.update', { thresholdsMs: [30 * DAY_MS, 2 * DAY_MS] });
  await expect(server.locator('.account-health')).toHaveText('3 expiring · 1 expired');
  await expect(server.locator('.health-dot')).toHaveClass(/\bhealth-expired\b/);

  // A server that cannot be asked: its last counts stay, the dot turns into a ring, the words say why.
  await demo.server.close();
  await openAccount(page, 'ACME SonarQube');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(server.locator('.health-dot')).toHaveClass(/\btroubled\b/);
  await expect(server).toHaveAccessibleName(/Tokens: a token has expired\. Unreachable\./);
  await expect(server.locator('.account-problem')).toContainText('Unreachable: ');
  await expect(server.locator('.account-health')).toHaveText('3 expiring · 1 expired');
});

test("a token's detail: full dates, the server's UTC day, whose it is, how it is held, its copies and reveals", async ({
  page,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  await generateThroughUi(page, 'detail-me');
  const row = tokenRow(page, 'detail-me');
  const toggle = row.getByRole('button', { name: 'Details' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  const detail = page.locator(`[id="${await toggle.getAttribute('aria-controls')}"]`);
  await expect(detail).toHaveRole('row');
  // Generated with the dialog's default: a Server date is a UTC day, shown in local time and as the day.
  const list = await demo.core.dispatch('tokens.list', { accountId: await accountIdOf(demo, 'server') });
  if (!list.ok) throw new Error(list.error.message);
  const token = (list.value as { tokens: { name: string; expiresAt: number | null }[] }).tokens.find(
    (t) => t.name === 'detail-me',
  );
  const day = new Date(token!.expiresAt!).toISOString().slice(0, 10);
  await expect(detail.locator('.detail-fact').filter({ hasText: 'Expires' })).toContainText(
    `(UTC day ${day})`,
  );
  await expect(detail.locator('.detail-fact').filter({ hasText: 'Created' })).toContainText(/\d{4}/);
  await expect(detail.locator('.detail-fact').filter({ hasText: 'Last used' })).toContainText('never');
  await expect(detail.locator('.detail-fact').filter({ hasText: 'Type' })).toContainText('User');
  await expect(detail.locator('.detail-fact').filter({ hasText: 'Belongs to' })).toContainText(
    'Grace Hopper (grace.hopper)',
  );
  await expect(detail.locator('.detail-fact').filter({ hasText: 'Value' })).toContainText(
    'In the vault (OS keychain), generated here',
  );
  await expect(detail.getByRole('heading', { name: 'Copies and reveals' })).toBeVisible();
  await expect(detail).toContainText('None yet');

  // A copy and a reveal land in its history, newest first, from the window; never the value.
  await row.getByRole('button', { name: 'Copy' }).click();
  const history = detail.getByRole('list', { name: 'Copies and reveals' }).getByRole('listitem');
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText('Copied in the window');
  await row.getByRole('button', { name: 'Reveal' }).click();
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText('Revealed in the window');
  await expect(history.nth(1)).toContainText('Copied in the window');
  await row.getByRole('button', { name: 'Hide' }).click();
  await page.screenshot({ path: 'test-results/token-detail.png' });
  // A copy from the tray arrives too (the core says the history changed).
  await demo.core.dispatch('tokens.copy', {
    accountId: await accountIdOf(demo, 'server'),
    name: 'detail-me',
    via: 'tray',
  });
  await expect(history).toHaveCount(3);
  await expect(history.first()).toContainText('Copied from the tray');

  // A token the vault does not hold: imported or not, the detail says so; nothing copied.
  const other = tokenRow(page, 'nightly-scan');
  await other.getByRole('button', { name: 'Details' }).click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const otherId = await other.getByRole('button', { name: 'Details' }).getAttribute('aria-controls');
  const otherDetail = page.locator(`[id="${otherId}"]`);
  await expect(otherDetail.locator('.detail-fact').filter({ hasText: 'Value' })).toContainText(
    'Not in the vault',
  );
  await expect(otherDetail.locator('.detail-fact').filter({ hasText: 'Project' })).toContainText('none');
  await expect(otherDetail.locator('.detail-fact').filter({ hasText: 'Type' })).toContainText(
    'Global analysis',
  );
});

test('keyboard first: arrows move, Enter copies a held value or opens the detail, Ctrl+F searches', async ({
  page,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  const value = await generateThroughUi(page, 'keyboard-held');
  const table = page.getByRole('table', { name: 'Tokens', exact: true });

  // Ctrl+F: the account's filter, with the shortcut in its tooltip and for assistive tech.
  await page.keyboard.press('Control+f');
  const filter = page.getByRole('searchbox', { name: 'Filter tokens' });
  await expect(filter).toBeFocused();
  await expect(filter).toHaveAttribute('aria-keyshortcuts', 'Control+F');
  await expect(filter).toHaveAttribute('title', 'Filter tokens (Ctrl+F)');
  await page.keyboard.type('keyboard');
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.keyboard.press('Tab');
  await expect(tokenRow(page, 'keyboard-held')).toBeFocused();

  // Enter on a held token copies its value, through the core.
  await page.keyboard.press('Enter');
  await expect.poll(() => demo.clipboard.text).toBe(value);
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  await expect(tokenRow(page, 'keyboard-held').getByRole('button', { name: 'Copy' })).toHaveAttribute(
    'aria-keyshortcuts',
    'Enter',
  );

  // → opens its detail, ← closes it; the keys are written under the table.
  await page.keyboard.press('ArrowRight');
  await expect(tokenRow(page, 'keyboard-held').getByRole('button', { name: 'Details' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(table.getByRole('heading', { name: 'Copies and reveals' })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(tokenRow(page, 'keyboard-held').getByRole('button', { name: 'Details' })).toHaveAttribute(
    'aria-expanded',
    'false',
  );
  await expect(page.locator('.key-hints')).toContainText('Enter copies a held value, else opens its details');

  // Enter on a token the vault does not hold opens its detail instead.
  await filter.fill('');
  await tokenRow(page, 'legacy-jenkins').locator('td').nth(1).click();
  await expect(tokenRow(page, 'legacy-jenkins')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(tokenRow(page, 'release-bot')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(tokenRow(page, 'release-bot').getByRole('button', { name: 'Details' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  expect(demo.clipboard.text).toBe(value);
  // Escape closes it again; Tab leaves the table after the focused row's own controls.
  await page.keyboard.press('Escape');
  await expect(tokenRow(page, 'release-bot').getByRole('button', { name: 'Details' })).toHaveAttribute(
    'aria-expanded',
    'false',
  );
  await page.keyboard.press('Tab');
  await expect(tokenRow(page, 'release-bot').getByRole('button', { name: 'Details' })).toBeFocused();

  // All tokens: Ctrl+F searches, Enter on a held token copies it there too.
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: 'All tokens' })
    .click();
  await page.keyboard.press('Control+f');
  const search = page.getByRole('searchbox', { name: 'Search tokens' });
  await expect(search).toBeFocused();
  await demo.clipboard.writeText('something else');
  await page.keyboard.type('keyboard-held');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const allRow = page.getByRole('table', { name: 'All tokens' }).getByRole('row').nth(1);
  await expect(allRow).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => demo.clipboard.text).toBe(value);
});

test('the countdowns rest while the window is hidden, and catch up when it is back', async ({
  page,
  demo,
}) => {
  // The page's time is the test's: seconds pass in steps, not in waits.
  await page.clock.install();
  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  // release-bot has 47 minutes left: its countdown shows seconds.
  const countdown = tokenRow(page, 'release-bot').locator('.countdown');
  const first = await countdown.textContent();
  await page.clock.runFor(1_000);
  await expect(countdown).not.toHaveText(first!);

  demo.core.windowHidden();
  await page.clock.runFor(300);
  const hidden = await countdown.textContent();
  await page.clock.runFor(2_500);
  expect(await countdown.textContent()).toBe(hidden);

  // Back (any sign of the user, or the page becoming visible): it shows the time as it is now.
  await page.mouse.move(400, 300);
  await expect(countdown).not.toHaveText(hidden!);
});
