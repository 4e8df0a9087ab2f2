/**
 * A Server too old for a feature says which version it needs, before anything is generated: a
 * Server drops a parameter it does not know (a token type before 9.5, an expiration date before
 * 9.6) and makes a plain user token that never expires.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;

/** A Server of `version` (basic auth only, as before 10.0) with Grace's account in a vault as "ACME". */
async function oldServer(version: string) {
  const sonar = await startSonarQubeServer({
    flavour: 'server',
    version,
    bearerSupported: false,
    users: [{ login: 'grace', name: 'Grace Hopper' }],
  });
  const credential = sonar.addToken('grace', { name: 'vault', createdAt: new Date(sonar.clock.now()) });
  const vault = await coreFixture({ now: sonar.clock.now() });
  const { id } = await vault.call('accounts.add', {
    kind: 'server',
    baseUrl: sonar.url,
    credential,
    label: 'ACME',
    ownCredential: false,
  });
  return { sonar, vault, accountId: id };
}

function inDays(sonar: TestServer, days: number): string {
  return new Date(sonar.clock.now() + days * DAY).toISOString().slice(0, 10);
}

function generates(sonar: TestServer) {
  return sonar.requests.filter((r) => r.path === '/api/user_tokens/generate');
}

describe('a Server 9.4', () => {
  let sonar: TestServer;
  let vault: CoreFixture;
  let accountId: string;

  beforeAll(async () => {
    ({ sonar, vault, accountId } = await oldServer('9.4.0.54424'));
  });
  beforeEach(() => {
    sonar.requests.length = 0;
  });
  afterAll(() => sonar.close());

  it('an analysis token: needs 9.5, says so, and nothing is generated', async () => {
    await expect(
      vault.call('tokens.generate', {
        accountId,
        name: 'ci',
        type: 'GLOBAL_ANALYSIS_TOKEN',
        expirationDate: null,
      }),
    ).rejects.toMatchObject({
      code: 'rejected',
      message:
        'A global analysis token needs SonarQube Server 9.5 or later; ACME runs 9.4. Generate a user token instead.',
    });
    expect(generates(sonar)).toEqual([]);
    expect(sonar.tokenNames('grace')).toEqual(['vault']);
  });

  it('an expiration date: needs 9.6, says so, and nothing is generated', async () => {
    await expect(
      vault.call('tokens.generate', {
        accountId,
        name: 'laptop',
        type: 'USER_TOKEN',
        expirationDate: inDays(sonar, 10),
      }),
    ).rejects.toMatchObject({
      code: 'rejected',
      message:
        'An expiration date needs SonarQube Server 9.6 or later; ACME runs 9.4. Choose "No expiration" instead.',
    });
    expect(generates(sonar)).toEqual([]);
  });

  it('a user token without a date is what it makes: generated', async () => {
    const made = await vault.call('tokens.generate', {
      accountId,
      name: 'laptop',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    expect(made.stored).toBe(true);
    // Bearer refused, then basic auth (as before 10.0): one token made.
    expect(generates(sonar).filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('upgraded since the account was added: the server is asked again, and the token is made', async () => {
    sonar.fault('/api/server/version', {
      kind: 'status',
      status: 200,
      body: '10.7.0.96327',
      contentType: 'text/plain',
    });
    const made = await vault.call('tokens.generate', {
      accountId,
      name: 'ci-upgraded',
      type: 'GLOBAL_ANALYSIS_TOKEN',
      expirationDate: inDays(sonar, 30),
    });
    expect(made.token).toMatchObject({ name: 'ci-upgraded', type: 'GLOBAL_ANALYSIS_TOKEN' });
    expect(sonar.requests.map((r) => r.path)).toContain('/api/server/version');
  });
});

describe('a Server 9.5', () => {
  it('makes analysis tokens, but not with a date', async () => {
    const { sonar, vault, accountId } = await oldServer('9.5.0.56709');
    try {
      await vault.call('tokens.generate', {
        accountId,
        name: 'ci',
        type: 'GLOBAL_ANALYSIS_TOKEN',
        expirationDate: null,
      });
      expect(sonar.tokenNames('grace')).toContain('ci');
      await expect(
        vault.call('tokens.generate', {
          accountId,
          name: 'ci-2',
          type: 'GLOBAL_ANALYSIS_TOKEN',
          expirationDate: inDays(sonar, 10),
        }),
      ).rejects.toThrow('An expiration date needs SonarQube Server 9.6 or later; ACME runs 9.5.');
    } finally {
      await sonar.close();
    }
  });
});

describe('a current Server', () => {
  it('asks nothing more before a generate', async () => {
    const sonar = await startSonarQubeServer({
      flavour: 'server',
      users: [{ login: 'grace', name: 'Grace' }],
    });
    try {
      const credential = sonar.addToken('grace', { name: 'vault', createdAt: new Date(sonar.clock.now()) });
      const vault = await coreFixture({ now: sonar.clock.now() });
      const { id } = await vault.call('accounts.add', {
        kind: 'server',
        baseUrl: sonar.url,
        credential,
        ownCredential: false,
      });
      sonar.requests.length = 0;
      await vault.call('tokens.generate', {
        accountId: id,
        name: 'ci',
        type: 'GLOBAL_ANALYSIS_TOKEN',
        expirationDate: inDays(sonar, 10),
      });
      expect(sonar.requests.map((r) => r.path)).not.toContain('/api/server/version');
    } finally {
      await sonar.close();
    }
  });
});
