/**
 * Delivery to a GitHub Actions secret (repository, environment or organization) with @octokit/rest.
 *
 * A write is: read the public key of the target, read the secret's `updated_at` (or learn it does not
 * exist), seal the value to the key (seal.ts), PUT `{encrypted_value, key_id}`, then read the secret
 * again: it must exist, and its `updated_at` must have moved past the one read before. GitHub counts
 * `updated_at` in whole seconds, so a write in the same second as the one before cannot show: then the
 * value is written once more a second later, and read again (at most two writes).
 *
 * Octokit gets our guarded fetch (http.ts: time limit, no redirects, bounded rate-limit waits) and a
 * log that writes nowhere; @octokit/rest has no retry or throttling plugin, so every retry is ours.
 */
import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import type { DeliveryTarget } from '@contract';
import { VaultError } from '@core/errors';
import {
  deliveryFailure,
  guardedFetch,
  sanitize,
  scalarText,
  type DeliveryClient,
  type HttpFailure,
  type ResolvedDeliveryOptions,
  type Where,
} from './http';
import { sealForGitHub } from './seal';

export type GitHubTarget = Extract<DeliveryTarget, { kind: 'github' }>;

const PublicKey = z.object({ key_id: z.string().min(1), key: z.string().min(1) });
type PublicKey = z.infer<typeof PublicKey>;

const Secret = z.object({
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  visibility: z.enum(['all', 'private', 'selected']).optional().catch(undefined),
});
type Secret = z.infer<typeof Secret>;

const USER_AGENT = 'token-vault-for-sonarqube';
const SAME_SECOND_WAIT_MS = 1_100;

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** "acme/web", "acme/web (production)", "organization acme". */
export function gitHubPlace(target: GitHubTarget): string {
  switch (target.scope) {
    case 'organization':
      return `organization ${target.owner}`;
    case 'environment':
      return `${target.owner}/${target.repo ?? ''} (${target.environment ?? ''})`;
    case 'repository':
      return `${target.owner}/${target.repo ?? ''}`;
  }
}

/** "GitHub acme/web · SONAR_TOKEN", "GitHub acme/web (production) · …", "GitHub org acme · …". */
export function gitHubLabel(target: GitHubTarget): string {
  const place = target.scope === 'organization' ? `org ${target.owner}` : gitHubPlace(target);
  return `GitHub ${place} · ${target.name}`;
}

function missing(target: GitHubTarget): string {
  const repo = `${target.owner}/${target.repo ?? ''}`;
  switch (target.scope) {
    case 'organization':
      return `no organization ${target.owner}`;
    case 'environment':
      return `no environment ${target.environment ?? ''} in ${repo}`;
    case 'repository':
      return `no repository ${repo}`;
  }
}

function permission(target: GitHubTarget): string {
  switch (target.scope) {
    case 'organization':
      return 'to write organization secrets, a fine-grained token needs the organization permission "Secrets: write" and a classic token the "admin:org" scope';
    case 'environment':
      return 'to write environment secrets, a fine-grained token needs the repository permissions "Secrets: write" and "Environments: write", and a classic token the "repo" scope';
    case 'repository':
      return 'to write Actions secrets, a fine-grained token needs the repository permission "Secrets: write" and a classic token the "repo" scope';
  }
}

