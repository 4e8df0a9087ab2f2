/**
 * Adding an account without copying a token: the vault opens SonarQube's page in the browser
 * (here: the test server's imitation, in a second tab of the same Chromium), the user allows it,
 * and the page hands the token to the vault's loopback port (real CORS, real preflight).
 */
import type { BrowserContext } from '@playwright/test';
import type { Demo } from '../support/demo';
import { expect, test } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: false, server: false } } });

/** "The browser": opens the page the vault asked for and clicks Allow, as the user would. */
async function allowInBrowser(context: BrowserContext, demo: Demo, who: string): Promise<void> {
  await expect.poll(() => demo.opened.length).toBe(1);
  const sonarqube = await context.newPage();
  await sonarqube.goto(demo.opened[0]!);
  await expect(
    sonarqube.getByText(new RegExp(`^Token Vault for SonarQube on .+ asks for a token for ${who}\\.$`)),
  ).toBeVisible();
  await sonarqube.getByRole('button', { name: 'Allow connection' }).click();
  await expect(sonarqube.getByRole('status')).toHaveText('Connected: you can close this page.');
}

test('sign in to a Server through the browser: the account is added, no token pasted', async ({
  page,
  context,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
  await add.getByLabel('Server URL').fill(demo.server.url);
  await add.getByLabel('Label').fill('ACME SonarQube');
  await add.getByRole('button', { name: 'Sign in with your browser' }).click();
  await expect(add.getByRole('status')).toContainText('Finish in your browser.');
  await page.screenshot({ path: 'docs/sign-in-waiting.png' });

  await allowInBrowser(context, demo, 'grace.hopper');
  await expect(add).toBeHidden();
  await page.bringToFront();
  const account = page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: /^ACME SonarQube/ });
  await expect(account).toBeVisible();
  await expect(page.getByRole('heading', { name: 'ACME SonarQube' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Token Vault for SonarQube (' })).toBeVisible();
});

test('sign in to SonarQube Cloud through the browser, then pick the organization', async ({
  page,
  context,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Cloud (EU)' });
  await add.getByRole('button', { name: 'Sign in with your browser' }).click();
  await allowInBrowser(context, demo, 'ada-lovelace');

  await page.bringToFront();
  await expect(add.getByText('Signed in through your browser as Ada Lovelace (ada-lovelace).')).toBeVisible();
  await add.getByLabel('Organization key').selectOption({ label: 'Analytical Engines (analytical-engines)' });
  await page.screenshot({ path: 'docs/sign-in-cloud.png' });
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add).toBeHidden();
  await expect(
    page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name: /^analytical-engines/ }),
  ).toBeVisible();
});

test('cancelled in the window: the vault stops listening, and pasting still works', async ({
  page,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
  await add.getByLabel('Server URL').fill(demo.server.url);
  await add.getByRole('button', { name: 'Sign in with your browser' }).click();
  await expect.poll(() => demo.opened.length).toBe(1);
  await add.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expect(add.getByRole('alert')).toContainText('The browser sign-in was cancelled.');
  const port = new URL(demo.opened[0]!).searchParams.get('port');
  await expect(fetch(`http://127.0.0.1:${port}/sonarlint/api/status`)).rejects.toThrow();
  await expect(add.getByRole('button', { name: 'Sign in with your browser' })).toBeVisible();
});
