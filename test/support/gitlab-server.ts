/**
 * A local imitation of GitLab's CI/CD variables API (projects and groups), on 127.0.0.1, for the
 * delivery clients' tests: `/api/v4/projects/:id[/variables[/:key]]` and the same under `groups`,
 * where :id is a numeric id or the URL-encoded full path ("group%2Fproject").
 *
 * As GitLab: a PRIVATE-TOKEN header (or Authorization: Bearer) authenticates, 401 otherwise; a
 * project or group the token may not see is "404 Project Not Found"; variables need the Maintainer
 * role in a project, the Owner role in a group (403 otherwise), and writes need the "api" scope
 * (403 insufficient_scope); a variable is one key in one environment scope (`filter[environment_scope]`
 * picks it); a "masked and hidden" variable (`masked_and_hidden` on create) reads back with a null
 * value; POST of a key that exists is 400 "has already been taken"; a masked value must pass
 * GitLab's masking rule (400 `{"message":{"value":["is invalid"]}}`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  credentialOf,
  FaultBook,
  listen,
  parseBody,
  playFault,
  readBody,
  segments,
  sendJson,
  type Fault,
  type FaultMatch,
  type SeenRequest,
} from './ci-server-kit';

export type { Fault, FaultMatch, SeenRequest } from './ci-server-kit';

export interface GitLabAccess {
  /** Full paths of the projects the token's user is a member of. */
  projects?: string[];
  groups?: string[];
  /** The user's role in all of them (default 'owner'). */
  role?: 'developer' | 'maintainer' | 'owner';
  /** The token's scopes (default ['api']); 'read_api' may only read. */
  scopes?: ('api' | 'read_api')[];
}

export interface GitLabServerOptions {
  tokens: Record<string, GitLabAccess>;
}

export interface StoredVariable {
  key: string;
  value: string;
  masked: boolean;
  protected: boolean;
  raw: boolean;
  variable_type: string;
  environment_scope: string;
  description: string | null;
  /** Masked and hidden (GitLab 17.4+): the API answers its value as null. */
  hidden: boolean;
}

export interface GitLabServer {
  url: string;
  /** Every request seen; a write's body is kept with its value replaced by "[value]". */
  requests: SeenRequest[];
  /** The variable `key` of a project or group (by full path or id), in the scope "*" if it has one. */
  variable(scope: 'project' | 'group', path: string, key: string): StoredVariable | undefined;
  fault(match: FaultMatch, fault: Fault, times?: number): void;
  projectId(path: string): number;
  groupId(path: string): number;
  close(): Promise<void>;
}

/** Ci::Maskable: masked and expanded; masked and raw. */
const MASKABLE = /^[a-zA-Z0-9_+=/@:.~-]{8,}$/;
const MASKABLE_RAW = /^\S{8,}$/;
const KEY = /^[A-Za-z0-9_]{1,255}$/;

interface Space {
  kind: 'project' | 'group';
  id: number;
  path: string;
  variables: StoredVariable[];
}

