/**
 * Each e2e test gets its own vault: fresh data folder, the real keychain (a service name of its
 * own, inside the private Secret Service `npm test` starts), local SonarQube servers, the bridge.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import type { SecretStore } from '../../electron/core/ports';
import { KeytarSecretStore } from '../../electron/core/secrets/keytar-store';
import { MemorySecretStore } from '../../electron/core/secrets/memory-store';
import { startDemo, type Demo, type DemoOptions } from '../support/demo';

export const CLIPBOARD_CLEAR_MS = 2_000;

export const test = base.extend<{ demoOptions: Pick<DemoOptions, 'addAccounts'>; demo: Demo }>({
  demoOptions: [{ addAccounts: { cloud: true, server: false } }, { option: true }],
  demo: async ({ demoOptions }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vault-e2e-'));
    const keychain = process.env['VAULT_KEYRING_READY'] === '1';
    const secrets: SecretStore & { keys(): Promise<string[]> } = keychain
      ? new KeytarSecretStore(`Token Vault e2e ${randomBytes(4).toString('hex')}`)
      : new MemorySecretStore();
    const demo = await startDemo({ dataDir, secrets, clipboardClearMs: CLIPBOARD_CLEAR_MS, ...demoOptions });
    await use(demo);
    await demo.close();
    for (const key of await secrets.keys()) await secrets.delete(key);
  },
});

export { expect } from '@playwright/test';

/** Every file the vault wrote (metadata and logs), for "the value is nowhere on disk". */
export async function everythingOnDisk(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')),
  );
  return texts.join('\n');
}

/** Opens an account from the sidebar by the start of its label. */
export async function openAccount(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: new RegExp(`^${label}`) })
    .click();
}

/** Generates a token through the dialog and closes the "copy it now" panel; returns the value. */
export async function generateThroughUi(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Generate token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate token' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Generate' }).click();
  const once = page.getByRole('dialog', { name: 'Copy your new token now' });
  const value = await once.getByLabel('New token value').inputValue();
  await once.getByRole('button', { name: 'Done' }).click();
  return value;
}
