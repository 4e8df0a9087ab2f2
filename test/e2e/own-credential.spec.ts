/**
 * The vault's own credential in a real Chromium, through the bridge to the real core: its marker
 * in the list and its line in the account header, the offer to revoke the pasted token, the
 * guarded revoke (an explicit tick), and an account that adopts a vault-made token in one click.
 */
import type { Page } from '@playwright/test';
import { expect, openAccount, test, tokenRow } from './fixtures';

const OWN = /^Token Vault \(.+\)$/;

function ownRow(page: Page) {
  return page
    .getByRole('table', { name: 'Tokens', exact: true })
    .getByRole('row')
    .filter({ has: page.locator('.token-name', { hasText: OWN }) });
}

function toast(page: Page, text: string | RegExp) {
  return page.locator('.toast-region').getByRole('status').filter({ hasText: text });
}

test.describe('an account added with the vault’s own credential (a 90-day cap)', () => {
  test.use({
    demoOptions: {
      addAccounts: { cloud: true, server: true },
      ownCredentials: true,
      serverMaxTokenLifetime: '90 days',
    },
  });

  test('is marked, its pasted token offered for revoking, its revoke guarded', async ({ page, demo }) => {
    await page.goto(demo.bridge.url);
    await openAccount(page, 'ACME SonarQube');
    const header = page.locator('.pane-header');
    await expect(header).toContainText(
      /Signs in with the vault's own token, Token Vault \(.+\): expires .+; the vault renews it from .+\./,
    );
    const own = ownRow(page);
    await expect(own).toHaveCount(1);
    await expect(own.locator('.cell-vault')).toHaveText("Vault's own credential");
    // Its value is the vault's: no import, copy, reveal or rotation; a revoke, guarded.
    for (const action of ['Import value', 'Copy', 'Reveal', 'Rotate']) {
      await expect(own.getByRole('button', { name: action })).toHaveCount(0);
    }
    await expect(tokenRow(page, 'token-vault').locator('.cell-vault')).toHaveText('Not in vault');
    const offer = header.locator('.own-credential-offer');
    await expect(offer).toContainText('The token you pasted is no longer needed');
    await page.screenshot({ path: 'docs/own-credential.png' });

    // The offer: the user picks the token they pasted (the most recently used come first).
    await offer.getByRole('button', { name: 'Revoke the pasted token…' }).click();
    const pick = page.getByRole('dialog', { name: 'Revoke the token you pasted' });
    const choices = pick.getByRole('radio');
    await expect(choices.first()).toHaveAccessibleName(/^token-vault/);
    await expect(pick.getByRole('radio', { name: OWN })).toHaveCount(0);
    await page.screenshot({ path: 'test-results/own-credential-offer.png' });
    await pick.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(pick.getByRole('alert')).toHaveText('Pick the token you pasted.');
    await pick.getByRole('radio', { name: /^token-vault/ }).check();
    await pick.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(pick).toBeHidden();
    await expect(toast(page, 'Revoked token-vault')).toBeVisible();
    await expect(tokenRow(page, 'token-vault')).toHaveCount(0);
    await expect(offer).toHaveCount(0);
    expect(demo.server.tokenNames('grace.hopper')).not.toContain('token-vault');

    // Revoking the own credential says what happens, and needs an explicit tick.
    await own.getByRole('button', { name: 'Revoke' }).click();
    const guard = page.getByRole('dialog', { name: "Revoke the vault's own credential" });
    await expect(guard).toContainText(
      'is the token the vault signs in with for ACME SonarQube. Revoked, the account stops working until it gets a new credential',
    );
    await guard.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(guard.getByRole('alert')).toHaveText('Tick the box to confirm.');
    await page.screenshot({ path: 'test-results/own-credential-guard.png' });
    expect(demo.server.tokenNames('grace.hopper').filter((n) => OWN.test(n))).toHaveLength(1);
    await guard.getByLabel('I understand: the account stops working until it gets a new credential').check();
    await guard.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(guard).toBeHidden();
    expect(demo.server.tokenNames('grace.hopper').filter((n) => OWN.test(n))).toEqual([]);
    await expect(
      page.getByRole('alert').filter({ hasText: "The vault's token for this account is no longer valid" }),
    ).toBeVisible();
  });

  test('Cloud: kept alive by the vault’s use', async ({ page, demo }) => {
    await page.goto(demo.bridge.url);
    await openAccount(page, 'Analytical Engines');
    await expect(page.locator('.pane-header')).toContainText(
      /Signs in with the vault's own token, Token Vault \(.+\): kept alive by the vault's use; expires 60 days after its last use, .+\./,
    );
    await expect(ownRow(page).locator('.cell-vault')).toHaveText("Vault's own credential");
  });
});

test.describe('an account that signs in with a pasted token', () => {
  test.use({ demoOptions: { addAccounts: { cloud: false, server: true } } });

  test('adopts a vault-made token in one click, then offers to revoke the pasted one', async ({
    page,
    demo,
  }) => {
    await page.goto(demo.bridge.url);
    await openAccount(page, 'ACME SonarQube');
    const header = page.locator('.pane-header');
    await expect(header).toContainText('Signs in with the token you pasted');
    await expect(ownRow(page)).toHaveCount(0);
    await header.getByRole('button', { name: 'Use a vault-made token' }).click();
    await expect(
      toast(page, /^The vault now signs in with its own token, Token Vault \(.+\)$/),
    ).toBeVisible();
    const pick = page.getByRole('dialog', { name: 'Revoke the token you pasted' });
    await expect(pick).toBeVisible();
    await pick.getByRole('button', { name: 'Keep it, and stop asking' }).click();
    await expect(pick).toBeHidden();
    await expect(header).toContainText(
      /Signs in with the vault's own token, Token Vault \(.+\), which never expires\./,
    );
    await expect(header.locator('.own-credential-offer')).toHaveCount(0);
    await expect(ownRow(page).locator('.cell-vault')).toHaveText("Vault's own credential");
    expect(demo.server.tokenNames('grace.hopper')).toContain('token-vault');
  });
});
