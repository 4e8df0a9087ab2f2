/**
 * A token's life after it is made, in a real Chromium through the bridge to the real core: import
 * the value of a token made elsewhere, revoke one, notice one gone from the server and forget its
 * value, keep working from the last list when the server is down, and replace the vault's own
 * credential once the server refuses it.
 */
import type { Page } from '@playwright/test';
import { DEMO_CREDENTIALS } from '../support/demo';
import {
  accountIdOf,
  expect,
  generateThroughUi,
  heapHolds,
  openAccount,
  revokeOnServer,
  test,
  tokenRow,
} from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

async function openServerAccount(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await openAccount(page, 'ACME SonarQube');
  await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
}

async function refresh(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
}

function toast(page: Page, text: string) {
  return page.locator('.toast-region').getByRole('status').filter({ hasText: text });
}

test('import a value made elsewhere: checked with the server before it is kept', async ({ page, demo }) => {
  const value = demo.server.addToken('grace.hopper', { name: 'from-elsewhere', createdAt: new Date() });
  const alansValue = demo.server.addToken('alan.turing', { name: 'alan-cli', createdAt: new Date() });
  await openServerAccount(page, demo.bridge.url);
  // A value the vault holds for another of grace's tokens.
  const bootstrap = await generateThroughUi(page, 'vault-bootstrap');
  await refresh(page);

  const row = tokenRow(page, 'from-elsewhere');
  await expect(row).toContainText('Not in vault');
  // Nothing to copy yet; held tokens have nothing to import.
  await expect(row.getByRole('button', { name: 'Copy' })).toHaveCount(0);
  await row.getByRole('button', { name: 'Import value' }).click();

  const dialog = page.getByRole('dialog', { name: 'Import token value' });
  await expect(dialog).toContainText(
    'Paste the value of from-elsewhere. The vault checks it with the server before keeping it in your OS keychain.',
  );
  // What that check can tell, and what it cannot.
  await expect(dialog).toContainText(
    "The server confirms whose token a value is (it must be grace.hopper's), not which of their tokens: make sure it is the value of from-elsewhere.",
  );
  const field = dialog.getByLabel('Token value');
  await expect(field).toHaveAttribute('type', 'password');
  await expect(field).toBeFocused();
  const submit = dialog.getByRole('button', { name: 'Import', exact: true });

  // A value the server does not know.
  await field.fill('squ_' + '0'.repeat(40));
  await page.screenshot({ path: 'test-results/lifecycle-import.png' });
  await submit.click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'The server did not accept that value: it may be mistyped, expired or revoked.',
  );

  // A real value, but someone else's.
  await field.fill(alansValue);
  await submit.click();
  await expect(dialog.getByRole('alert')).toHaveText(
    "That value signs in as alan.turing, not grace.hopper: it is not one of this account's tokens.",
  );

  // grace's, but the vault holds it already: for another token, or as the account's credential.
  await field.fill(bootstrap);
  await submit.click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'This value is already in the vault as "vault-bootstrap": a value belongs to one token.',
  );
  await expect(field).toHaveValue(bootstrap);
  await field.fill(DEMO_CREDENTIALS.server);
  await submit.click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'This value is already in the vault as the credential of ACME SonarQube: a value belongs to one token.',
  );
  await expect(field).toHaveValue(DEMO_CREDENTIALS.server);

  await field.fill(value);
  await submit.click();
  await expect(dialog).toBeHidden();
  await expect(toast(page, 'Imported from-elsewhere')).toBeVisible();
  await expect(row).toContainText('In vault');
  await expect(row.getByRole('button', { name: 'Import value' })).toHaveCount(0);

  await row.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => demo.clipboard.text).toBe(value);
  const html = await page.content();
  expect(html).not.toContain(value);
  expect(html).not.toContain(alansValue);
  expect(await heapHolds(page, value)).toBe(false);
});

test('revoke a token, after confirming: gone from the server and from the vault', async ({ page, demo }) => {
  const serverId = await accountIdOf(demo, 'server');
  await openServerAccount(page, demo.bridge.url);
  await generateThroughUi(page, 'to-revoke');
  const row = tokenRow(page, 'to-revoke');
  await expect(row).toContainText('In vault');

  // Cancel changes nothing.
  await row.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke token' });
  await expect(dialog).toContainText(
    'Revoke to-revoke on ACME SonarQube? Anything using it stops working at once. This cannot be undone.',
  );
  // Focus starts on Cancel: Enter alone must not revoke.
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(demo.server.tokenNames('grace.hopper')).toContain('to-revoke');

  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: 'test-results/lifecycle-revoke.png' });
  await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(toast(page, 'Revoked to-revoke')).toBeVisible();
  await expect(row).toHaveCount(0);

  expect(demo.server.tokenNames('grace.hopper')).not.toContain('to-revoke');
  const copy = await demo.core.dispatch('tokens.copy', { accountId: serverId, name: 'to-revoke' });
  expect(copy.ok).toBe(false);
  expect(copy.ok ? null : copy.error.code).toBe('not-in-vault');
});

