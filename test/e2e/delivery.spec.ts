/**
 * Rotate and deliver, as a person does it: a held token gets two CI targets (a GitHub Actions
 * secret, a GitLab CI/CD variable: imitations of both services on 127.0.0.1, GitHub's decrypting
 * the sealed box with its own key), then is rotated. GitLab fails the first time: the old token is
 * kept and GitLab named; Retry delivers there, and only then is the old token revoked.
 */
import { startGitHubServer } from '../support/github-server';
import { startGitLabServer } from '../support/gitlab-server';
import { accountIdOf, expect, generateThroughUi, openAccount, test, tokenRow } from './fixtures';

const GITHUB_TOKEN = 'github_pat_11AAAAAAA0e2e0credential0for0acme0web';
const GITLAB_TOKEN = 'glpat-e2e-credential-for-group-app';
const SECRET_PATH = '/repos/acme/web/actions/secrets/SONAR_TOKEN';

test.use({ demoOptions: { addAccounts: { cloud: false, server: true } } });

test('rotate and deliver to two CI targets: one fails, is retried, then the old token goes', async ({
  page,
  demo,
}) => {
  const github = await startGitHubServer({ tokens: { [GITHUB_TOKEN]: { repos: ['acme/web'] } } });
  const gitlab = await startGitLabServer({ tokens: { [GITLAB_TOKEN]: { projects: ['group/app'] } } });
  try {
    await page.goto(demo.bridge.url);
    await openAccount(page, 'ACME SonarQube');
    const first = await generateThroughUi(page, 'ci-deploy');

    // Two targets, added from the token's detail; each access token is checked before it is kept.
    const row = tokenRow(page, 'ci-deploy');
    await row.getByRole('button', { name: 'Details' }).click();
    const deliveries = page.getByRole('region', { name: 'Delivered to' });
    await expect(deliveries.getByText('No CI secret store yet')).toBeVisible();

    await deliveries.getByRole('button', { name: 'Add delivery target' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add a delivery target' });
    await dialog.getByLabel('API address').fill(github.url);
    await dialog.getByLabel('Repository (owner/name)').fill('acme/web');
    await dialog.getByLabel('Access token').fill('github_pat_not_this_one');
    await dialog.getByRole('button', { name: 'Check and add' }).click();
    await expect(dialog.getByRole('alert')).toContainText('GitHub');
    await dialog.getByLabel('Access token').fill(GITHUB_TOKEN);
    await dialog.getByRole('button', { name: 'Check and add' }).click();
    await expect(dialog).toBeHidden();

    await deliveries.getByRole('button', { name: 'Add delivery target' }).click();
    dialog = page.getByRole('dialog', { name: 'Add a delivery target' });
    await dialog.getByLabel('Service').selectOption('gitlab');
    await dialog.getByLabel('API address').fill(gitlab.url);
    await dialog.getByLabel('Project (full path or id)').fill('group/app');
    await dialog.getByLabel('Access token').fill(GITLAB_TOKEN);
    await dialog.getByRole('button', { name: 'Check and add' }).click();
    await expect(dialog).toBeHidden();
    await expect(deliveries.getByText('GitHub acme/web · SONAR_TOKEN')).toBeVisible();
    await expect(deliveries.getByText('GitLab group/app · SONAR_TOKEN')).toBeVisible();

    // GitLab refuses once: the rotation stops short of revoking.
    gitlab.fault('PUT /api/v4/projects', { status: 401, body: { message: '401 Unauthorized' } }, 1);
    gitlab.fault('POST /api/v4/projects', { status: 401, body: { message: '401 Unauthorized' } }, 1);
    await row.getByRole('button', { name: 'Rotate' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate token' });
    await expect(rotate.getByLabel(/Deliver the new value to its 2 CI targets/)).toBeChecked();
    await rotate.getByRole('button', { name: 'Rotate and deliver' }).click();
    const run = page.getByRole('dialog', { name: 'Rotate and deliver' });
    await expect(run.getByRole('status')).toContainText('"ci-deploy" is kept');
    await expect(run.getByRole('listitem').filter({ hasText: 'GitLab' })).toContainText('Failed');
    await expect(run.getByRole('listitem').filter({ hasText: 'GitHub' })).toContainText('Delivered');
    const successor = demo.server.tokenNames('grace.hopper').find((n) => n.startsWith('ci-deploy-'))!;
    expect(demo.server.tokenNames('grace.hopper')).toContain('ci-deploy');
    await page.screenshot({ path: 'test-results/delivery-failed.png' });

    // Retry: GitLab gets it, and the old token is revoked.
    await run.getByRole('button', { name: 'Retry' }).click();
    await expect(run.getByRole('status')).toContainText('Delivered everywhere');
    await page.screenshot({ path: 'docs/rotate-and-deliver.png' });
    await run.getByRole('button', { name: 'Close' }).click();
    await expect(tokenRow(page, 'ci-deploy')).toHaveCount(0);
    expect(demo.server.tokenNames('grace.hopper')).not.toContain('ci-deploy');

    const accountId = await accountIdOf(demo, 'server');
    const revealed = await demo.core.dispatch('tokens.reveal', { accountId, name: successor });
    if (!revealed.ok) throw new Error(revealed.error.message);
    const { value } = revealed.value as { value: string };
    expect(value).not.toBe(first);
    expect(github.secret(SECRET_PATH)).toBe(value);
    expect(gitlab.variable('project', 'group/app', 'SONAR_TOKEN')?.value).toBe(value);

    // The successor's detail lists both targets, delivered with its own value.
    await tokenRow(page, successor).getByRole('button', { name: 'Details' }).click();
    await expect(deliveries.getByRole('listitem').filter({ hasText: /Delivered \w/ })).toHaveCount(2);
  } finally {
    await Promise.all([github.close(), gitlab.close()]);
  }
});
