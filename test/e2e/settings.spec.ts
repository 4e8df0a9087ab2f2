/**
 * The Settings dialog in a real Chromium, through the bridge to the real core: every setting is
 * edited as a draft, saved in one update with only what changed, refused cleanly when the core
 * says no, reloaded when the core says they changed, and in effect afterwards (the copy toast).
 */
import { DAY_MS, HOUR_MS } from '@shared/expiry';
import type { Demo } from '../support/demo';
import { CLIPBOARD_CLEAR_MS, expect, test } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

async function accountIds(demo: Demo): Promise<{ cloud: string; server: string }> {
  const answer = await demo.core.dispatch('accounts.list', {});
  expect(answer.ok).toBe(true);
  const list = (answer.ok ? answer.value : []) as { id: string; kind: string }[];
  const id = (kind: string) => list.find((a) => a.kind === kind)?.id ?? '';
  return { cloud: id('cloud-eu'), server: id('server') };
}

test('edit every kind of setting, save, see them kept and in effect', async ({ page, demo }) => {
  const ids = await accountIds(demo);
  // A token in the vault, to copy at the end.
  const generated = await demo.core.dispatch('tokens.generate', {
    accountId: ids.server,
    name: 'settings-copy',
    type: 'USER_TOKEN',
    expirationDate: null,
  });
  expect(generated.ok).toBe(true);
  const settingsNow = async () => {
    const answer = await demo.core.dispatch('settings.get', {});
    expect(answer.ok).toBe(true);
    return answer.ok ? answer.value : undefined;
  };
  const before = await settingsNow();

  await page.goto(demo.bridge.url);
  const accounts = page.getByRole('navigation', { name: 'Accounts' });
  const cloudButton = accounts.getByRole('button', { name: /^Analytical Engines/ });
  await expect(cloudButton).toBeVisible();
  await expect(cloudButton).not.toContainText('Muted');

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const clipboard = dialog.getByLabel('Clear the clipboard after');
  // The test vault clears after 2 s, none of the offered choices: shown as it is, not hidden.
  await expect(clipboard).toHaveValue(String(CLIPBOARD_CLEAR_MS));
  await expect(clipboard.locator('option:checked')).toHaveText('2 s');
  await expect(dialog.getByLabel('Hide a revealed value after')).toHaveValue('10000');
  const chips = dialog.getByRole('list', { name: 'Warn when a token has less than' }).getByRole('listitem');
  await expect(chips).toHaveText(['14 days×', '3 days×', '1 day×', '1 hour×']);

  // Cancel drops the draft.
  await dialog.getByRole('button', { name: 'Pause for 1 hour' }).click();
  await expect(dialog).toContainText(/Paused until (\d|[A-Z][a-z]{2} \d)/); // a time, or a date and time past midnight
  await expect(dialog.getByRole('button', { name: 'Resume now' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(await settingsNow()).toEqual(before);

  await page.getByRole('button', { name: 'Settings' }).click();
  await clipboard.selectOption({ label: '10 s' });
  await dialog.getByRole('button', { name: 'Remove 14 days' }).click();
  await dialog.getByLabel('Add a warning at').fill('2');
  await dialog.getByLabel('Unit').selectOption('days');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(chips).toHaveText(['3 days×', '2 days×', '1 day×', '1 hour×']);
  // The same threshold in other words is not added twice.
  await dialog.getByLabel('Add a warning at').fill('48');
  await dialog.getByLabel('Unit').selectOption('hours');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(chips).toHaveCount(4);
  await dialog.getByLabel('Notify about Analytical Engines').uncheck();
  await expect(dialog.getByLabel('Notify about ACME SonarQube')).toBeChecked();
  await expect(dialog.getByLabel('From', { exact: true })).toBeDisabled();
  await dialog.getByLabel('Quiet hours').check();
  await expect(dialog).toContainText('Notifications wait until quiet hours end, then arrive as one summary.');

  // A change the core refuses: a cleared time. Its message is shown, the draft stays, nothing is saved.
  await dialog.getByLabel('From', { exact: true }).fill('');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('quietHours.start: Use the form HH:MM');
  await expect(dialog).toBeVisible();
  await expect(clipboard).toHaveValue('10000');
  expect(await settingsNow()).toEqual(before);

  await dialog.getByLabel('From', { exact: true }).fill('22:00');
  await dialog.getByLabel('To', { exact: true }).fill('07:00');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();

  expect(await settingsNow()).toEqual({
    clipboardClearMs: 10_000,
    revealMs: 10_000,
    onceValueMs: 120_000,
    thresholdsMs: [3 * DAY_MS, 2 * DAY_MS, DAY_MS, HOUR_MS],
    quietHours: { start: '22:00', end: '07:00' },
    mutedAccounts: [ids.cloud],
    notificationsPausedUntil: null,
    closeToTray: true,
    launchAtLogin: false,
    menuBarOnly: false,
  });
  await expect(cloudButton.locator('.muted-marker')).toHaveText('Muted');
  await expect(accounts.getByRole('button', { name: /^ACME SonarQube/ })).not.toContainText('Muted');

  // Reopened, it shows what was saved.
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(clipboard).toHaveValue('10000');
  await expect(chips).toHaveText(['3 days×', '2 days×', '1 day×', '1 hour×']);
  await expect(dialog.getByLabel('Notify about Analytical Engines')).not.toBeChecked();
  await expect(dialog.getByLabel('Quiet hours')).toBeChecked();
  await expect(dialog.getByLabel('From', { exact: true })).toHaveValue('22:00');
  await expect(dialog.getByLabel('To', { exact: true })).toHaveValue('07:00');
  await expect(dialog.getByLabel('Keep running in the tray when the window is closed')).toBeChecked();
  await expect(dialog.getByLabel('Open at login')).not.toBeChecked();
  await page.screenshot({ path: 'test-results/settings.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // The new clipboard delay is the one the copy uses.
  await accounts.getByRole('button', { name: /^ACME SonarQube/ }).click();
  const row = page
    .getByRole('table', { name: 'Tokens' })
    .getByRole('row')
    .filter({ hasText: 'settings-copy' });
  await row.getByRole('button', { name: 'Copy' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Copied. The clipboard will be cleared in 10 s' }),
  ).toBeVisible();
});

test('a change made elsewhere (the tray) arrives as settings.changed: the window follows', async ({
  page,
  demo,
}) => {
  const ids = await accountIds(demo);
  await page.goto(demo.bridge.url);
  const cloudButton = page
    .getByRole('navigation', { name: 'Accounts' })
    .getByRole('button', { name: /^Analytical Engines/ });
  await expect(cloudButton).toBeVisible();

  expect((await demo.core.dispatch('settings.update', { mutedAccounts: [ids.cloud] })).ok).toBe(true);
  await expect(cloudButton.locator('.muted-marker')).toHaveText('Muted');
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Notify about Analytical Engines')).not.toBeChecked();
  // Escape cancels, like the Cancel button.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();

  const pausedUntil = Date.now() + 2 * 3_600_000;
  expect((await demo.core.dispatch('settings.update', { notificationsPausedUntil: pausedUntil })).ok).toBe(
    true,
  );
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(dialog).toContainText(/Paused until (\d|[A-Z][a-z]{2} \d)/); // a time, or a date and time past midnight
  await dialog.getByRole('button', { name: 'Resume now' }).click();
  await expect(dialog.getByRole('button', { name: 'Pause for 1 hour' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const after = await demo.core.dispatch('settings.get', {});
  expect(
    after.ok && (after.value as { notificationsPausedUntil: number | null }).notificationsPausedUntil,
  ).toBe(null);
});

test('saving one setting keeps the others', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.getByLabel('Clear the clipboard after').selectOption({ label: '10 s' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Settings' }).click();
  await dialog.getByLabel('Open at login').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const answer = await demo.core.dispatch('settings.get', {});
  expect(answer.ok).toBe(true);
  expect(answer.ok && answer.value).toMatchObject({ clipboardClearMs: 10_000, launchAtLogin: true });
});
