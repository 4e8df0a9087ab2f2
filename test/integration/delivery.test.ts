/**
 * Delivery through the real dispatch, the real GitHub and GitLab clients and imitations of both
 * services on 127.0.0.1 (GitHub's decrypts the sealed box with its own private key): targets are
 * checked before they are kept, a value is delivered and confirmed, and Rotate and deliver revokes
 * the predecessor only once every target has the successor — a target that fails keeps it alive
 * until a retry succeeds. Neither a value nor a CI credential ever reaches the data folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryTarget } from '@contract';
import { secretKeys } from '@core/storage/keys';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { startGitLabServer, type GitLabServer } from '../support/gitlab-server';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);
const GITHUB_TOKEN = 'github_pat_11AAAAAAA0test0credential0for0acme0web';
const GITLAB_TOKEN = 'glpat-test-credential-for-group-app';
/** Where a GitHub secret of acme/web is. */
const secretPath = (name: string) => `/repos/acme/web/actions/secrets/${name}`;

describe('delivery to CI secret stores', () => {
  let sonar: TestServer;
  let github: GitHubServer;
  let gitlab: GitLabServer;
  let vault: CoreFixture;
  let accountId: string;
  /** Every value and credential of the run: none may reach the data folder. */
  const values: string[] = [];

  /** A GitHub secret and a GitLab variable of their own per test (`secret`), so each test stands alone. */
  const githubTarget = (secret = 'SONAR_TOKEN'): Extract<DeliveryTarget, { kind: 'github' }> => ({
    kind: 'github',
    apiUrl: github.url,
    scope: 'repository',
    owner: 'acme',
    repo: 'web',
    name: secret,
  });
  const gitlabTarget = (secret = 'SONAR_TOKEN'): Extract<DeliveryTarget, { kind: 'gitlab' }> => ({
    kind: 'gitlab',
    apiUrl: gitlab.url,
    scope: 'project',
    path: 'group/app',
    key: secret,
    masked: true,
    protected: true,
  });
  const heldValue = async (name: string) => vault.secrets.get(secretKeys.token(accountId, name));

  /** A new token of the account, delivered to a GitHub secret and a GitLab variable named `secret`. */
  async function tokenWithTargets(name: string, secret: string): Promise<string> {
    const generated = await vault.call('tokens.generate', {
      accountId,
      name,
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    values.push(generated.value);
    const ref = { accountId, name };
    await vault.call('delivery.add', { ...ref, target: githubTarget(secret), credential: GITHUB_TOKEN });
    await vault.call('delivery.add', { ...ref, target: gitlabTarget(secret), credential: GITLAB_TOKEN });
    return generated.value;
  }

  /** Delivers the token's held value to each of its targets now. */
  async function deliverNow(name: string) {
    const targets = await vault.call('delivery.list', { accountId, name });
    return Promise.all(targets.map((target) => vault.call('delivery.deliver', { id: target.id })));
  }

  beforeAll(async () => {
    sonar = await startSonarQubeServer({
      flavour: 'server',
      now: NOW,
      users: [{ login: 'grace', name: 'Grace' }],
    });
    github = await startGitHubServer({ tokens: { [GITHUB_TOKEN]: { repos: ['acme/web'] } } });
    gitlab = await startGitLabServer({ tokens: { [GITLAB_TOKEN]: { projects: ['group/app'] } } });
    const credential = sonar.addToken('grace', { name: 'vault', createdAt: new Date(NOW - DAY) });
    values.push(credential);
    vault = await coreFixture({ now: NOW });
    accountId = (
      await vault.call('accounts.add', {
        kind: 'server',
        baseUrl: sonar.url,
        credential,
        ownCredential: false,
      })
    ).id;
    const generated = await vault.call('tokens.generate', {
      accountId,
      name: 'deploy',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    values.push(generated.value);
  });
  afterAll(() => Promise.all([sonar.close(), github.close(), gitlab.close()]));

  it('a target is kept only once its credential works there; http only to this computer', async () => {
    const ref = { accountId, name: 'deploy' };
    await expect(
      vault.call('delivery.add', { ...ref, target: githubTarget(), credential: 'github_pat_wrong' }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(
      vault.call('delivery.add', {
        ...ref,
        target: { ...gitlabTarget(), path: 'group/unknown' },
        credential: GITLAB_TOKEN,
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      vault.call('delivery.add', {
        ...ref,
        target: { ...githubTarget(), apiUrl: 'http://github.example.com/api/v3' },
        credential: GITHUB_TOKEN,
      }),
    ).rejects.toMatchObject({ code: 'bad-url' });
    expect(await vault.call('delivery.list', ref)).toEqual([]);
    expect((await vault.secrets.keys()).filter((k) => k.startsWith('delivery/'))).toEqual([]);

    const added = await vault.call('delivery.add', {
      ...ref,
      target: githubTarget(),
      credential: GITHUB_TOKEN,
    });
    expect(added.label).toBe('GitHub acme/web · SONAR_TOKEN');
    await vault.call('delivery.add', { ...ref, target: gitlabTarget(), credential: GITLAB_TOKEN });
    await expect(
      vault.call('delivery.add', { ...ref, target: githubTarget(), credential: GITHUB_TOKEN }),
    ).rejects.toMatchObject({ code: 'rejected' });
    const { tokens } = await vault.call('tokens.list', { accountId });
    expect(tokens.find((t) => t.name === 'deploy')?.deliveryTargets).toBe(2);
  });

  it('delivers the held value now, confirmed by each service', async () => {
    const value = await tokenWithTargets('deliver-now', 'NOW_TOKEN');
    for (const delivered of await deliverNow('deliver-now')) {
      expect(delivered.last).toMatchObject({ ok: true, tokenName: 'deliver-now', at: NOW });
    }
    expect(github.secret(secretPath('NOW_TOKEN'))).toBe(value);
    expect(gitlab.variable('project', 'group/app', 'NOW_TOKEN')).toMatchObject({
      value,
      masked: true,
      protected: true,
    });
  });

  it('rotate and deliver: a failing target keeps the predecessor until a retry delivers everywhere', async () => {
    const predecessorValue = await tokenWithTargets('rotated', 'ROTATED_TOKEN');
    await deliverNow('rotated');
    // GitLab refuses the access token once: GitHub gets the successor, the predecessor stays.
    gitlab.fault('PUT /api/v4/projects', { status: 401, body: { message: '401 Unauthorized' } }, 1);
    const run = await vault.call('tokens.rotateAndDeliver', { accountId, name: 'rotated' });
    expect(run.complete).toBe(false);
    expect(run.predecessor).toBe('rotated');
    const successor = run.successor;
    const successorValue = (await heldValue(successor))!;
    values.push(successorValue);
    const byKind = Object.fromEntries(run.deliveries.map((d) => [d.target.kind, d.last]));
    expect(byKind['github']).toMatchObject({ ok: true, tokenName: successor });
    expect(byKind['gitlab']).toMatchObject({ ok: false, tokenName: successor });
    expect(byKind['gitlab']?.message).toMatch(/GitLab/);
    expect(github.secret(secretPath('ROTATED_TOKEN'))).toBe(successorValue);
    expect(gitlab.variable('project', 'group/app', 'ROTATED_TOKEN')?.value).toBe(predecessorValue);
    expect(sonar.tokenNames('grace')).toEqual(expect.arrayContaining(['rotated', successor]));
    // Both rows say what is missing; no timer revokes the predecessor meanwhile.
    const { tokens } = await vault.call('tokens.list', { accountId });
    expect(tokens.find((t) => t.name === 'rotated')?.rotation).toMatchObject({
      role: 'predecessor',
      revokeAt: null,
      lastError: expect.stringContaining('GitLab group/app') as unknown,
    });

    // Retry from either token: GitLab only (GitHub has it already), then the predecessor goes.
    const githubWrites = github.requests.filter((r) => r.method === 'PUT').length;
    const retried = await vault.call('tokens.retryDelivery', { accountId, name: successor });
    expect(retried.complete).toBe(true);
    expect(github.requests.filter((r) => r.method === 'PUT').length).toBe(githubWrites);
    expect(gitlab.variable('project', 'group/app', 'ROTATED_TOKEN')?.value).toBe(successorValue);
    expect(sonar.tokenNames('grace')).not.toContain('rotated');
    expect(await heldValue('rotated')).toBeNull();
    // The targets follow the successor.
    expect(await vault.call('delivery.list', { accountId, name: 'rotated' })).toEqual([]);
    const moved = await vault.call('delivery.list', { accountId, name: successor });
    expect(moved.map((d) => [d.label, d.last?.ok, d.last?.tokenName])).toEqual([
      ['GitHub acme/web · ROTATED_TOKEN', true, successor],
      ['GitLab group/app · ROTATED_TOKEN', true, successor],
    ]);
  });

  it('a connection cut mid-delivery fails that target, named; the predecessor stays', async () => {
    await tokenWithTargets('cut', 'CUT_TOKEN');
    github.fault('PUT /repos/acme/web/actions/secrets', { kind: 'cut' }, 1);
    const run = await vault.call('tokens.rotateAndDeliver', { accountId, name: 'cut' });
    expect(run.complete).toBe(false);
    const failed = run.deliveries.filter((d) => !d.last?.ok);
    expect(failed.map((d) => d.label)).toEqual(['GitHub acme/web · CUT_TOKEN']);
    expect(sonar.tokenNames('grace')).toContain('cut');
    values.push((await heldValue(run.successor))!);
    // Cancelled: both tokens stay; nothing was revoked.
    await vault.call('tokens.cancelRotation', { accountId, name: 'cut' });
    expect(sonar.tokenNames('grace')).toEqual(expect.arrayContaining(['cut', run.successor]));
  });

  it('removing a target forgets its credential; no value or credential is ever on disk', async () => {
    await tokenWithTargets('removed', 'REMOVED_TOKEN');
    await deliverNow('removed');
    const [first] = await vault.call('delivery.list', { accountId, name: 'removed' });
    await vault.call('delivery.remove', { id: first!.id });
    expect(await vault.secrets.get(secretKeys.delivery(first!.id))).toBeNull();
    expect(await vault.call('delivery.list', { accountId, name: 'removed' })).toHaveLength(1);
    const disk = await vault.everythingOnDisk();
    expect(disk).toContain('"deliveries"');
    for (const secret of [...values, GITHUB_TOKEN, GITLAB_TOKEN]) expect(disk).not.toContain(secret);
  });
});
