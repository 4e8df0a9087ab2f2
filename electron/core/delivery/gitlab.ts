/**
 * Delivery to a GitLab CI/CD variable (project or group) with @gitbeaker/rest.
 *
 * A write is: read the variable (absent: create it with POST; present: edit it with PUT), with the
 * value, `masked` and `protected` as the target asks, then read it back: the value, `masked` and
 * `protected` must be what was sent (a "masked and hidden" variable never shows its value: there the
 * edit's own answer stands for it). A masked variable must pass GitLab's masking rule (8 characters
 * or more of the Base64 alphabet plus `@ : . ~ - _`): checked before anything is sent. Project
 * variables are read and edited in the environment scope `*` (`filter[environment_scope]`, the scope a
 * variable gets by default), so a key that also exists for other environments still names one
 * variable; a group variable is edited in that scope too (GitLab's group API reads by key alone).
 *
 * The fetch: gitbeaker has no `fetch` option. Its default requester calls the global `fetch` and
 * retries 429 and 502 up to 10 times by itself, a few milliseconds apart. We pass our own
 * `requesterFn` instead (a documented constructor option, which replaces that requester whole):
 * it sends through the injected, guarded fetch (http.ts: time limit, no redirects, bounded
 * rate-limit waits) and retries nothing itself. gitbeaker's own query time-out is turned off
 * (`queryTimeout: null`): the guarded fetch times each attempt.
 */
import { Gitlab } from '@gitbeaker/rest';
import { z } from 'zod';
import type { DeliveryTarget } from '@contract';
import { VaultError } from '@core/errors';
import type { Fetch } from '@core/ports';
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

export type GitLabTarget = Extract<DeliveryTarget, { kind: 'gitlab' }>;

/** GitLab's rule for a masked (and expanded) variable's value (Ci::Maskable::REGEX). */
export const GITLAB_MASKABLE = /^[a-zA-Z0-9_+=/@:.~-]{8,}$/;

const Variable = z.object({
  key: z.string(),
  value: z.string().nullable().optional(),
  masked: z.boolean().optional(),
  protected: z.boolean().optional(),
  /** "Masked and hidden" (GitLab 17.4+): the API never gives its value back. */
  hidden: z.boolean().optional().catch(undefined),
});
type Variable = z.infer<typeof Variable>;

type GitlabOptions = ConstructorParameters<typeof Gitlab>[0];
type RequesterFn = NonNullable<GitlabOptions['requesterFn']>;
type Requester = ReturnType<RequesterFn>;
type ResourceOptions = Parameters<RequesterFn>[0];

const ALL_ENVIRONMENTS = { environment_scope: '*' };

/** "GitLab group/project · SONAR_TOKEN", "GitLab group acme · SONAR_TOKEN". */
export function gitLabLabel(target: GitLabTarget): string {
  return `GitLab ${gitLabPlace(target)} · ${target.key}`;
}

function gitLabPlace(target: GitLabTarget): string {
  return target.scope === 'group' ? `group ${target.path}` : target.path;
}

/** The instance's address without a trailing slash or `/api/v4`: gitbeaker adds that itself. */
function hostOf(apiUrl: string): string {
  return apiUrl.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
}

