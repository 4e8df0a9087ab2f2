/**
 * Each e2e test gets its own vault: fresh data folder, the real keychain (a service name of its
 * own, inside the private Secret Service `npm test` starts), local SonarQube servers, the bridge.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Locator, type Page } from '@playwright/test';
import type { SecretStore } from '@core/ports';
import { KeytarSecretStore } from '@core/storage/keytar-store';
import { MemorySecretStore } from '@core/storage/memory-store';
import { startDemo, type Demo, type DemoOptions } from '../support/demo';
import type { TestServer } from '../support/sonarqube-server';

export const CLIPBOARD_CLEAR_MS = 2_000;

type ChosenOptions = Pick<
  DemoOptions,
  'addAccounts' | 'ownCredentials' | 'serverMaxTokenLifetime' | 'manyTokens'
>;

export const test = base.extend<{ demoOptions: ChosenOptions; demo: Demo }>({
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

/** The id of the demo's account of that kind ('server' or 'cloud-eu'). */
export async function accountIdOf(demo: Demo, kind: 'server' | 'cloud-eu'): Promise<string> {
  const answer = await demo.core.dispatch('accounts.list', {});
  if (!answer.ok) throw new Error(`accounts.list failed: ${answer.error.message}`);
  const account = (answer.value as { id: string; kind: string }[]).find((a) => a.kind === kind);
  if (!account) throw new Error(`No ${kind} account in the demo`);
  return account.id;
}

/** The table row of the token named exactly `name` (not of "name-2"). */
export function tokenRow(page: Page, name: string): Locator {
  return page
    .getByRole('table', { name: 'Tokens', exact: true })
    .getByRole('row')
    .filter({ has: page.locator('.token-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Revokes a token behind the vault's back, as someone on the server's web page would. */
export async function revokeOnServer(server: TestServer, credential: string, name: string): Promise<void> {
  const response = await fetch(`${server.url}/api/user_tokens/revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name }).toString(),
  });
  if (!response.ok) throw new Error(`Revoking ${name} on the test server answered ${response.status}`);
}

/** Whether the page's JavaScript heap, after a full collection, still holds `text` anywhere. */
export async function heapHolds(page: Page, text: string): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return chunks.join('').includes(text);
}
