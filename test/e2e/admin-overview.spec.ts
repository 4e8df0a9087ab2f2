/**
 * An administrator sees the whole server, in a real Chromium through the bridge to the real core:
 * the user picker of "Other users" (type part of a name, pick with the keyboard, page for more)
 * and the overview of every user's expiring tokens (revoke one, tell an owner, a failed user).
 */
import type { Page } from '@playwright/test';
import { expect, openAccount, test } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

const OVERVIEW_ENTRY = "All users' expiring tokens";

async function openOtherUsers(page: Page, url: string) {
  await page.goto(url);
  await openAccount(page, 'ACME SonarQube');
  await page.getByRole('button', { name: 'Other users' }).click();
  return page.getByRole('dialog', { name: "Other users' tokens" });
}

async function openOverview(page: Page, url: string) {
  await page.goto(url);
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: OVERVIEW_ENTRY })
    .click();
  await expect(page.getByRole('heading', { name: OVERVIEW_ENTRY })).toBeVisible();
  return page.getByRole('table', { name: 'Expiring tokens of all users' });
}

test('the user picker: part of a name, the keyboard, then their tokens', async ({ page, demo }) => {
  const dialog = await openOtherUsers(page, demo.bridge.url);
  const field = dialog.getByRole('combobox', { name: 'Login, name or e-mail' });
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute('aria-expanded', 'false');

  await field.pressSequentially('kath');
  const list = dialog.getByRole('listbox', { name: 'Matching users' });
  const options = list.getByRole('option');
  await expect(options).toHaveCount(2);
  await expect(dialog).toContainText('2 users match.');
  await expect(field).toHaveAttribute('aria-expanded', 'true');
  // By name, as the server sorts them; name, login and e-mail.
  await expect(options.nth(0)).toHaveText(
    /^Katherine Johnson katherine\.johnson\s*katherine\.johnson@example\.com$/,
  );
  await expect(options.nth(1)).toContainText('Kathleen Booth');

  await field.press('ArrowDown');
  await field.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await field.press('ArrowUp');
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(field).toHaveAttribute(
    'aria-activedescendant',
    (await options.nth(0).getAttribute('id')) ?? '',
  );
  await expect(field).toBeFocused();
  await page.screenshot({ path: 'docs/user-picker.png' });

  await field.press('Enter');
  await expect(list).toBeHidden();
  await expect(field).toHaveValue('katherine.johnson');
  const table = dialog.getByRole('table', { name: 'Tokens of katherine.johnson' });
  await expect(table.getByRole('row').filter({ hasText: 'orbit-ci' })).toContainText('Project analysis');
  await expect(table.getByRole('row').filter({ hasText: 'laptop' })).toHaveCount(1);

  // Escape closes the list, not the dialog; the newest text's answer is the one shown.
  await field.fill('');
  await field.pressSequentially('dij');
  await expect(options).toHaveCount(1);
  await field.fill('marg');
  await expect(options).toHaveText([/^Margaret Hamilton/]);
  await field.press('Escape');
  await expect(list).toBeHidden();
  await expect(dialog).toBeVisible();
});

test('the user picker pages: "more" when the server has more', async ({ page, demo }) => {
  for (let i = 1; i <= 25; i++) {
    const n = String(i).padStart(2, '0');
    demo.server.addUser({ login: `tester-${n}`, name: `Tester ${n}`, email: `tester-${n}@example.com` });
  }
  const dialog = await openOtherUsers(page, demo.bridge.url);
  const field = dialog.getByRole('combobox', { name: 'Login, name or e-mail' });
  await field.pressSequentially('tester');
  const options = dialog.getByRole('listbox', { name: 'Matching users' }).getByRole('option');
  await expect(options).toHaveCount(21);
  const more = options.last();
  await expect(more).toHaveText('More users (20 of 25 shown)');
  await expect(dialog).toContainText('25 users match.');

  // From the top, Up wraps around to "more".
  await field.press('ArrowUp');
  await expect(more).toHaveAttribute('aria-selected', 'true');
  await field.press('Enter');
  await expect(options).toHaveCount(25);
  await expect(options.last()).toContainText('Tester 25');
  await expect(options.nth(20)).toHaveAttribute('aria-selected', 'true');
  await field.press('Enter');
  await expect(field).toHaveValue('tester-21');
  await expect(
    dialog
      .getByRole('table', { name: 'Tokens of tester-21' })
      .or(dialog.getByText('tester-21 has no tokens')),
  ).toBeVisible();
});

