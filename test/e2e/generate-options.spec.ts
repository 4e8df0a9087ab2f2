/**
 * The choices the vault finds for the user instead of making them type: their Cloud
 * organizations, the server's projects, and what the server allows for a token's expiration;
 * and an extra CA certificate for a Server, checked by the core before any request.
 */
import type { AccountView } from '@contract';
import { DEMO_CREDENTIALS, type Demo } from '../support/demo';
import { startSonarQubeServer } from '../support/sonarqube-server';
import { expect, openAccount, test, tokenRow } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: false, server: true } } });

async function accounts(demo: Demo): Promise<AccountView[]> {
  const answer = await demo.core.dispatch('accounts.list', {});
  if (!answer.ok) throw new Error(`accounts.list failed: ${answer.error.message}`);
  return answer.value as AccountView[];
}

test('add a Cloud account by picking one of the organizations its token finds', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Cloud (EU)' });

  // A token the server refuses: its words, and the key can still be typed.
  await add.getByLabel('Token').fill('f'.repeat(40));
  await add.getByRole('button', { name: 'Find my organizations' }).click();
  await expect(add.getByRole('alert')).toContainText('401');
  await expect(add.getByRole('textbox', { name: 'Organization key' })).toBeEditable();

  await add.getByLabel('Token').fill(DEMO_CREDENTIALS.cloud);
  await add.getByRole('button', { name: 'Find my organizations' }).click();
  const organization = add.getByRole('combobox', { name: 'Organization key' });
  await expect(organization.getByRole('option')).toHaveText([
    'Analytical Engines (analytical-engines)',
    'Ada (personal) (ada-personal)',
    'Another organization (type its key)',
  ]);
  await organization.selectOption({ label: 'Ada (personal) (ada-personal)' });
  await page.screenshot({ path: 'test-results/generate-options-organizations.png' });
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add).toBeHidden();

  const cloud = (await accounts(demo)).find((a) => a.kind === 'cloud-eu');
  expect(cloud?.organization).toBe('ada-personal');
  await expect(
    page
      .getByRole('navigation', { name: 'Accounts' })
      .getByRole('button', { name: new RegExp(`^${cloud!.label}`) }),
  ).toBeVisible();
});

test('a CA file that is not a certificate is refused in the core’s words', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
  await add.getByLabel('Server URL').fill(demo.server.url);
  await add.getByLabel('Token').fill(DEMO_CREDENTIALS.server);
  await expect(
    add.getByText("Only if your server's certificate comes from your organization's own authority."),
  ).toBeVisible();
  await add.getByLabel('CA certificate (PEM)').setInputFiles({
    name: 'not-a-cert.pem',
    mimeType: 'application/x-pem-file',
    buffer: Buffer.from('hello'),
  });
  await expect(add.getByText('not-a-cert.pem')).toBeVisible();
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.getByRole('alert')).toContainText('not a PEM certificate');
  await page.screenshot({ path: 'test-results/generate-options-ca-refused.png' });

  // Cleared, the file is no longer sent: the server is asked, and its user is already here.
  await add.getByRole('button', { name: 'Clear' }).click();
  await expect(add.getByText('not-a-cert.pem')).toBeHidden();
  await expect(add.getByLabel('CA certificate (PEM)')).toBeVisible();
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.getByRole('alert')).toContainText('already in the vault');
});

test('a project analysis token for a project found by typing part of its name', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  await page.getByRole('button', { name: 'Generate token' }).click();
  const generate = page.getByRole('dialog', { name: 'Generate token' });
  await generate.getByLabel('Name').fill('ci-payments-2');
  await generate.getByLabel('Type').selectOption({ label: 'Project analysis' });

  // The demo Server has no cap: every preset, "No expiration" included.
  const expiry = generate.getByLabel('Expiration', { exact: true });
  await expect(expiry.getByRole('option', { name: 'No expiration' })).toBeAttached();
  await expect(generate.getByText(/Your administrator limits tokens/)).toBeHidden();

  await generate.getByLabel('Project key').fill('pay');
  const match = generate.getByRole('option', { name: 'Payments Service (payments-service)' });
  await expect(match).toBeVisible();
  await expect(generate.getByRole('option', { name: /Web Shop/ })).toBeHidden();
  await page.screenshot({ path: 'test-results/generate-options-projects.png' });
  await match.click();
  await expect(generate.getByLabel('Project key')).toHaveValue('payments-service');
  await expect(generate.getByRole('listbox')).toBeHidden();

  await generate.getByRole('button', { name: 'Generate' }).click();
  const once = page.getByRole('dialog', { name: 'Copy your new token now' });
  await once.getByRole('button', { name: 'Done' }).click();
  await expect(tokenRow(page, 'ci-payments-2')).toContainText('payments-service');
});

test('a capped Server: the limit is said, later presets and "No expiration" are not offered', async ({
  page,
  demo,
}) => {
  const credential = 'squ_cab0000000000000000000000000000000000001';
  const capped = await startSonarQubeServer({
    flavour: 'server',
    maxTokenLifetime: '30 days',
    users: [
      {
        login: 'katherine.johnson',
        name: 'Katherine Johnson',
        tokens: [{ name: 'token-vault', value: credential, createdAt: new Date() }],
      },
    ],
  });
  try {
    const added = await demo.core.dispatch('accounts.add', {
      kind: 'server',
      baseUrl: capped.url,
      credential,
      label: 'Capped SonarQube',
    });
    expect(added.ok).toBe(true);
    const maxDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

    await page.goto(demo.bridge.url);
    await openAccount(page, 'Capped SonarQube');
    await expect(page.locator('.pane-header')).toContainText('(Enterprise)');
    await page.getByRole('button', { name: 'Generate token' }).click();
    const generate = page.getByRole('dialog', { name: 'Generate token' });
    await expect(
      generate.getByText(`Your administrator limits tokens to 30 days (until ${maxDate}).`),
    ).toBeVisible();
    const expiry = generate.getByLabel('Expiration', { exact: true });
    await expect(expiry.getByRole('option', { name: 'No expiration' })).toHaveCount(0);
    await expect(expiry.getByRole('option', { name: /^90 days/ })).toBeDisabled();
    await expect(expiry.getByRole('option', { name: /^1 year/ })).toBeDisabled();
    await expect(expiry).toHaveValue('30');
    await expiry.selectOption('custom');
    const day = generate.getByLabel('Expiration date');
    await expect(day).toHaveAttribute('max', maxDate);
    await page.screenshot({ path: 'test-results/generate-options-capped.png' });

    // The largest day allowed goes through.
    await day.fill(maxDate);
    await generate.getByLabel('Name').fill('capped-deploy');
    await generate.getByRole('button', { name: 'Generate' }).click();
    await page
      .getByRole('dialog', { name: 'Copy your new token now' })
      .getByRole('button', { name: 'Done' })
      .click();
    await expect(tokenRow(page, 'capped-deploy')).toBeVisible();
  } finally {
    await capped.close();
  }
});
