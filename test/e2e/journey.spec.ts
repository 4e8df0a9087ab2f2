/**
 * The foundation journey in a real Chromium, through the bridge to the real core: connect a
 * SonarQube Server, see its tokens count down, generate one whose value is shown exactly once and
 * kept in the keychain, copy it in one click, and watch the clipboard being cleared.
 */
import { DEMO_CREDENTIALS } from '../support/demo';
import {
  CLIPBOARD_CLEAR_MS,
  everythingOnDisk,
  expect,
  generateThroughUi,
  heapHolds,
  openAccount,
  test,
} from './fixtures';

test('add a Server account, generate a token shown once, copy it, clipboard cleared', async ({
  page,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  await expect(accounts.getByRole('button', { name: /^Analytical Engines/ })).toBeVisible();

  // Connect the Server: every mistake is explained and keeps what was typed.
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
  await add.getByLabel('Server URL').fill('ftp://sonar.example.com');
  await add.getByLabel('Token').fill(DEMO_CREDENTIALS.server);
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.getByRole('alert')).toContainText('Use an http:// or https:// address');
  await add.getByLabel('Server URL').fill(demo.server.url);
  await add.getByLabel('Token').fill('squ_' + 'f'.repeat(40));
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.getByRole('alert')).toContainText('did not accept the token (401)');
  await expect(add.getByLabel('Server URL')).toHaveValue(demo.server.url);
  await add.getByLabel('Token').fill(DEMO_CREDENTIALS.server);
  await add.getByLabel('Label').fill('ACME SonarQube');
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add).toBeHidden();
  await accounts.getByRole('button', { name: /^ACME SonarQube/ }).click();

  // The tokens, with one ticker driving live countdowns.
  const table = page.getByRole('table', { name: 'Tokens' });
  const releaseBot = table.getByRole('row').filter({ hasText: 'release-bot' });
  const countdown = releaseBot.locator('.countdown');
  await expect(countdown).toHaveText(/\d+m \d+s/);
  const before = await countdown.textContent();
  await expect(countdown).not.toHaveText(before ?? '', { timeout: 3_000 });
  await expect(table.getByRole('row').filter({ hasText: 'legacy-jenkins' }).locator('.countdown')).toHaveText(
    /expired/i,
  );

  // Generate: the value is shown once, in the "copy it now" panel.
  await page.getByRole('button', { name: 'Generate token' }).click();
  const generate = page.getByRole('dialog', { name: 'Generate token' });
  await generate.getByLabel('Name').fill('e2e-deploy');
  await generate.getByRole('button', { name: 'Generate' }).click();
  const once = page.getByRole('dialog', { name: 'Copy your new token now' });
  const field = once.getByLabel('New token value');
  await expect(field).toHaveValue(/^squ_[0-9a-f]{40}$/);
  const value = await field.inputValue();

  await once.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => demo.clipboard.text).toBe(value);
  await once.getByRole('button', { name: 'Done' }).click();
  await expect(once).toBeHidden();

  // Gone from the page: not in the DOM, not in the JavaScript heap.
  const row = table.getByRole('row').filter({ hasText: 'e2e-deploy' });
  await expect(row).toContainText('In vault');
  expect(await page.content()).not.toContain(value);
  expect(await heapHolds(page, value)).toBe(false);

  // The clipboard is cleared after the delay, since it still holds our value.
  await expect.poll(() => demo.clipboard.text, { timeout: CLIPBOARD_CLEAR_MS + 5_000 }).toBe('');
  await expect(page.getByRole('status').filter({ hasText: 'Clipboard cleared' })).toBeVisible();

  // After a reload the value is masked; Copy still works, through the core.
  await page.reload();
  await accounts.getByRole('button', { name: /^ACME SonarQube/ }).click();
  await expect(row).toContainText('In vault');
  await expect(row).toContainText('••••');
  expect(await page.content()).not.toContain(value);
  await row.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => demo.clipboard.text).toBe(value);
  await expect(page.getByRole('status').filter({ hasText: /Copied/ })).toBeVisible();
  expect(await heapHolds(page, value)).toBe(false);

  // Nothing on disk knows it: not the metadata, not the log.
  const disk = await everythingOnDisk(demo.dataDir);
  expect(disk).toContain('e2e-deploy');
  expect(disk).not.toContain(value);
  expect(disk).not.toContain(DEMO_CREDENTIALS.server);
});

test.describe('with both demo accounts', () => {
  test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

  test('reveal is explicit and short-lived', async ({ page, demo }) => {
    await page.goto(demo.bridge.url);
    await openAccount(page, 'ACME SonarQube');
    const value = await generateThroughUi(page, 'reveal-me');

    const row = page.getByRole('table', { name: 'Tokens' }).getByRole('row').filter({ hasText: 'reveal-me' });
    await row.getByRole('button', { name: 'Reveal' }).click();
    await expect(row).toContainText(value);
    await row.getByRole('button', { name: 'Hide' }).click();
    await expect(row).not.toContainText(value);
    expect(await page.content()).not.toContain(value);
  });

  test('the main window with both accounts, for a person to look at', async ({ page, demo }) => {
    // One token in the vault, so the picture shows the masked value and its actions.
    const accounts = await demo.core.dispatch('accounts.list', {});
    const server = accounts.ok
      ? (accounts.value as { id: string; kind: string }[]).find((a) => a.kind === 'server')
      : undefined;
    expect(server).toBeDefined();
    const generated = await demo.core.dispatch('tokens.generate', {
      accountId: server!.id,
      name: 'deploy-production',
      type: 'USER_TOKEN',
      expirationDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    });
    expect(generated.ok).toBe(true);
    await page.goto(demo.bridge.url);
    await page
      .getByRole('navigation', { name: 'Accounts' })
      .getByRole('button', { name: /^ACME SonarQube/ })
      .click();
    await expect(
      page.getByRole('table', { name: 'Tokens' }).getByRole('row').filter({ hasText: 'nightly-scan' }),
    ).toBeVisible();
    await page.screenshot({ path: 'test-results/main-window.png' });
    await page
      .getByRole('navigation', { name: 'Accounts' })
      .getByRole('button', { name: /^Analytical Engines/ })
      .click();
    await expect(
      page.getByRole('table', { name: 'Tokens' }).getByRole('row').filter({ hasText: 'github-actions' }),
    ).toBeVisible();
    await page.screenshot({ path: 'test-results/cloud-account.png' });
  });
});