export async function startGitLabServer(options: GitLabServerOptions): Promise<GitLabServer> {
  const requests: SeenRequest[] = [];
  const faults = new FaultBook();
  const spaces: Space[] = [];
  let nextProject = 1;
  let nextGroup = 100;
  for (const access of Object.values(options.tokens)) {
    for (const path of access.projects ?? []) register('project', path);
    for (const path of access.groups ?? []) register('group', path);
  }

  function register(kind: Space['kind'], path: string): void {
    if (spaces.some((s) => s.kind === kind && s.path.toLowerCase() === path.toLowerCase())) return;
    const id = kind === 'project' ? nextProject++ : nextGroup++;
    spaces.push({ kind, id, path, variables: [] });
  }

  function spaceOf(kind: Space['kind'], id: string): Space | undefined {
    return spaces.find(
      (s) =>
        s.kind === kind &&
        (/^\d+$/.test(id) ? s.id === Number(id) : s.path.toLowerCase() === id.toLowerCase()),
    );
  }

  function allowed(access: GitLabAccess, space: Space): boolean {
    const list = space.kind === 'project' ? access.projects : access.groups;
    return (list ?? []).some((p) => p.toLowerCase() === space.path.toLowerCase());
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://imitation');
    const { token, auth } = credentialOf(request);
    const method = request.method ?? 'GET';
    const seen: SeenRequest = { method, path: url.pathname, query: url.search.slice(1), auth };
    requests.push(seen);
    const text = await readBody(request);
    const answer = (status: number, body?: unknown) => {
      seen.answer = status;
      sendJson(response, status, body);
    };
    const body = parseBody(text, request.headers['content-type']);
    if (body && Object.keys(body).length > 0) {
      seen.body = { ...body, ...('value' in body ? { value: '[value]' } : {}) };
    }

    const fault = faults.take(seen);
    if (fault) {
      playFault(fault, request, response, seen);
      return;
    }
    const access = token === null ? undefined : options.tokens[token];
    if (!access) return answer(401, { message: '401 Unauthorized' });

    const parts = segments(url.pathname);
    if (
      !parts ||
      parts[0] !== 'api' ||
      parts[1] !== 'v4' ||
      !['projects', 'groups'].includes(parts[2] ?? '')
    ) {
      return answer(404, { error: '404 Not Found' });
    }
    const kind: Space['kind'] = parts[2] === 'projects' ? 'project' : 'group';
    const noun = kind === 'project' ? 'Project' : 'Group';
    const space = parts[3] === undefined ? undefined : spaceOf(kind, parts[3]);
    if (!space || !allowed(access, space)) return answer(404, { message: `404 ${noun} Not Found` });
    const rest = parts.slice(4);

    if (rest.length === 0) {
      if (method !== 'GET') return answer(405, { message: '405 Method Not Allowed' });
      return answer(
        200,
        kind === 'project'
          ? { id: space.id, path_with_namespace: space.path, name: space.path.split('/').pop() }
          : { id: space.id, full_path: space.path, name: space.path.split('/').pop() },
      );
    }
    if (rest[0] !== 'variables' || rest.length > 2) return answer(404, { error: '404 Not Found' });

    const role = access.role ?? 'owner';
    if (role === 'developer' || (kind === 'group' && role !== 'owner')) {
      return answer(403, { message: '403 Forbidden' });
    }
    if (method !== 'GET' && !(access.scopes ?? ['api']).includes('api')) {
      return answer(403, {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: 'api',
      });
    }
    if (body === null) return answer(400, { message: '400 Bad request - body is not JSON' });

    const filter = scopeFilter(url.searchParams, body);
    const named = rest[1];
    if (named === undefined) {
      if (method === 'GET') return answer(200, space.variables.map(view));
      if (method !== 'POST') return answer(405, { message: '405 Method Not Allowed' });
      return create(space, body, answer);
    }

    const matches = space.variables.filter(
      (v) => v.key === named && (filter === null || v.environment_scope === filter),
    );
    if (matches.length === 0) return answer(404, { message: '404 Variable Not Found' });
    if (method === 'GET') return answer(200, view(matches[0]!));
    if (matches.length > 1) {
      return answer(409, {
        message:
          "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'",
      });
    }
    const variable = matches[0]!;
    if (method === 'DELETE') {
      space.variables.splice(space.variables.indexOf(variable), 1);
      return answer(204);
    }
    if (method !== 'PUT') return answer(405, { message: '405 Method Not Allowed' });
    const next: StoredVariable = {
      ...variable,
      ...(typeof body.value === 'string' ? { value: body.value } : {}),
      ...(body.masked !== undefined ? { masked: bool(body.masked) } : {}),
      ...(body.protected !== undefined ? { protected: bool(body.protected) } : {}),
      ...(body.raw !== undefined ? { raw: bool(body.raw) } : {}),
      ...(typeof body.variable_type === 'string' ? { variable_type: body.variable_type } : {}),
      ...(typeof body.environment_scope === 'string' ? { environment_scope: body.environment_scope } : {}),
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
    };
    if (variable.hidden && !next.masked) {
      return answer(400, { message: { masked: ['cannot be disabled for a hidden variable'] } });
    }
    const invalid = maskProblem(next);
    if (invalid) return answer(400, invalid);
    space.variables[space.variables.indexOf(variable)] = next;
    return answer(200, view(next));
  }

  function create(
    space: Space,
    body: Record<string, unknown>,
    answer: (status: number, body?: unknown) => void,
  ): void {
    const key = body.key;
    if (typeof key !== 'string' || !key) return answer(400, { error: 'key is missing' });
    if (typeof body.value !== 'string') return answer(400, { error: 'value is missing' });
    if (!KEY.test(key)) {
      return answer(400, { message: { key: ["can contain only letters, digits and '_'."] } });
    }
    const hidden = bool(body.masked_and_hidden);
    const variable: StoredVariable = {
      key,
      value: body.value,
      hidden,
      masked: hidden || bool(body.masked),
      protected: bool(body.protected),
      raw: bool(body.raw),
      variable_type: typeof body.variable_type === 'string' ? body.variable_type : 'env_var',
      environment_scope: typeof body.environment_scope === 'string' ? body.environment_scope : '*',
      description: typeof body.description === 'string' ? body.description : null,
    };
    if (space.variables.some((v) => v.key === key && v.environment_scope === variable.environment_scope)) {
      return answer(400, { message: { key: [`(${key}) has already been taken`] } });
    }
    const invalid = maskProblem(variable);
    if (invalid) return answer(400, invalid);
    space.variables.push(variable);
    return answer(201, view(variable));
  }

  const server = await listen(handle);

  function find(kind: Space['kind'], path: string): Space {
    const space = spaceOf(kind, path);
    if (!space) throw new Error(`No ${kind} ${path} in this imitation`);
    return space;
  }

  return {
    url: server.url,
    requests,
    variable(scope, path, key) {
      const variables = find(scope, path).variables.filter((v) => v.key === key);
      const found = variables.find((v) => v.environment_scope === '*') ?? variables[0];
      return found ? { ...found } : undefined;
    },
    fault(match, fault, times = 1) {
      faults.add(match, fault, times);
    },
    projectId: (path) => find('project', path).id,
    groupId: (path) => find('group', path).id,
    close: () => server.close(),
  };
}

/** `filter[environment_scope]` from the query or the body (JSON `filter: {environment_scope}` too). */
function scopeFilter(query: URLSearchParams, body: Record<string, unknown> | null): string | null {
  const fromQuery = query.get('filter[environment_scope]');
  if (fromQuery !== null) return fromQuery;
  const flat = body?.['filter[environment_scope]'];
  if (typeof flat === 'string') return flat;
  const nested = body?.filter;
  if (nested && typeof nested === 'object') {
    const scope = (nested as { environment_scope?: unknown }).environment_scope;
    if (typeof scope === 'string') return scope;
  }
  return null;
}

function maskProblem(variable: StoredVariable): unknown {
  if (!variable.masked) return null;
  const rule = variable.raw ? MASKABLE_RAW : MASKABLE;
  return rule.test(variable.value) ? null : { message: { value: ['is invalid'] } };
}

function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

function view(variable: StoredVariable): Record<string, unknown> {
  return { ...variable, value: variable.hidden ? null : variable.value };
}
