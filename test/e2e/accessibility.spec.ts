/**
 * axe-core over every view and every dialog, in the light and the dark colour scheme: no serious
 * or critical finding (contrast, names, roles, the table's structure).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, openAccount, test, tokenRow } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

/** The serious and critical findings on the page as it is now, one line each (empty: none). */
async function findings(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function closeDialog(dialog: Locator, button = 'Cancel'): Promise<void> {
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await expect(dialog).toBeHidden();
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every view and dialog, ${colorScheme}: no serious or critical axe finding`, async ({
    page,
    demo,
  }) => {
    test.setTimeout(60_000);
    await page.emulateMedia({ colorScheme });
    const found: string[] = [];
    const scan = async (where: string) => found.push(...(await findings(page, where)));

    await page.goto(demo.bridge.url);
    await openAccount(page, 'ACME SonarQube');
    await expect(tokenRow(page, 'nightly-scan')).toBeVisible();
    // One held token, so the row's Copy and Reveal and the detail's history are there too.
    await page.getByRole('button', { name: 'Generate token' }).click();
    const generate = page.getByRole('dialog', { name: 'Generate token' });
    await generate.getByLabel('Name').fill('axe-held');
    await scan('generate dialog');
    await generate.getByRole('button', { name: 'Generate' }).click();
    const once = page.getByRole('dialog', { name: 'Copy your new token now' });
    await expect(once).toBeVisible();
    await scan('copy it now panel');
    await closeDialog(once, 'Done');

    // The account view, a held row revealed, a detail open with its history, a row focused.
    const held = tokenRow(page, 'axe-held');
    await held.getByRole('button', { name: 'Copy' }).click();
    await held.getByRole('button', { name: 'Details' }).click();
    await expect(page.getByRole('list', { name: 'Copies and reveals' })).toBeVisible();
    await held.getByRole('button', { name: 'Reveal' }).click();
    await tokenRow(page, 'nightly-scan').locator('td').nth(1).click();
    await scan('account view (Server)');
    await page.screenshot({ path: `test-results/axe-account-${colorScheme}.png` });
    await held.getByRole('button', { name: 'Hide' }).click();

    await tokenRow(page, 'nightly-scan').getByRole('button', { name: 'Import value' }).click();
    const importDialog = page.getByRole('dialog', { name: 'Import token value' });
    await scan('import dialog');
    await closeDialog(importDialog);
    await tokenRow(page, 'nightly-scan').getByRole('button', { name: 'Revoke' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke token' });
    await scan('revoke dialog');
    await closeDialog(revoke);
    await tokenRow(page, 'nightly-scan').getByRole('button', { name: 'Rotate' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate token' });
    await scan('rotate dialog');
    await closeDialog(rotate);

    await page.getByRole('button', { name: 'Other users' }).click();
    const others = page.getByRole('dialog', { name: "Other users' tokens" });
    await others.getByLabel('Login, name or e-mail').fill('katherine.johnson');
    await others.getByRole('button', { name: 'Show tokens' }).click();
    await expect(others.getByRole('table', { name: 'Tokens of katherine.johnson' })).toBeVisible();
    await scan('other users dialog');
    await page.screenshot({ path: `test-results/axe-others-${colorScheme}.png` });
    await closeDialog(others, 'Close');

    await openAccount(page, 'Analytical Engines');
    await expect(tokenRow(page, 'laptop')).toBeVisible();
    await scan('account view (Cloud)');

    await page
      .getByRole('navigation', { name: 'Accounts' })
      .getByRole('button', { name: 'All tokens' })
      .click();
    const all = page.getByRole('table', { name: 'All tokens' });
    await all.getByRole('row').nth(1).getByRole('button', { name: 'Details' }).click();
    await scan('all tokens');
    await page.screenshot({ path: `test-results/axe-all-tokens-${colorScheme}.png` });

    await page
      .getByRole('navigation', { name: 'Accounts' })
      .getByRole('button', { name: "All users' expiring tokens" })
      .click();
    await expect(page.getByRole('table', { name: 'Expiring tokens of all users' })).toBeVisible();
    await scan('administrators’ overview');
    await page.screenshot({ path: `test-results/axe-overview-${colorScheme}.png` });

    await page.getByRole('button', { name: 'Add account' }).click();
    const add = page.getByRole('dialog', { name: 'Add account' });
    await scan('add account dialog (Cloud)');
    await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
    await add.getByLabel('Server URL').fill('http://sonar.intranet.test:9000');
    await scan('add account dialog (Server, plain http)');
    await closeDialog(add);

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByLabel('Clear the clipboard after')).toBeVisible();
    await scan('settings dialog');
    await page.screenshot({ path: `test-results/axe-settings-${colorScheme}.png` });
    await closeDialog(settings);

    expect(found).toEqual([]);
  });
}