export function gitLabClient(
  target: GitLabTarget,
  credential: string,
  options: ResolvedDeliveryOptions,
): DeliveryClient {
  const noun = target.scope === 'group' ? 'group' : 'project';
  const base: Where = {
    service: 'GitLab',
    host: new URL(target.apiUrl).host,
    label: gitLabLabel(target),
    place: gitLabPlace(target),
    missing: `no ${noun} ${target.path}`,
    permission:
      target.scope === 'group'
        ? 'to write group CI/CD variables, the token needs the "api" scope and its user the Owner role in the group'
        : 'to write CI/CD variables, the token needs the "api" scope and its user at least the Maintainer role in the project',
    secrets: [credential],
  };
  // A numeric id is sent as a number, anything else as the full path (gitbeaker encodes it).
  const id: string | number = /^\d+$/.test(target.path) ? Number(target.path) : target.path;

  function gitlabFor(where: Where) {
    return new Gitlab({
      host: hostOf(target.apiUrl),
      token: credential,
      queryTimeout: null,
      requesterFn: requesterFn(guardedFetch({ ...options, where })),
    });
  }
  type Api = ReturnType<typeof gitlabFor>;

  async function call<T>(where: Where, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw deliveryFailure(error, where, error instanceof GitLabHttpError ? error.http : null);
    }
  }

  /** The variable; null when GitLab says it has none by that key (the project or group is there). */
  async function readVariable(api: Api, where: Where): Promise<Variable | null> {
    let data: unknown;
    try {
      data =
        target.scope === 'group'
          ? await api.GroupVariables.show(id, target.key)
          : await api.ProjectVariables.show(id, target.key, { filter: ALL_ENVIRONMENTS });
    } catch (error) {
      const http = error instanceof GitLabHttpError ? error.http : null;
      // "404 Variable Not Found"; "404 Project Not Found" / "404 Group Not Found" are for the caller.
      if (http?.status === 404 && /variable/i.test(messageOf(http.data))) return null;
      throw deliveryFailure(error, where, http);
    }
    const parsed = Variable.safeParse(data);
    if (!parsed.success) {
      throw new VaultError(
        'server-error',
        sanitize(
          `${where.host} answered for ${where.label}, but not with a variable as GitLab's API does.`,
          where.secrets,
        ),
      );
    }
    return parsed.data;
  }

  async function write(api: Api, where: Where, value: string, exists: boolean): Promise<void> {
    const settings = { masked: target.masked, protected: target.protected };
    const edit = () =>
      target.scope === 'group'
        ? api.GroupVariables.edit(id, target.key, value, { ...settings, filter: ALL_ENVIRONMENTS })
        : api.ProjectVariables.edit(id, target.key, value, { ...settings, filter: ALL_ENVIRONMENTS });
    const create = () =>
      target.scope === 'group'
        ? api.GroupVariables.create(id, target.key, value, settings)
        : api.ProjectVariables.create(id, target.key, value, settings);
    if (exists) {
      await call(where, edit);
      return;
    }
    try {
      await create();
    } catch (error) {
      const http = error instanceof GitLabHttpError ? error.http : null;
      // Created by someone else since we looked ("has already been taken"): edit it instead, once.
      if (http?.status === 400 && /already been taken/i.test(messageOf(http.data))) {
        await call(where, edit);
        return;
      }
      throw deliveryFailure(error, where, http);
    }
  }

  return {
    async check() {
      const where = base;
      const api = gitlabFor(where);
      await call<unknown>(where, () =>
        target.scope === 'group' ? api.Groups.show(id, { withProjects: false }) : api.Projects.show(id),
      );
      // Reading a variable takes the role that writes one: a 403 here says so before any value goes.
      await readVariable(api, where);
    },

    async deliver(value: string) {
      const where: Where = { ...base, secrets: [credential, value] };
      if (target.masked && !GITLAB_MASKABLE.test(value)) {
        throw new VaultError(
          'rejected',
          `GitLab cannot mask this value for ${where.label}: a masked variable needs 8 characters or more, only letters, digits and + / = @ : . ~ - _. Nothing was sent; untick "Masked" for this target to deliver it unmasked.`,
        );
      }
      const api = gitlabFor(where);
      const before = await readVariable(api, where);
      await write(api, where, value, before !== null);
      const after = await readVariable(api, where);
      const problem =
        after === null
          ? 'does not list the variable afterwards'
          : after.value !== value && !unreadable(after)
            ? 'holds another value afterwards'
            : after.masked !== undefined && after.masked !== target.masked
              ? `has it ${after.masked ? 'masked' : 'not masked'}`
              : after.protected !== undefined && after.protected !== target.protected
                ? `has it ${after.protected ? 'protected' : 'not protected'}`
                : null;
      if (problem !== null) {
        throw new VaultError(
          'server-error',
          sanitize(
            `GitLab accepted ${where.label} but ${problem}: it may not have been stored as asked.`,
            where.secrets,
          ),
        );
      }
    },
  };
}

