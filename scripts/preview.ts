/**
 * `npm run preview`: the real renderer in your browser, on the real core, against local
 * SonarQube imitations seeded with demo accounts. Nothing leaves this machine; the keychain is
 * an in-memory stand-in, so no demo token reaches your real keychain.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySecretStore } from '@core/storage/memory-store';
import { startDemo } from '../test/support/demo';

const dataDir = mkdtempSync(join(tmpdir(), 'token-vault-preview-'));
const demo = await startDemo({
  dataDir,
  secrets: new MemorySecretStore(),
  addAccounts: { cloud: true, server: true },
});

console.log(`Token Vault preview: ${demo.bridge.url}`);
console.log(`  SonarQube Cloud (EU) imitation: ${demo.cloud.url}`);
console.log(`  SonarQube Server imitation:     ${demo.server.url} (admin grace.hopper)`);
// The tray and notifications need Electron; here they are shown as text.
const tray = await demo.core.trayModel();
console.log(`\nTray (${tray.state}): ${tray.tooltip.replaceAll('\n', ' | ')}`);
for (const group of tray.groups) {
  console.log(`  ${group.accountLabel}`);
  for (const token of group.tokens) console.log(`    ${token.canCopy ? 'Copy' : '    '} ${token.label}`);
}
console.log('  Open vault | Refresh all | Pause notifications for 1 hour | Quit');
for (const note of demo.notifications) console.log(`\nNotification: ${note.title}\n  ${note.body}`);
console.log('\nPress Ctrl+C to stop.');
if (process.argv.includes('--open')) {
  spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [demo.bridge.url], {
    stdio: 'ignore',
    detached: true,
  }).unref();
}

const stop = async () => {
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
