/**
 * A crash never breaks the clipboard promise: an error nothing caught in the main process clears a
 * value still on the clipboard, tells the user, and relaunches or quits as they choose; a renderer
 * that dies is reloaded; a child process that dies is logged.
 */
import { CRASH_TITLE } from '../../electron/main/crash-handler';
import type { PackagedApp } from '../support/electron-double/harness';
import type { TestServer } from '../support/sonarqube-server';
import { expect, generateByCall, invokeFromPage, test } from './fixtures';

/** A held value copied, its clear still waiting (10 minutes away). */
async function valueOnClipboard(vault: PackagedApp, sonar: TestServer): Promise<string> {
  await invokeFromPage(vault, 'settings.update', { clipboardClearMs: 600_000 });
  const { accountId, value } = await generateByCall(vault, sonar, 'crash-test');
  expect(await invokeFromPage(vault, 'tokens.copy', { accountId, name: 'crash-test' })).toMatchObject({
    ok: true,
  });
  await vault.waitFor('clipboard.write', (r) => r.detail?.['text'] === value);
  return value;
}

test.describe('the user chooses Relaunch', () => {
  test.use({ boot: { messageBoxResponse: 0 } });

  test('an uncaught exception: clipboard cleared, the user told, relaunched', async ({ vault, sonar }) => {
    const value = await valueOnClipboard(vault, sonar);
    await vault.request({ op: 'crash', kind: 'exception' });
    expect(await vault.exited).toBe(0);

    const order = vault.records.map((r) => r.what);
    expect(order.indexOf('clipboard.clear')).toBeGreaterThan(order.lastIndexOf('clipboard.write'));
    expect(order.indexOf('clipboard.clear')).toBeLessThan(order.indexOf('dialog.showMessageBox'));
    expect(vault.recorded('dialog.showMessageBox')[0]!.detail).toMatchObject({
      title: CRASH_TITLE,
      buttons: ['Relaunch', 'Quit'],
    });
    expect(order.indexOf('app.relaunch')).toBeLessThan(order.indexOf('app.exit'));
    expect(vault.clipboardText()).toBe('');

    // The log names the error, never its message (which could quote anything).
    const log = await vault.log();
    expect(log).toContain('"kind":"uncaughtException","error":"TypeError"');
    expect(log).not.toContain('simulated crash');
    expect(log).not.toContain(value);
  });
});

test.describe('the user chooses Quit', () => {
  test.use({ boot: { messageBoxResponse: 1 } });

  test('an unhandled rejection: clipboard cleared, the user told, quit without a relaunch', async ({
    vault,
    sonar,
  }) => {
    await valueOnClipboard(vault, sonar);
    await vault.request({ op: 'crash', kind: 'rejection' });
    expect(await vault.exited).toBe(1);
    expect(vault.recorded('clipboard.clear')).toHaveLength(1);
    expect(vault.recorded('dialog.showMessageBox')).toHaveLength(1);
    expect(vault.recorded('app.relaunch')).toEqual([]);
    expect(await vault.log()).toContain('"kind":"unhandledRejection","error":"RangeError"');
  });
});

test('a renderer that dies is reloaded; a child process that dies is logged', async ({ vault }) => {
  const window = await vault.windowId();
  await vault.crashRenderer(window);
  await vault.waitFor('webContents.reload', (r) => r.detail?.['window'] === window);
  await vault.waitFor('harness.loaded', undefined, {
    after: vault.records.findIndex((r) => r.what === 'webContents.reload'),
  });
  const page = await vault.window(window);
  await expect(page.getByRole('button', { name: 'Add account' })).toBeVisible();
  expect(await vault.log()).toContain('"message":"renderer process gone","reason":"crashed"');

  await vault.request({ op: 'child-gone', type: 'GPU', reason: 'oom' });
  await expect
    .poll(() => vault.log())
    .toContain('"message":"child process gone","type":"GPU","reason":"oom"');
  expect(vault.running()).toBe(true);
});
