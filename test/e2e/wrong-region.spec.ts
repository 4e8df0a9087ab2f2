/**
 * A new user's first mistake, through the Add account dialog: a SonarQube Cloud token of the EU
 * region pasted for the US region. The dialog says which region it belongs to, and whom it signs
 * in as there, instead of a bare "not accepted (401)"; nothing is kept.
 */
import { DEMO_CREDENTIALS } from '../support/demo';
import { everythingOnDisk, expect, test } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: false, server: false } } });

const HINT =
  'This token belongs to SonarQube Cloud (EU) (it signs in as ada-lovelace there), not Cloud (US): choose the EU region.';

test('a EU token on the US region: the dialog names the EU region', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Cloud (US)' });
  await add.getByLabel('Token', { exact: true }).fill(DEMO_CREDENTIALS.cloud);

  // "Find my organizations" asks with this token: the same words.
  await add.getByRole('button', { name: 'Find my organizations' }).click();
  await expect(add.getByRole('alert').filter({ hasText: 'belongs to' })).toHaveText(HINT);

  await add.getByLabel('Organization key').fill('analytical-engines');
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.locator('.form-error')).toHaveText(HINT);
  // The US region heard nothing but the refused question; the EU one only "who is this?".
  expect(demo.cloud.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /api/users/current',
    'GET /api/users/current',
  ]);
  expect(await everythingOnDisk(demo.dataDir)).not.toContain(DEMO_CREDENTIALS.cloud);

  // As told: the EU region takes it.
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Cloud (EU)' });
  await add.getByLabel('Organization key').fill('analytical-engines');
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add).toBeHidden();
  await expect(
    page.getByRole('navigation', { name: 'Accounts' }).getByRole('button', { name: /^analytical-engines/ }),
  ).toBeVisible();
});
