/** Run in a child process without a Secret Service: prints what the vault tells the user. */
import { KeytarSecretStore } from '@core/storage/keytar-store';

try {
  await new KeytarSecretStore('Token Vault for SonarQube (probe)').set('probe', 'squ_probe');
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} catch (error) {
  const e = error as { code?: string; message?: string };
  process.stdout.write(`${JSON.stringify({ ok: false, code: e.code, message: e.message })}\n`);
}