/**
 * A hidden variable's value cannot be read back: its key, `masked` and `protected` are still
 * compared, and the edit's own 200 stands for the value.
 */
function unreadable(variable: Variable): boolean {
  return variable.hidden === true && (variable.value === null || variable.value === undefined);
}

/** An HTTP answer GitLab refused, as our requester throws it. */
class GitLabHttpError extends Error {
  constructor(readonly http: HttpFailure) {
    super(`GitLab answered ${http.status}`);
    this.name = 'GitLabHttpError';
  }
}

function messageOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data && typeof data === 'object') {
    const { message, error } = data as { message?: unknown; error?: unknown };
    if (typeof message === 'string') return message;
    if (message && typeof message === 'object') return JSON.stringify(message);
    if (typeof error === 'string') return error;
  }
  return '';
}

/**
 * gitbeaker's requester over our fetch: one request per call, JSON in and out, the auth header
 * gitbeaker chose (PRIVATE-TOKEN for a token), no retries, no rate limiter of its own.
 */
function requesterFn(fetch: Fetch): RequesterFn {
  return (resource: ResourceOptions): Requester => {
    const send =
      (method: string) =>
      async (
        endpoint: string,
        request: { body?: unknown; searchParams?: Record<string, unknown>; signal?: AbortSignal } = {},
      ) => {
        const base = resource.url.endsWith('/') ? resource.url : `${resource.url}/`;
        const url = new URL(endpoint, base);
        const query = formatQuery(request.searchParams ?? {});
        if (query) url.search = query;
        const headers: Record<string, string> = { ...resource.headers, accept: 'application/json' };
        for (const [name, value] of Object.entries(resource.authHeaders)) headers[name] = await value();
        let body: string | undefined;
        if (request.body !== undefined && request.body !== null) {
          if (typeof FormData !== 'undefined' && request.body instanceof FormData) {
            throw new Error('Form uploads are not used by delivery');
          }
          body = JSON.stringify(decamelizeKeys(request.body as Record<string, unknown>));
          headers['content-type'] = 'application/json';
        }
        const response = await fetch(url.href, { method, headers, body, signal: request.signal });
        const text = await response.text();
        const json = (response.headers.get('content-type') ?? '').includes('json');
        let data: unknown = text;
        if (json && text) {
          try {
            data = JSON.parse(text);
          } catch {
            data = text;
          }
        }
        if (!response.ok) {
          throw new GitLabHttpError({
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
            data,
          });
        }
        return {
          body: response.status === 204 ? null : (data as Record<string, unknown>),
          headers: Object.fromEntries(response.headers.entries()),
          status: response.status,
        };
      };
    return {
      get: send('GET'),
      post: send('POST'),
      put: send('PUT'),
      patch: send('PATCH'),
      delete: send('DELETE'),
    } as unknown as Requester;
  };
}

/** camelCase keys to GitLab's snake_case, as gitbeaker's own requester does (one level deep). */
function decamelizeKeys(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    out[key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()] = value;
  }
  return out;
}

/** `{ withProjects: false, filter: { environment_scope: '*' } }` -> `with_projects=false&filter[environment_scope]=*`. */
function formatQuery(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(decamelizeKeys(params))) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) {
        const text = scalarText(innerValue);
        if (text !== null) query.append(`${key}[${inner}]`, text);
      }
    } else {
      const text = scalarText(value);
      if (text !== null) query.append(key, text);
    }
  }
  return query.toString();
}
