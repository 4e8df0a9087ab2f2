/**
 * How long a secret stays exposed in the window: a new token's value leaves with its panel, which
 * closes after the "copy it now" time and whenever the window hides; plain http to another
 * computer is taken only with the user's say-so, in words that say what it means.
 */
import { expect, generateThroughUi, heapHolds, openAccount, test } from './fixtures';

test.use({ demoOptions: { addAccounts: { cloud: false, server: true } } });

test('the "copy it now" panel copies through the core and closes after its time', async ({ page, demo }) => {
  await demo.core.dispatch('settings.update', { onceValueMs: 10_000 });
  // The page's time is the test's: the panel's 10 s pass in one step, not in a wait.
  await page.clock.install();
  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  await page.getByRole('button', { name: 'Generate token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate token' });
  await dialog.getByLabel('Name').fill('short-lived-panel');
  await dialog.getByRole('button', { name: 'Generate' }).click();

  const once = page.getByRole('dialog', { name: 'Copy your new token now' });
  await expect(once).toContainText(/This panel closes in \d+s, or when the window is hidden/);
  const value = await once.getByLabel('New token value').inputValue();
  await once.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => demo.clipboard.text).toBe(value);

  await expect(once).toBeVisible();
  await page.clock.fastForward(10_000);
  await expect(once).toBeHidden();
  expect(await page.content()).not.toContain(value);
  expect(await heapHolds(page, value)).toBe(false);
});

test('hiding the window drops a value shown once, and a revealed one', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await openAccount(page, 'ACME SonarQube');
  const kept = await generateThroughUi(page, 'revealed-then-hidden');

  await page.getByRole('button', { name: 'Generate token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate token' });
  await dialog.getByLabel('Name').fill('shown-then-hidden');
  await dialog.getByRole('button', { name: 'Generate' }).click();
  const once = page.getByRole('dialog', { name: 'Copy your new token now' });
  const value = await once.getByLabel('New token value').inputValue();
  demo.core.windowHidden();
  await expect(once).toBeHidden();

  const row = page
    .getByRole('table', { name: 'Tokens' })
    .getByRole('row')
    .filter({ hasText: 'revealed-then-hidden' });
  await row.getByRole('button', { name: 'Reveal' }).click();
  await expect(row).toContainText(kept);
  demo.core.windowHidden();
  await expect(row).not.toContainText(kept);

  const html = await page.content();
  expect(html).not.toContain(value);
  expect(html).not.toContain(kept);
});

test('plain http to another computer: refused unless the user accepts it, in plain words', async ({
  page,
  demo,
}) => {
  await page.goto(demo.bridge.url);
  await page.getByRole('button', { name: 'Add account' }).click();
  const add = page.getByRole('dialog', { name: 'Add account' });
  await add.getByLabel('Account type').selectOption({ label: 'SonarQube Server' });
  const consent = add.getByLabel('Send my token to this server over plain http anyway');

  await add.getByLabel('Server URL').fill(demo.server.url); // http://127.0.0.1:…: this computer
  await expect(consent).toHaveCount(0);
  await add.getByLabel('Server URL').fill('https://sonar.intranet.test');
  await expect(consent).toHaveCount(0);

  await add.getByLabel('Server URL').fill('http://sonar.intranet.test:9000');
  await expect(add.getByText('Unencrypted.')).toBeVisible();
  await add.getByLabel('Token', { exact: true }).fill('squ_' + '1'.repeat(40));
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.getByRole('alert')).toContainText(
    'would send your token unencrypted to sonar.intranet.test:9000',
  );

  // Accepted: the core goes on to the server (which does not exist here).
  await consent.check();
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(add.getByRole('alert')).not.toContainText('unencrypted');
  await expect(add.getByRole('alert')).toContainText(/reach|resolve|find/i);
});

// (eval cannot be tried from here: Playwright's evaluation is exempt; the policy has no
// 'unsafe-eval', which test/unit/trust.test.ts holds.)
test('the page’s CSP refuses inline script, other origins and framing', async ({ page, demo }) => {
  await page.goto(demo.bridge.url);
  await expect(page.getByRole('button', { name: 'Add account' })).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const web = globalThis as unknown as {
      document: {
        addEventListener(e: string, f: (v: { violatedDirective: string }) => void): void;
        createElement(tag: string): { textContent: string; src: string };
        body: { append(node: unknown): void };
      };
      inlineRan?: boolean;
    };
    const violated: string[] = [];
    web.document.addEventListener('securitypolicyviolation', (v) => violated.push(v.violatedDirective));
    const script = web.document.createElement('script');
    script.textContent = 'globalThis.inlineRan = true';
    web.document.body.append(script);
    const fetched = await fetch('http://127.0.0.1:9/').then(
      () => 'answered',
      () => 'refused',
    );
    const frame = web.document.createElement('iframe');
    frame.src = 'https://example.com/';
    web.document.body.append(frame);
    await new Promise((settle) => setTimeout(settle, 200));
    return { inlineRan: web.inlineRan ?? false, fetched, violated: [...new Set(violated)].sort() };
  });
  expect(outcome).toEqual({
    inlineRan: false,
    fetched: 'refused',
    violated: ['connect-src', 'frame-src', 'script-src-elem'],
  });
});
