/**
 * Adding an account to the wrong place, said as such: a Cloud token tried in the other region, a
 * Server URL that is SonarQube Cloud. "Token not accepted" or "not a Server" would be true there,
 * but would not tell a new user what to change.
 */
import type { AccountKind } from '@contract';
import { VaultError } from '@core/errors';
import { SonarQubeClient } from '@core/sonarqube/client';
import { isCloud, type CloudHosts } from '@core/sonarqube/regions';
import { atLeast } from '@core/sonarqube/versions';
import type { VaultContext } from '@core/context';

type CloudKind = Exclude<AccountKind, 'server'>;

const REGIONS: Readonly<Record<CloudKind, string>> = { 'cloud-eu': 'EU', 'cloud-us': 'US' };
const OTHER_REGION: Readonly<Record<CloudKind, CloudKind>> = {
  'cloud-eu': 'cloud-us',
  'cloud-us': 'cloud-eu',
};

/** The other region answers at once or not at all: a hint is not worth a long wait. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * `error` as it is, unless it is a Cloud token refused (401) and the other region's
 * api/users/current accepts that token: then an error naming that region. One request, nothing
 * else is sent there; a probe that fails in any way leaves the 401 as it was.
 */
export async function inOtherRegion(
  ctx: VaultContext,
  kind: AccountKind,
  credential: string,
  error: unknown,
): Promise<unknown> {
  if (!isCloud(kind) || !(error instanceof VaultError) || error.code !== 'unauthorized') return error;
  const other = OTHER_REGION[kind];
  const probe = new SonarQubeClient({
    baseUrl: ctx.cloudHosts[other],
    fetch: ctx.fetch,
    token: credential,
    timeoutMs: Math.min(ctx.requestTimeoutMs, PROBE_TIMEOUT_MS),
    maxAttempts: 1,
    basicFallback: false,
  });
  const user = await probe.currentUser().catch(() => null);
  if (user === null) return error;
  ctx.log.info('token belongs to the other Cloud region', { tried: kind, belongsTo: other });
  return new VaultError(
    'unauthorized',
    `This token belongs to SonarQube Cloud (${REGIONS[other]}) (it signs in as ${user.login} there), ` +
      `not Cloud (${REGIONS[kind]}): choose the ${REGIONS[other]} region.`,
  );
}

/**
 * Refuses a Server account whose URL is SonarQube Cloud, before anything is sent: Cloud's own
 * hosts (and their subdomains, such as api.sonarcloud.io).
 */
export function refuseCloudHost(cloudHosts: CloudHosts, baseUrl: string): void {
  const url = new URL(baseUrl);
  for (const kind of Object.keys(REGIONS) as CloudKind[]) {
    const cloud = new URL(cloudHosts[kind]);
    if (url.host === cloud.host || url.hostname.endsWith(`.${cloud.hostname}`)) {
      throw new VaultError(
        'invalid-input',
        `That is SonarQube Cloud (${REGIONS[kind]}): choose the Cloud account type, SonarQube Cloud ` +
          `(${REGIONS[kind]}); SonarQube Server is for a SonarQube your organization runs itself.`,
      );
    }
  }
}

/**
 * Refuses a Server account that answers as SonarQube Cloud does, under an address that is not
 * Cloud's: Cloud reports version 8.0 (a Server 8.x is long out of support) and, unlike any Server,
 * leaves its version out of api/navigation/global. Asked only of an 8.x, without the token; an
 * answer that does not tell (refused, odd) lets the account through as a Server.
 */
export async function refuseCloudAnswers(
  probe: Pick<SonarQubeClient, 'navigation'>,
  serverVersion: string,
  host: string,
): Promise<void> {
  if (atLeast(serverVersion, '9') !== false || atLeast(serverVersion, '8') !== true) return;
  const navigation = await probe.navigation().catch(() => null);
  if (navigation === null || navigation.version !== null || navigation.edition !== null) return;
  throw new VaultError(
    'invalid-input',
    `${host} answers as SonarQube Cloud does, not as a SonarQube Server: choose the Cloud account type of your region (EU or US).`,
  );
}
