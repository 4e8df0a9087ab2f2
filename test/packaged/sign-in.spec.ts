/**
 * The packaged app signs in through the browser: its main process opens SonarQube's page with
 * shell.openExternal, the page (in "the user's browser") hands the token to the app's loopback
 * port, and the account is added.
 */
import { expect, test } from './fixtures';

test.use({ boot: { trayHost: true } });

test('browser sign-in from the installed app', async ({ vault, sonar }) => {
  sonar.signInInBrowser('grace.hopper');
  const page = await vault.window();
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
  await add.getByLabel('Server URL').fill(sonar.url);
  await add.getByRole('button', { name: 'Sign in with your browser' }).click();

  const opened = await vault.waitFor('shell.openExternal');
  const url = opened.detail!['url'] as string;
  expect(url).toMatch(
    new RegExp(`^${sonar.url}/sonarlint/auth\\?ideName=Token%20Vault%20for%20SonarQube&port=641[23]\\d$`),
  );
  const browser = await vault.browse(url);
  await browser.getByRole('button', { name: 'Allow connection' }).click();
  await expect(browser.getByRole('status')).toHaveText('Connected: you can close this page.');

  await expect(add).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Accounts' })).toContainText('127.0.0.1');
  expect(await vault.log()).toContain('"message":"browser sign-in completed"');
});
