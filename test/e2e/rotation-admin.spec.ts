/**
 * Rotating a token (a successor first, the old one revoked only once the user confirms) and an
 * administrator's look at another user's tokens, in a real Chromium through the bridge to the
 * real core.
 */
import type { Page } from '@playwright/test';
import { accountIdOf, expect, generateThroughUi, openAccount, test, tokenRow } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

async function openServerAccount(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await openAccount(page, 'ACME SonarQube');
  await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
}

function toast(page: Page, text: string) {
  return page.locator('.toast-region').getByRole('status').filter({ hasText: text });
}

/** Rotates `name` with the "When I confirm" choice; returns the successor's name and value. */
async function rotateThroughUi(page: Page, name: string): Promise<{ successor: string; value: string }> {
  await tokenRow(page, name).getByRole('button', { name: 'Rotate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate token' });
  await expect(dialog).toContainText(
    `Generate a successor for ${name} with the same type, project and lifetime. The old token stays until you confirm the new one works.`,
  );
  const choice = dialog.getByLabel('Revoke the old token');
  await expect(choice).toHaveValue('');
  await expect(choice.locator('option')).toHaveText([
    'When I confirm',
    'After 1 hour',
    'After 1 day',
    'After 7 days',
  ]);
  await page.screenshot({ path: 'test-results/rotation-dialog.png' });
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
  const once = page.getByRole('dialog', { name: 'Copy your new token now' });
  await expect(once).toContainText(`Replaces ${name}.`);
  await expect(once).toContainText('The vault keeps it in your OS keychain.');
  const successor = (await once.locator('.token-name').textContent()) ?? '';
  const value = await once.getByLabel('New token value').inputValue();
  await page.screenshot({ path: 'test-results/rotation-once.png' });
  await once.getByRole('button', { name: 'Done' }).click();
  await expect(once).toBeHidden();
  return { successor, value };
}

test('rotate a token, then revoke the old one once the new one works', async ({ page, demo }) => {
  const serverId = await accountIdOf(demo, 'server');
  await openServerAccount(page, demo.bridge.url);
  const oldValue = await generateThroughUi(page, 'deploy-key');

  const { successor, value } = await rotateThroughUi(page, 'deploy-key');
  expect(successor).toMatch(/^deploy-key-\d{4}-\d{2}-\d{2}$/);
  expect(value).not.toBe('');
  expect(value).not.toBe(oldValue);

  const oldRow = tokenRow(page, 'deploy-key');
  const newRow = tokenRow(page, successor);
  await expect(oldRow).toContainText(`Being replaced by ${successor}`);
  await expect(newRow).toContainText('Replaces deploy-key');
  await expect(newRow).toContainText('In vault');
  // Neither can be rotated again while this rotation runs.
  await expect(oldRow.getByRole('button', { name: 'Rotate' })).toHaveCount(0);
  await expect(newRow.getByRole('button', { name: 'Rotate' })).toHaveCount(0);
  await expect(newRow.getByRole('button', { name: 'Revoke old now' })).toHaveCount(0);
  await oldRow.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/rotation-rows.png' });

  await oldRow.getByRole('button', { name: 'Revoke old now' }).click();
  const confirm = page.getByRole('dialog', { name: 'Finish rotation' });
  await expect(confirm).toContainText(
    `Revoke deploy-key on ACME SonarQube? Confirm that ${successor} works first.`,
  );
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.screenshot({ path: 'test-results/rotation-finish.png' });
  await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(oldRow).toHaveCount(0);
  await expect(newRow).not.toContainText('Replaces');
  await expect(newRow.getByRole('button', { name: 'Rotate' })).toBeVisible();

  expect(demo.server.tokenNames('grace.hopper')).not.toContain('deploy-key');
  expect(demo.server.tokenNames('grace.hopper')).toContain(successor);
  const copy = await demo.core.dispatch('tokens.copy', { accountId: serverId, name: successor });
  expect(copy.ok).toBe(true);
  await expect.poll(() => demo.clipboard.text).toBe(value);
  expect(await page.content()).not.toContain(value);
});