test('the overview: every user’s expiring tokens, revoke one, tell an owner', async ({ page, demo }) => {
  const table = await openOverview(page, demo.bridge.url);
  const rows = table.locator('tbody tr');
  // Expired first, then soonest; longer than 14 days (and never) are not here.
  await expect(rows.locator('.token-name')).toHaveText([
    'apollo-release',
    'legacy-jenkins',
    'release-bot',
    'orbit-ci',
    'nightly-scan',
    'kernel-ci',
    'fortran-nightly',
    'ci-payments',
  ]);
  await expect(page.locator('.all-tokens-count')).toContainText('8 tokens of 10 users');
  await expect(page.getByRole('status').filter({ hasText: 'Checking tokens' })).toHaveCount(0);

  const orbit = rows.filter({ hasText: 'orbit-ci' });
  await expect(orbit).toContainText('Katherine Johnson');
  await expect(orbit).toContainText('katherine.johnson');
  await expect(orbit).toContainText('payments-service');
  await expect(orbit.locator('.countdown')).toHaveAttribute('data-state', /expiring|critical/);
  await expect(rows.filter({ hasText: 'legacy-jenkins' })).toContainText('grace.hopper (you)');
  await expect(rows.filter({ hasText: 'apollo-release' }).locator('.countdown')).toHaveText('expired');

  // "Tell the owner": a mailto: to their e-mail, with which token, where, and when; no value.
  const tell = orbit.getByRole('link', { name: 'Tell the owner' });
  const href = (await tell.getAttribute('href')) ?? '';
  await expect(tell).toHaveAttribute('target', '_blank');
  const mail = new URL(href);
  expect(mail.protocol).toBe('mailto:');
  expect(mail.pathname).toBe('katherine.johnson@example.com');
  expect([...mail.searchParams.keys()]).toEqual(['subject', 'body']);
  expect(mail.searchParams.get('subject')).toBe('Your SonarQube token "orbit-ci" expires soon');
  const body = mail.searchParams.get('body') ?? '';
  expect(body).toContain('Hello Katherine Johnson,');
  expect(body).toContain(
    `Your project analysis token "orbit-ci" for the project payments-service on ACME SonarQube (${demo.server.url}) expires on `,
  );
  expect(body).not.toMatch(/squ_|sqa_|sqp_|[0-9a-f]{40}/);
  // Linus has no e-mail on the server, and grace's own tokens are hers: no link.
  await expect(rows.filter({ hasText: 'kernel-ci' }).getByRole('link')).toHaveCount(0);
  await expect(rows.filter({ hasText: 'legacy-jenkins' }).getByRole('link')).toHaveCount(0);
  await page.screenshot({ path: 'docs/admin-overview.png' });

  // Revoke, confirmed by name: the token, its owner, the server.
  await rows.filter({ hasText: 'apollo-release' }).getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke token' });
  await expect(confirm).toContainText(
    'Revoke apollo-release of Margaret Hamilton (margaret.hamilton) on ACME SonarQube? Anything using it stops working at once.',
  );
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(rows.filter({ hasText: 'apollo-release' })).toHaveCount(0);
  await expect(rows).toHaveCount(7);
  await expect(page.locator('.toast-region')).toContainText('Revoked apollo-release of margaret.hamilton');
  expect(demo.server.tokenNames('margaret.hamilton')).not.toContain('apollo-release');

  // One user's tokens cannot be listed: named, with the server's words; the rest stands.
  demo.server.fault(
    '/api/user_tokens/search',
    {
      kind: 'status',
      status: 500,
      body: JSON.stringify({ errors: [{ msg: 'An error has occurred. Please contact your administrator' }] }),
      contentType: 'application/json',
    },
    10,
    { login: 'dorothy.vaughan' },
  );
  // A slow server: the scan's progress shows, user by user, over the last overview.
  demo.server.slowDown('/api/user_tokens/search', 400);
  await page.getByRole('button', { name: 'Refresh' }).click();
  const progress = page.getByRole('status').filter({ hasText: /^Checking tokens: \d+ of 10 users$/ });
  await expect(progress).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Users checked' })).toHaveAttribute('max', '10');
  await expect(rows).toHaveCount(7);
  await page.screenshot({ path: 'test-results/admin-overview-progress.png' });
  demo.server.slowDown('/api/user_tokens/search', 0);
  await expect(progress).toHaveCount(0);
  const failed = page.locator('.overview-failed');
  await expect(failed).toContainText('The tokens of 1 user could not be listed');
  await expect(failed).toContainText(
    'dorothy.vaughan: An error has occurred. Please contact your administrator',
  );
  await expect(rows.filter({ hasText: 'fortran-nightly' })).toHaveCount(0);
  await expect(rows).toHaveCount(6);
  await page.screenshot({ path: 'test-results/admin-overview-failed.png' });
});

test.describe('without an administrator’s Server account', () => {
  test.use({ demoOptions: { addAccounts: { cloud: true, server: false } } });

  test('the overview is not offered', async ({ page, demo }) => {
    await page.goto(demo.bridge.url);
    await expect(page.getByRole('button', { name: 'All tokens' })).toBeVisible();
    await expect(page.getByRole('button', { name: OVERVIEW_ENTRY })).toHaveCount(0);
  });
});
