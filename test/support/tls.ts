/**
 * A throwaway private certificate authority and a server certificate for 127.0.0.1 signed by it, as
 * a corporate network has: made with the system's openssl in a temporary folder that is removed
 * at once. Only the CA certificate (never its key) leaves this function.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivateCa {
  /** The CA certificate, PEM: what a user would hand the vault. */
  caPem: string;
  /** Key and certificate for `startSonarQubeServer({ tls })`, valid for IP 127.0.0.1. */
  server: { key: string; cert: string };
}

/** P-256 keys: as good as RSA here and much faster to generate. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

const SERVER_EXTENSIONS = [
  'subjectAltName = IP:127.0.0.1',
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth',
].join('\n');

export async function createPrivateCa(): Promise<PrivateCa> {
  const dir = await mkdtemp(join(tmpdir(), 'vault-ca-'));
  const at = (name: string) => join(dir, name);
  try {
    await run('openssl', [
      ...['req', '-x509', ...NEW_KEY, '-days', '2', '-subj', '/CN=Token Vault Test Root CA'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      ...['-keyout', at('ca.key'), '-out', at('ca.pem')],
    ]);
    await run('openssl', [
      ...['req', ...NEW_KEY, '-subj', '/CN=127.0.0.1', '-keyout', at('server.key'), '-out', at('server.csr')],
    ]);
    await writeFile(at('server.ext'), SERVER_EXTENSIONS);
    await run('openssl', [
      ...['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key')],
      ...['-set_serial', `0x${Date.now().toString(16)}`, '-days', '2', '-extfile', at('server.ext')],
      ...['-out', at('server.pem')],
    ]);
    const [caPem, key, cert] = await Promise.all(
      ['ca.pem', 'server.key', 'server.pem'].map((name) => readFile(at(name), 'utf8')),
    );
    if (caPem === undefined || key === undefined || cert === undefined)
      throw new Error('openssl wrote nothing');
    return { caPem, server: { key, cert } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
