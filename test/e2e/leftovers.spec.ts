/**
 * Keychain leftovers in the UI: values a vault killed mid-write left in the keychain. The one the
 * vault can tell is a listed token's value is adopted (its row says "In vault"); the rest are
 * listed in a banner until the user forgets them, which deletes them from the keychain.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretStore } from '@core/ports';
import { KeytarSecretStore } from '@core/storage/keytar-store';
import { MemorySecretStore } from '@core/storage/memory-store';
import { startDemo } from '../support/demo';
import { accountIdOf, CLIPBOARD_CLEAR_MS, expect, openAccount, test, tokenRow } from './fixtures';

test('a leftover is listed, the adoptable one adopted; forgetting deletes it from the keychain', async ({
  page,
}) => {
  // The demo fixture's vault, with its keychain at hand to seed what a killed vault left.
  const secrets: SecretStore =
    process.env['VAULT_KEYRING_READY'] === '1'
      ? new KeytarSecretStore(`Token Vault e2e ${randomBytes(4).toString('hex')}`)
      : new MemorySecretStore();
  const orphan = `account/${randomUUID()}/credential`;
  await secrets.set(orphan, 'squ_0dd0000000000000000000000000000000000001'); // adding an account, killed
  const demo = await startDemo({
    dataDir: await mkdtemp(join(tmpdir(), 'vault-e2e-')),
    secrets,
    clipboardClearMs: CLIPBOARD_CLEAR_MS,
    addAccounts: { cloud: true, server: false },
  });
  try {
    const cloudId = await accountIdOf(demo, 'cloud-eu');
    const adoptable = `token/${cloudId}/laptop`; // importing "laptop", killed before its record
    await secrets.set(adoptable, 'c0ffee00000000000000000000000000000000aa');

    await page.goto(demo.bridge.url);
    const banner = page.getByRole('alert').filter({ hasText: 'In the keychain, not in the vault' });
    await expect(banner).toContainText(
      'the vault was probably stopped while saving this value. It is not used or sent anywhere.',
    );
    await expect(banner.getByRole('listitem')).toHaveText([
      'A credential for an account that was never saved (interrupted while adding an account)',
    ]);
    await openAccount(page, 'Analytical Engines');
    await expect(tokenRow(page, 'laptop')).toContainText('In vault');

    await banner.getByRole('button', { name: 'Forget these values' }).click();
    await expect(banner).toHaveCount(0);
    await expect(page.locator('.toast-region')).toContainText('Value forgotten');
    const keys = await secrets.keys();
    expect(keys).not.toContain(orphan);
    expect(keys).toContain(adoptable);
    await page.reload();
    await expect(tokenRow(page, 'laptop')).toBeVisible();
    await expect(page.getByText('In the keychain, not in the vault')).toHaveCount(0);
  } finally {
    await demo.close();
    for (const key of await secrets.keys()) await secrets.delete(key);
  }
});
