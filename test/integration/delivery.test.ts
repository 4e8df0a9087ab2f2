/**
 * Delivery through the real dispatch, the real GitHub and GitLab clients and imitations of both
 * services on 127.0.0.1 (GitHub's decrypts the sealed box with its own private key): targets are
 * checked before they are kept, a value is delivered and confirmed, and Rotate and deliver revokes
 * the predecessor only once every target has the successor — a target that fails keeps it alive
 * until a retry succeeds. Neither a value nor a CI credential ever reaches the data folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryTarget } from '../../electron/contract';
import { secretKeys } from '../../electron/core/vault/context';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { startGitLabServer, type GitLabServer } from '../support/gitlab-server';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);
const GITHUB_TOKEN = 'github_pat_11AAAAAAA0test0credential0for0acme0web';
const GITLAB_TOKEN = 'glpat-test-credential-for-group-app';
const SECRET_PATH = '/repos/acme/web/actions/secrets/SONAR_TOKEN';

describe('delivery to CI secret stores', () => {
  let sonar: TestServer;
  let github: GitHubServer;
  let gitlab: GitLabServer;
  let vault: CoreFixture;
  let accountId: string;
  const values: string[] = [];

  const githubTarget = (): Extract<DeliveryTarget, { kind: 'github' }> => ({
    kind: 'github',
    apiUrl: github.url,
    scope: 'repository',
    owner: 'acme',
    repo: 'web',
    name: 'SONAR_TOKEN',
  });
  const gitlabTarget = (): Extract<DeliveryTarget, { kind: 'gitlab' }> => ({
    kind: 'gitlab',
    apiUrl: gitlab.url,
    scope: 'project',
    path: 'group/app',
    key: 'SONAR_TOKEN',
    masked: true,
    protected: true,
  });
  const heldValue = async (name: string) => vault.secrets.get(secretKeys.token(accountId, name));

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
    const targets = await vault.call('delivery.list', { accountId, name: 'deploy' });
    for (const target of targets) {
      const delivered = await vault.call('delivery.deliver', { id: target.id });
      expect(delivered.last).toMatchObject({ ok: true, tokenName: 'deploy', at: NOW });
    }
    const value = await heldValue('deploy');
    expect(github.secret(SECRET_PATH)).toBe(value);
    expect(gitlab.variable('project', 'group/app', 'SONAR_TOKEN')).toMatchObject({
      value,
      masked: true,
      protected: true,
    });
  });

  it('rotate and deliver: a failing target keeps the predecessor until a retry delivers everywhere', async () => {
    // GitLab refuses the access token once: GitHub gets the successor, the predecessor stays.
    gitlab.fault('PUT /api/v4/projects', { status: 401, body: { message: '401 Unauthorized' } }, 1);
    const run = await vault.call('tokens.rotateAndDeliver', { accountId, name: 'deploy' });
    expect(run.complete).toBe(false);
    expect(run.predecessor).toBe('deploy');
    const successor = run.successor;
    values.push((await heldValue(successor))!);
    const byKind = Object.fromEntries(run.deliveries.map((d) => [d.target.kind, d.last]));
    expect(byKind['github']).toMatchObject({ ok: true, tokenName: successor });
    expect(byKind['gitlab']).toMatchObject({ ok: false, tokenName: successor });
    expect(byKind['gitlab']?.message).toMatch(/GitLab/);
    expect(github.secret(SECRET_PATH)).toBe(values[2]);
    expect(gitlab.variable('project', 'group/app', 'SONAR_TOKEN')?.value).toBe(values[1]);
    expect(sonar.tokenNames('grace')).toEqual(expect.arrayContaining(['deploy', successor]));
    // Both rows say what is missing; no timer revokes the predecessor meanwhile.
    const { tokens } = await vault.call('tokens.list', { accountId });
    expect(tokens.find((t) => t.name === 'deploy')?.rotation).toMatchObject({
      role: 'predecessor',
      revokeAt: null,
      lastError: expect.stringContaining('GitLab group/app') as unknown,
    });

    // Retry from either token: GitLab only (GitHub has it already), then the predecessor goes.
    const githubWrites = github.requests.filter((r) => r.method === 'PUT').length;
    const retried = await vault.call('tokens.retryDelivery', { accountId, name: successor });
    expect(retried.complete).toBe(true);
    expect(github.requests.filter((r) => r.method === 'PUT').length).toBe(githubWrites);
    expect(gitlab.variable('project', 'group/app', 'SONAR_TOKEN')?.value).toBe(values[2]);
    expect(sonar.tokenNames('grace')).not.toContain('deploy');
    expect(await heldValue('deploy')).toBeNull();
    // The targets follow the successor.
    expect(await vault.call('delivery.list', { accountId, name: 'deploy' })).toEqual([]);
    const moved = await vault.call('delivery.list', { accountId, name: successor });
    expect(moved.map((d) => [d.label, d.last?.ok, d.last?.tokenName])).toEqual([
      ['GitHub acme/web · SONAR_TOKEN', true, successor],
      ['GitLab group/app · SONAR_TOKEN', true, successor],
    ]);
  });

  it('a connection cut mid-delivery fails that target, named; the predecessor stays', async () => {
    const { tokens } = await vault.call('tokens.list', { accountId });
    const current = tokens.find((t) => t.deliveryTargets === 2)!.name;
    github.fault('PUT /repos/acme/web/actions/secrets', { kind: 'cut' }, 1);
    const run = await vault.call('tokens.rotateAndDeliver', { accountId, name: current });
    expect(run.complete).toBe(false);
    const failed = run.deliveries.filter((d) => !d.last?.ok);
    expect(failed.map((d) => d.label)).toEqual(['GitHub acme/web · SONAR_TOKEN']);
    expect(sonar.tokenNames('grace')).toContain(current);
    values.push((await heldValue(run.successor))!);
    // Cancelled: both tokens stay; nothing was revoked.
    await vault.call('tokens.cancelRotation', { accountId, name: current });
    expect(sonar.tokenNames('grace')).toEqual(expect.arrayContaining([current, run.successor]));
  });

  it('removing a target forgets its credential; no value or credential is ever on disk', async () => {
    const { tokens } = await vault.call('tokens.list', { accountId });
    const current = tokens.find((t) => t.deliveryTargets === 2)!.name;
    const [first] = await vault.call('delivery.list', { accountId, name: current });
    await vault.call('delivery.remove', { id: first!.id });
    expect(await vault.secrets.get(secretKeys.delivery(first!.id))).toBeNull();
    expect(await vault.call('delivery.list', { accountId, name: current })).toHaveLength(1);
    const disk = await vault.everythingOnDisk();
    expect(disk).toContain('"deliveries"');
    for (const secret of [...values, GITHUB_TOKEN, GITLAB_TOKEN]) expect(disk).not.toContain(secret);
  });
});
