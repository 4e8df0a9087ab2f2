/**
 * Each test boots the built package (dist/linux-unpacked, from `npm run package:check`) under the
 * Electron double, on a data folder of its own, against a local SonarQube Server imitation.
 */
import { test as base } from '@playwright/test';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { packageAsar, PackagedApp, type BootOptions } from '../support/electron-double/harness';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

export const CREDENTIAL = 'squ_5eed000000000000000000000000000000000002';

export const test = base.extend<{ boot: BootOptions; sonar: TestServer; vault: PackagedApp }>({
  boot: [{}, { option: true }],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's needs from its first parameter
  sonar: async ({}, use) => {
    const now = Date.now();
    const server = await startSonarQubeServer({
      flavour: 'server',
      users: [
        {
          login: 'grace.hopper',
          name: 'Grace Hopper',
          tokens: [
            { name: 'token-vault', value: CREDENTIAL, createdAt: new Date(now - 30 * DAY_MS) },
            {
              name: 'release-bot',
              createdAt: new Date(now - 29 * DAY_MS),
              expirationDate: new Date(now + 47 * MINUTE_MS),
            },
            {
              name: 'nightly-scan',
              createdAt: new Date(now - 80 * DAY_MS),
              expirationDate: new Date(now + 2 * DAY_MS + 5 * HOUR_MS),
            },
          ],
        },
      ],
    });
    await use(server);
    await server.close();
  },
  vault: async ({ boot }, use, testInfo) => {
    const asar = packageAsar(testInfo.repeatEachIndex);
    // Which package this run booted: the mutation check reads it back from the report.
    testInfo.annotations.push({ type: 'package', description: asar });
    const app = await PackagedApp.boot({ ...boot, asar });
    await use(app);
    await app.close();
  },
});

export { expect } from '@playwright/test';

/** Adds the Server account through the window, as a person would. */
export async function addServerAccount(app: PackagedApp, server: TestServer): Promise<void> {
  const page = await app.window();
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
  await add.getByLabel('Server URL').fill(server.url);
  await add.getByLabel('Token').fill(CREDENTIAL);
  await add.getByLabel('Label').fill('ACME SonarQube');
  await add.getByRole('button', { name: 'Add account' }).click();
  await add.waitFor({ state: 'hidden' });
}

/** Calls the contract from the page, over the preload and the IPC double. */
export function invokeFromPage(app: PackagedApp, call: string, payload: unknown): Promise<unknown> {
  return app
    .window()
    .then((page) =>
      page.evaluate(
        ([c, p]) =>
          (
            globalThis as unknown as { vault: { invoke(c: string, p: unknown): Promise<unknown> } }
          ).vault.invoke(c, p),
        [call, payload] as const,
      ),
    );
}

/** Adds the Server account and generates a token over the contract; answers the account id and value. */
export async function generateByCall(app: PackagedApp, server: TestServer, name: string) {
  const added = (await invokeFromPage(app, 'accounts.add', {
    kind: 'server',
    baseUrl: server.url,
    credential: CREDENTIAL,
    label: 'ACME SonarQube',
  })) as { ok: true; value: { id: string } };
  const accountId = added.value.id;
  const generated = (await invokeFromPage(app, 'tokens.generate', {
    accountId,
    name,
    type: 'USER_TOKEN',
    expirationDate: null,
  })) as { ok: true; value: { value: string } };
  return { accountId, value: generated.value.value };
}