test('a held token revoked elsewhere shows as gone from the server; forget its value', async ({
  page,
  demo,
}) => {
  await openServerAccount(page, demo.bridge.url);
  const value = await generateThroughUi(page, 'gone-soon');
  const row = tokenRow(page, 'gone-soon');
  await expect(row).toContainText('In vault');

  await revokeOnServer(demo.server, DEMO_CREDENTIALS.server, 'gone-soon');
  await refresh(page);
  await expect(row).toContainText('Gone from server');
  await expect(row).toContainText('Revoked, expired or removed for inactivity');
  await expect(row).toContainText('In vault');
  await expect(row.locator('.countdown')).toHaveCount(0);
  // Nothing to revoke any more; the old value can still be copied.
  await expect(row.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  await row.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => demo.clipboard.text).toBe(value);
  await expect(row.getByRole('button', { name: 'Reveal' })).toBeVisible();
  await page.screenshot({ path: 'test-results/lifecycle-gone.png' });

  await row.getByRole('button', { name: 'Forget value' }).click();
  const dialog = page.getByRole('dialog', { name: 'Forget value' });
  await expect(dialog).toContainText(
    'Forget the value of gone-soon? The vault holds it, but the server no longer knows this token.',
  );
  await dialog.getByRole('button', { name: 'Forget', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
});

test('the server is down: the last list stays, dimmed, saying when it is from and why', async ({
  page,
  demo,
}) => {
  await openServerAccount(page, demo.bridge.url);
  await expect(page.getByRole('status').filter({ hasText: 'Showing the tokens as of' })).toHaveCount(0);

  await demo.server.close();
  await refresh(page);
  const banner = page.getByRole('status').filter({ hasText: 'Showing the tokens as of' });
  await expect(banner).toContainText(/ — Could not reach 127\.0\.0\.1:\d+/);
  await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Tokens' })).toHaveClass(/\bstale\b/);
  await page.screenshot({ path: 'test-results/lifecycle-stale.png' });

  // Retry asks again; still down, still the same list.
  await banner.getByRole('button', { name: 'Retry' }).click();
  await expect(banner).toContainText('Could not reach');
  await expect(tokenRow(page, 'ci-payments')).toBeVisible();
});

test("the vault's own token was revoked: replace the credential with the same user's", async ({
  page,
  demo,
}) => {
  await openServerAccount(page, demo.bridge.url);
  await revokeOnServer(demo.server, DEMO_CREDENTIALS.server, 'token-vault');
  await refresh(page);

  const notice = page
    .getByRole('alert')
    .filter({ hasText: "The vault's token for this account is no longer valid" });
  await expect(notice).toContainText(
    "The vault's token for this account is no longer valid (The server did not accept the token (401): it may be mistyped, expired or revoked).",
  );
  // The list it shows is the last one the server gave.
  await expect(page.getByRole('status').filter({ hasText: 'Showing the tokens as of' })).toBeVisible();
  await page.screenshot({ path: 'test-results/lifecycle-credential.png' });
  await notice.getByRole('button', { name: 'Replace credential' }).click();

  const dialog = page.getByRole('dialog', { name: 'Replace credential' });
  await expect(dialog).toContainText(
    'Create a new user token for grace.hopper in SonarQube, paste it here. It is kept only in your OS keychain.',
  );
  const field = dialog.getByLabel('New token');
  await expect(field).toHaveAttribute('type', 'password');
  const submit = dialog.getByRole('button', { name: 'Replace', exact: true });

  const alansValue = demo.server.addToken('alan.turing', { name: 'alan-cli', createdAt: new Date() });
  await field.fill(alansValue);
  await submit.click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'That token signs in as alan.turing, but this account is grace.hopper.',
  );

  const fresh = demo.server.addToken('grace.hopper', { name: 'token-vault-2', createdAt: new Date() });
  await field.fill(fresh);
  await submit.click();
  await expect(dialog).toBeHidden();
  await expect(toast(page, 'Credential replaced')).toBeVisible();
  await expect(notice).toHaveCount(0);
  await expect(tokenRow(page, 'token-vault-2')).toBeVisible();
  await expect(tokenRow(page, 'token-vault')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Showing the tokens as of' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Tokens' })).not.toHaveClass(/\bstale\b/);
  const html = await page.content();
  expect(html).not.toContain(fresh);
  expect(html).not.toContain(alansValue);
  expect(await heapHolds(page, fresh)).toBe(false);
});

/** Run in the page (this file is compiled without the DOM's types). */
const FOCUS_AGAIN = "window.dispatchEvent(new Event('focus'))";

test('the window coming back asks the core for a refresh, once per focus', async ({ page, demo }) => {
  const refreshes: unknown[] = [];
  page.on('request', (request) => {
    if (!request.url().includes('/__bridge/invoke')) return;
    const body = request.postDataJSON() as { call: string; payload: unknown };
    if (body.call === 'tokens.refreshAll') refreshes.push(body.payload);
  });
  await openServerAccount(page, demo.bridge.url);
  expect(refreshes).toEqual([]);

  await page.evaluate(FOCUS_AGAIN);
  await expect.poll(() => refreshes).toEqual([{ reason: 'focus' }]);
  await page.evaluate(FOCUS_AGAIN);
  await expect.poll(() => refreshes.length).toBe(2);
  // The core skips both: it refreshed every account at start, moments ago. The page is unchanged.
  await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
});
