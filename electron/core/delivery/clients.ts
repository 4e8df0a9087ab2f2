/**
 * Delivery clients: they put a token's value into a CI secret store (a GitHub Actions secret, a
 * GitLab CI/CD variable) and confirm it arrived. `deliveryClient` picks the client for a target.
 *
 * Every failure is a VaultError with one of the contract's codes, whose message names the target
 * and never holds the value or the credential (http.ts sanitizes every one):
 * 401 'unauthorized', 403 'forbidden' (saying which permission the token needs), 404 'not-found',
 * 400/409/422 'rejected' (with the service's own words), a rate limit waited out when it asks for no
 * more than `maxRetryWaitMs` (at most 3 attempts) and else 'rejected' (saying when to try again),
 * network failures 'unreachable', time-outs 'timeout', 5xx 'server-error'.
 *
 * The credential is sent only to the target's API address, which must be https (or http to this
 * computer); redirects are never followed.
 */
import type { DeliveryTarget } from '@contract';
import { VaultError } from '@core/errors';
import type { Fetch } from '@core/ports';
import { gitHubClient, gitHubLabel } from './github';
import { gitLabClient, gitLabLabel } from './gitlab';
import { realSleep } from '@core/http/transport';
import {
  apiUrlProblem,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_TIMEOUT_MS,
  type DeliveryClient,
  type ResolvedDeliveryOptions,
} from './http';

export interface DeliveryOptions {
  fetch: Fetch;
  /** waits (injected for tests) */
  sleep?: (ms: number) => Promise<void>;
  /** longest Retry-After honoured before failing, default 60_000 */
  maxRetryWaitMs?: number;
  /** Per attempt (the request and reading its answer), default 15_000. */
  timeoutMs?: number;
}

export function deliveryClient(
  target: DeliveryTarget,
  credential: string,
  options: DeliveryOptions,
): DeliveryClient {
  const problem = apiUrlProblem(target.apiUrl);
  if (problem !== null) {
    const refuse = () => Promise.reject(new VaultError('bad-url', `${problem} (${targetLabel(target)})`));
    return { check: refuse, deliver: refuse };
  }
  const resolved: ResolvedDeliveryOptions = {
    fetch: options.fetch,
    sleep: options.sleep ?? realSleep,
    maxRetryWaitMs: options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  return target.kind === 'github'
    ? gitHubClient(target, credential, resolved)
    : gitLabClient(target, credential, resolved);
}

/**
 * "GitHub acme/web · SONAR_TOKEN", "GitHub acme/web (production) · SONAR_TOKEN",
 * "GitHub org acme · SONAR_TOKEN", "GitLab group/project · SONAR_TOKEN" (a group target:
 * "GitLab group acme · SONAR_TOKEN").
 */
export function targetLabel(target: DeliveryTarget): string {
  return target.kind === 'github' ? gitHubLabel(target) : gitLabLabel(target);
}
