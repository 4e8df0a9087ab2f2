/** A Server behind a certificate from an organization's own CA: trusted only when the user adds it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';
import { createPrivateCa, type PrivateCa } from '../support/tls';

describe('extra CA certificate per Server account', () => {
  let ca: PrivateCa;
  let server: TestServer;
  let credential: string;

  beforeAll(async () => {
    ca = await createPrivateCa();
    server = await startSonarQubeServer({
      flavour: 'server',
      tls: ca.server,
      users: [{ login: 'grace', name: 'Grace' }],
    });
    credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
  });
  afterAll(() => server.close());

  it('refuses the server without the CA, naming the certificate problem (no way to ignore it)', async () => {
    expect(server.url).toMatch(/^https:/);
    const vault = await coreFixture();
    await expect(
      vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential }),
    ).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(/certificate/i) as unknown,
    });
    expect(await vault.call('accounts.list', {})).toEqual([]);
  });

  it('works with the CA added, for every call of that account', async () => {
    const vault = await coreFixture();
    const account = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl: server.url,
      credential,
      caCertificatePem: ca.caPem,
    });
    expect(account.extraCaSubject).toMatch(/CN=/);
    expect(JSON.stringify(account)).not.toContain('BEGIN CERTIFICATE');
    const { value } = await vault.call('tokens.generate', {
      accountId: account.id,
      name: 'over-tls',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    expect(value).toMatch(/^squ_/);
    expect((await vault.call('tokens.list', { accountId: account.id })).stale).toBe(false);
  });

  it('refuses a file that is not a PEM certificate, and a CA on a Cloud account', async () => {
    const vault = await coreFixture();
    await expect(
      vault.call('accounts.add', {
        kind: 'server',
        baseUrl: server.url,
        credential,
        caCertificatePem: 'hello',
      }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: /not a PEM certificate/ });
    await expect(
      vault.call('accounts.add', {
        kind: 'cloud-eu',
        organization: 'x',
        credential,
        caCertificatePem: ca.caPem,
      }),
    ).rejects.toThrow(/public certificates/);
  });
});