test('cancel a rotation: both tokens stay, without notes', async ({ page, demo }) => {
  await openServerAccount(page, demo.bridge.url);
  await generateThroughUi(page, 'build-agent');
  const { successor } = await rotateThroughUi(page, 'build-agent');
  const oldRow = tokenRow(page, 'build-agent');
  const newRow = tokenRow(page, successor);
  await expect(oldRow).toContainText(`Being replaced by ${successor}`);

  await oldRow.getByRole('button', { name: 'Cancel rotation' }).click();
  await expect(toast(page, 'Rotation cancelled')).toBeVisible();
  await expect(oldRow).not.toContainText('Being replaced');
  await expect(newRow).not.toContainText('Replaces');
  await expect(oldRow.getByRole('button', { name: 'Revoke old now' })).toHaveCount(0);
  await expect(oldRow.getByRole('button', { name: 'Rotate' })).toBeVisible();
  expect(demo.server.tokenNames('grace.hopper')).toEqual(expect.arrayContaining(['build-agent', successor]));
});

test('an administrator lists, generates for and revokes another user’s tokens', async ({ page, demo }) => {
  await openServerAccount(page, demo.bridge.url);
  await page.getByRole('button', { name: 'Other users' }).click();
  const dialog = page.getByRole('dialog', { name: "Other users' tokens" });
  const loginField = dialog.getByLabel('Login');
  await expect(loginField).toBeFocused();

  // A login the server does not know: its words, as an alert.
  await loginField.fill('nobody.here');
  await dialog.getByRole('button', { name: 'Show tokens' }).click();
  await expect(dialog.getByRole('alert')).not.toBeEmpty();

  await loginField.fill('alan.turing');
  // The search as you type has answered (its list no longer moves under the pointer).
  await expect(dialog.getByText('1 user matches.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Show tokens' }).click();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  const table = dialog.getByRole('table', { name: 'Tokens of alan.turing' });
  const laptop = table.getByRole('row').filter({ hasText: 'laptop' });
  await expect(laptop).toContainText('User');
  await expect(laptop.locator('.countdown')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/admin-list.png' });

  await dialog.getByRole('button', { name: 'Generate for alan.turing' }).click();
  const generate = page.getByRole('dialog', { name: 'Generate token' });
  await expect(generate).toContainText('for alan.turing');
  await expect(generate.getByLabel('Type')).toBeDisabled();
  await expect(generate.getByLabel('Type')).toHaveValue('USER_TOKEN');
  await expect(generate).toContainText('Only user tokens can be generated for another user.');
  await generate.getByLabel('Name').fill('handed-over');
  await page.screenshot({ path: 'test-results/admin-generate.png' });
  await generate.getByRole('button', { name: 'Generate' }).click();

  const once = page.getByRole('dialog', { name: 'Copy your new token now' });
  await expect(once).toContainText(
    "Hand this value to alan.turing: the vault does not keep other users' tokens.",
  );
  await expect(once).not.toContainText('keychain');
  await expect(once.getByLabel('New token value')).not.toHaveValue('');
  await page.screenshot({ path: 'test-results/admin-once.png' });
  await once.getByRole('button', { name: 'Done' }).click();
  expect(demo.server.tokenNames('alan.turing')).toContain('handed-over');
  await expect(table.getByRole('row').filter({ hasText: 'handed-over' })).toHaveCount(1);
  // Not one of grace.hopper's: the vault's own list does not show it.
  await expect(tokenRow(page, 'handed-over')).toHaveCount(0);

  await laptop.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke token' });
  await expect(confirm).toContainText('Revoke laptop on ACME SonarQube?');
  await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(laptop).toHaveCount(0);
  expect(demo.server.tokenNames('alan.turing')).not.toContain('laptop');

  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // On the Cloud account, whose user is no administrator, there is no such button.
  await openAccount(page, 'Analytical Engines');
  await expect(page.getByRole('button', { name: 'Generate token' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Other users' })).toHaveCount(0);
});
