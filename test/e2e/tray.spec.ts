/**
 * The tray and the notifications of the demo vault (two accounts with expiring and expired
 * tokens), as decided by the core: the Electron adapter only draws this model.
 */
import { expect, generateThroughUi, openAccount, test } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: true, server: true } } });

test('the tray shows the worst state and the soonest tokens; start-up sends one summary', async ({
  page,
  demo,
}) => {
  await demo.core.watcher.settled();
  const model = await demo.core.trayModel();
  expect(model.state).toBe('expired'); // legacy-jenkins expired three days ago
  expect(model.tooltip).toMatch(
    /^Token Vault for SonarQube\n1 expired recently\nSoonest: release-bot \(ACME SonarQube\) in 4\d minutes$/,
  );
  // Grouped by account, the account with the soonest token first; soonest first within each.
  expect(model.groups.map((g) => g.accountLabel)).toEqual(['ACME SonarQube', 'Analytical Engines']);
  expect(model.groups[0]?.tokens.map((t) => t.ref.name).slice(0, 2)).toEqual(['release-bot', 'nightly-scan']);
  expect(model.groups[1]?.tokens[0]?.ref.name).toBe('old-notebook');

  // What was expiring when the vault started arrives as one summary, not a burst.
  expect(demo.notifications).toHaveLength(1);
  expect(demo.notifications[0]?.title).toMatch(/^\d+ SonarQube tokens need attention$/);
  expect(demo.notifications[0]?.body).toContain('release-bot (ACME SonarQube) in 4');

  // A token generated in the window becomes copyable from the tray.
  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  const value = await generateThroughUi(page, 'tray-copy');
  const item = (await demo.core.trayModel()).groups
    .flatMap((g) => g.tokens)
    .find((t) => t.ref.name === 'tray-copy');
  expect(item).toMatchObject({ canCopy: true, state: 'ok' }); // 90 days by default
  const copied = await demo.core.dispatch('tokens.copy', item!.ref);
  expect(copied.ok).toBe(true);
  expect(demo.clipboard.text).toBe(value);
  expect(JSON.stringify(await demo.core.trayModel())).not.toContain(value);
});