export function gitHubClient(
  target: GitHubTarget,
  credential: string,
  options: ResolvedDeliveryOptions,
): DeliveryClient {
  const base: Where = {
    service: 'GitHub',
    host: new URL(target.apiUrl).host,
    label: gitHubLabel(target),
    place: gitHubPlace(target),
    missing: missing(target),
    permission: permission(target),
    secrets: [credential],
  };

  /** One Octokit per call of check() or deliver(), whose messages scrub that call's secrets. */
  function octokitFor(where: Where): Octokit {
    return new Octokit({
      auth: credential,
      baseUrl: target.apiUrl.replace(/\/+$/, ''),
      userAgent: USER_AGENT,
      log: silent,
      request: {
        fetch: guardedFetch({ ...options, where }),
        redirect: 'error',
      },
    });
  }

  const owner = target.owner;
  const repo = target.repo ?? '';
  const environment_name = target.environment ?? '';
  const secret_name = target.name;

  async function call<T>(where: Where, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw deliveryFailure(error, where, httpOf(error));
    }
  }

  async function publicKey(octokit: Octokit, where: Where): Promise<PublicKey> {
    const response = await call(where, () => {
      switch (target.scope) {
        case 'organization':
          return octokit.rest.actions.getOrgPublicKey({ org: owner });
        case 'environment':
          return octokit.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name });
        case 'repository':
          return octokit.rest.actions.getRepoPublicKey({ owner, repo });
      }
    });
    const parsed = PublicKey.safeParse(response.data);
    if (!parsed.success) throw unexpected(where, 'its public key');
    return parsed.data;
  }

  /** The secret as GitHub lists it (never its value); null when there is none yet. */
  async function readSecret(octokit: Octokit, where: Where): Promise<Secret | null> {
    let data: unknown;
    try {
      const response = await (async () => {
        switch (target.scope) {
          case 'organization':
            return octokit.rest.actions.getOrgSecret({ org: owner, secret_name });
          case 'environment':
            return octokit.rest.actions.getEnvironmentSecret({ owner, repo, environment_name, secret_name });
          case 'repository':
            return octokit.rest.actions.getRepoSecret({ owner, repo, secret_name });
        }
      })();
      data = response.data;
    } catch (error) {
      // The public key was just read, so the repository, environment or organization is there.
      if (httpOf(error)?.status === 404) return null;
      throw deliveryFailure(error, where, httpOf(error));
    }
    const parsed = Secret.safeParse(data);
    if (!parsed.success) throw unexpected(where, 'the secret');
    return parsed.data;
  }

  async function write(
    octokit: Octokit,
    where: Where,
    value: string,
    key: PublicKey,
    visibility: 'all' | 'private' | 'selected',
  ): Promise<void> {
    let encrypted_value: string;
    try {
      encrypted_value = await sealForGitHub(value, key.key);
    } catch {
      throw new VaultError(
        'server-error',
        sanitize(
          `GitHub gave a public key for ${where.place} that is not a key: nothing was sent.`,
          where.secrets,
        ),
      );
    }
    const key_id = key.key_id;
    await call(where, () => {
      switch (target.scope) {
        case 'organization':
          return octokit.rest.actions.createOrUpdateOrgSecret({
            org: owner,
            secret_name,
            encrypted_value,
            key_id,
            visibility,
          });
        case 'environment':
          return octokit.rest.actions.createOrUpdateEnvironmentSecret({
            owner,
            repo,
            environment_name,
            secret_name,
            encrypted_value,
            key_id,
          });
        case 'repository':
          return octokit.rest.actions.createOrUpdateRepoSecret({
            owner,
            repo,
            secret_name,
            encrypted_value,
            key_id,
          });
      }
    });
  }

  /** The write shows: the secret exists, and is newer than before (and has the visibility asked). */
  function confirmed(before: Secret | null, after: Secret | null): boolean {
    if (after === null) return false;
    if (target.scope === 'organization' && target.visibility && after.visibility !== undefined) {
      if (after.visibility !== target.visibility) return false;
    }
    return before === null || later(after.updated_at, before.updated_at);
  }

  return {
    async check() {
      const where = base;
      await publicKey(octokitFor(where), where);
    },

    async deliver(value: string) {
      const where: Where = { ...base, secrets: [credential, value] };
      const octokit = octokitFor(where);
      const key = await publicKey(octokit, where);
      const before = await readSecret(octokit, where);
      // An organization secret keeps the visibility it has unless the target names one.
      const visibility = target.visibility ?? before?.visibility ?? 'private';
      await write(octokit, where, value, key, visibility);
      let after = await readSecret(octokit, where);
      if (!confirmed(before, after) && before !== null && after !== null && sameInstant(before, after)) {
        // Written in the second of the last write: GitHub's updated_at cannot show it. Once more.
        await options.sleep(SAME_SECOND_WAIT_MS);
        await write(octokit, where, value, await publicKey(octokit, where), visibility);
        after = await readSecret(octokit, where);
      }
      if (!confirmed(before, after)) {
        throw new VaultError(
          'server-error',
          sanitize(
            after === null
              ? `GitHub accepted ${where.label} but does not list the secret afterwards: it may not have been stored.`
              : `GitHub accepted ${where.label} but the secret did not change (updated ${after.updated_at}): it may not have been stored.`,
            where.secrets,
          ),
        );
      }
    },
  };
}

function unexpected(where: Where, what: string): VaultError {
  return new VaultError(
    'server-error',
    sanitize(
      `${where.host} answered for ${where.label}, but not with ${what} as GitHub's API does.`,
      where.secrets,
    ),
  );
}

/** a is strictly later than b (ISO instants; compared as text when either does not parse). */
function later(a: string, b: string): boolean {
  const at = Date.parse(a);
  const bt = Date.parse(b);
  if (Number.isFinite(at) && Number.isFinite(bt)) return at > bt;
  return a !== b;
}

function sameInstant(before: Secret, after: Secret): boolean {
  return !later(after.updated_at, before.updated_at) && !later(before.updated_at, after.updated_at);
}

/** Octokit's RequestError carries the status and the answer it refused; anything else, null. */
function httpOf(error: unknown): HttpFailure | null {
  if (!(error instanceof Error)) return null;
  const { status, response } = error as { status?: unknown; response?: unknown };
  if (typeof status !== 'number' || !response || typeof response !== 'object') return null;
  const { headers, data } = response as { headers?: Record<string, unknown>; data?: unknown };
  const list = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    const text = scalarText(value);
    if (text !== null) list.set(name, text);
  }
  return { status, statusText: '', headers: list, data };
}
