/** SonarQube Cloud's two regions: each account talks to its own host; a token belongs to one region. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

describe('Cloud regions', () => {
  let eu: TestServer;
  let us: TestServer;
  let vault: CoreFixture;
  let euToken: string;
  let usToken: string;

  beforeAll(async () => {
    const cloud = (org: string) =>
      startSonarQubeServer({
        flavour: 'cloud',
        organizations: [{ key: org, name: org }],
        users: [{ login: 'ada', name: 'Ada', organizations: [org] }],
      });
    [eu, us] = await Promise.all([cloud('acme-eu'), cloud('acme-us')]);
    euToken = eu.addToken('ada', { name: 'vault', createdAt: new Date() });
    usToken = us.addToken('ada', { name: 'vault', createdAt: new Date() });
    vault = await coreFixture({ cloudHosts: { 'cloud-eu': eu.url, 'cloud-us': us.url } });
  });
  afterAll(() => Promise.all([eu.close(), us.close()]));

  it('a EU token is unknown to the US host; the EU host is asked only whose it is', async () => {
    await expect(
      vault.call('accounts.add', { kind: 'cloud-us', organization: 'acme-us', credential: euToken }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('choose the EU region') as unknown,
    });
    expect(us.requests.some((r) => r.path === '/api/users/current')).toBe(true);
    expect(eu.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/users/current']);
    eu.requests.length = 0;
  });

  it('the same person in both regions: two accounts, each calling only its own host', async () => {
    const inEu = await vault.call('accounts.add', {
      kind: 'cloud-eu',
      organization: 'acme-eu',
      credential: euToken,
    });
    const inUs = await vault.call('accounts.add', {
      kind: 'cloud-us',
      organization: 'acme-us',
      credential: usToken,
    });
    expect([inEu.baseUrl, inUs.baseUrl]).toEqual([eu.url, us.url]);
    const usRequests = us.requests.length;
    await vault.call('tokens.generate', {
      accountId: inEu.id,
      name: 'eu-only',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    expect(eu.tokenNames('ada')).toContain('eu-only');
    expect(us.tokenNames('ada')).not.toContain('eu-only');
    expect(us.requests.length).toBe(usRequests);
  });
});
