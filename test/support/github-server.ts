/**
 * A local imitation of GitHub's Actions secrets API (repository, environment and organization
 * secrets), on 127.0.0.1, for the delivery clients' tests. It is also served under /api/v3, as a
 * GitHub Enterprise Server is.
 *
 * Each repository, environment and organization has its own Curve25519 key pair (libsodium
 * `crypto_box_keypair`; key_id changes with the key). A PUT is opened with `crypto_box_seal_open`
 * and the private key, which proves the client really sealed the value to the public key; what it
 * held is kept, and `secret(path)` gives it back to the test. GET of a secret answers
 * `{name, created_at, updated_at}` (organizations: `visibility` too), never the value.
 *
 * Time: `updated_at` is ISO seconds. With `clock: 'strict'` (the default) every write moves it by at
 * least a second, so two writes in the same second still show; `clock: 'seconds'` is GitHub's own
 * behaviour (two writes in one second share it). `now` sets the clock (default Date.now).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import sodium from 'libsodium-wrappers';
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

/** What one token may see: repositories ("owner/repo"), organizations, environments by repository. */
export interface GitHubAccess {
  repos?: string[];
  orgs?: string[];
  environments?: Record<string, string[]>;
  /** It may read (public keys, secrets) but not write: a PUT gets 403. */
  readOnly?: boolean;
}

export interface GitHubServerOptions {
  tokens: Record<string, GitHubAccess>;
  clock?: 'strict' | 'seconds';
  now?: () => number;
}

export interface StoredSecret {
  value: string;
  created_at: string;
  updated_at: string;
  visibility?: string;
}

export interface GitHubServer {
  url: string;
  /** Every request seen, in order (the scheme of its credential, never the credential). */
  requests: SeenRequest[];
  /**
   * The decrypted value of a secret, by its API path: "/repos/acme/web/actions/secrets/SONAR_TOKEN",
   * "/repos/acme/web/environments/production/secrets/SONAR_TOKEN", "/orgs/acme/actions/secrets/SONAR_TOKEN".
   */
  secret(path: string): string | undefined;
  /** The whole stored record of a secret, by the same path. */
  stored(path: string): StoredSecret | undefined;
  /** The next `times` requests matching `match` get `fault` instead of their answer. */
  fault(match: FaultMatch, fault: Fault, times?: number): void;
  /** A new key pair for a repository, environment or organization (by a secret path or its scope path). */
  rotateKey(path: string): void;
  close(): Promise<void>;
}

interface KeyPair {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** Where a request points: a scope (repo, environment, org) and, unless it asks for the key, a secret. */
interface Route {
  kind: 'repo' | 'environment' | 'org';
  owner: string;
  repo?: string;
  environment?: string;
  /** "repos/acme/web", "repos/acme/web/environments/production", "orgs/acme" (lower case). */
  scope: string;
  /** null: the public key. */
  name: string | null;
}

const DOCS = 'https://docs.github.com/rest/actions/secrets';

export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
  await sodium.ready;
  const requests: SeenRequest[] = [];
  const faults = new FaultBook();
  const keys = new Map<string, KeyPair>();
  const secrets = new Map<string, StoredSecret>();
  const now = options.now ?? Date.now;
  let keyCounter = 0;
  let lastStamp = 0;

  function keyOf(scope: string): KeyPair {
    let pair = keys.get(scope);
    if (!pair) {
      pair = newKey();
      keys.set(scope, pair);
    }
    return pair;
  }

  function newKey(): KeyPair {
    const { publicKey, privateKey } = sodium.crypto_box_keypair();
    keyCounter += 1;
    // GitHub's key ids are long decimal strings.
    return { keyId: `5682501672425497${String(keyCounter).padStart(2, '0')}`, publicKey, privateKey };
  }

  /** ISO seconds; strictly later than the last write's unless the clock is GitHub's own. */
  function stamp(): string {
    let seconds = Math.floor(now() / 1000);
    if (options.clock !== 'seconds' && seconds <= lastStamp) seconds = lastStamp + 1;
    lastStamp = Math.max(lastStamp, seconds);
    return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  function route(path: string): Route | null {
    let parts = segments(path);
    if (!parts) return null;
    if (parts[0] === 'api' && parts[1] === 'v3') parts = parts.slice(2);
    const last = (name: string | undefined) =>
      name === undefined ? undefined : name === 'public-key' ? null : name;
    if (parts[0] === 'repos' && parts.length === 6 && parts[3] === 'actions' && parts[4] === 'secrets') {
      const [, owner, repo] = parts as [string, string, string];
      const name = last(parts[5]);
      if (name === undefined) return null;
      return { kind: 'repo', owner, repo, scope: `repos/${owner}/${repo}`.toLowerCase(), name };
    }
    if (parts[0] === 'repos' && parts.length === 7 && parts[3] === 'environments' && parts[5] === 'secrets') {
      const [, owner, repo, , environment] = parts as [string, string, string, string, string];
      const name = last(parts[6]);
      if (name === undefined) return null;
      const scope = `repos/${owner}/${repo}/environments/${environment}`.toLowerCase();
      return { kind: 'environment', owner, repo, environment, scope, name };
    }
    if (parts[0] === 'orgs' && parts.length === 5 && parts[2] === 'actions' && parts[3] === 'secrets') {
      const [, owner] = parts as [string, string];
      const name = last(parts[4]);
      if (name === undefined) return null;
      return { kind: 'org', owner, scope: `orgs/${owner}`.toLowerCase(), name };
    }
    return null;
  }

  function visible(access: GitHubAccess, target: Route): boolean {
    const lower = (list: string[] | undefined) => (list ?? []).map((s) => s.toLowerCase());
    if (target.kind === 'org') return lower(access.orgs).includes(target.owner.toLowerCase());
    const repo = `${target.owner}/${target.repo ?? ''}`.toLowerCase();
    if (target.kind === 'repo') return lower(access.repos).includes(repo);
    // An environment listed for a repository makes that repository visible too.
    const environments = Object.entries(access.environments ?? {}).find(
      ([r]) => r.toLowerCase() === repo,
    )?.[1];
    return lower(environments).includes((target.environment ?? '').toLowerCase());
  }

  const secretKey = (target: Route) => `${target.scope}/${(target.name ?? '').toUpperCase()}`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://imitation');
    const { token, auth } = credentialOf(request);
    const method = request.method ?? 'GET';
    const seen: SeenRequest = { method, path: url.pathname, query: url.search.slice(1), auth };
    requests.push(seen);
    const text = await readBody(request);
    const answer = (status: number, body?: unknown) => {
      seen.answer = status;
      sendJson(response, status, body, { 'X-GitHub-Media-Type': 'github.v3; format=json' });
    };

    const fault = faults.take(seen);
    if (fault) {
      playFault(fault, request, response, seen);
      return;
    }
    if (token === null)
      return answer(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' });
    const access = options.tokens[token];
    if (!access) return answer(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });

    const target = route(url.pathname);
    if (!target || !visible(access, target)) {
      return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    }
    if (target.name === null) {
      if (method !== 'GET')
        return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      const pair = keyOf(target.scope);
      return answer(200, {
        key_id: pair.keyId,
        key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL),
      });
    }

    const stored = secrets.get(secretKey(target));
    if (method === 'GET') {
      if (!stored) return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      return answer(200, {
        name: target.name.toUpperCase(),
        created_at: stored.created_at,
        updated_at: stored.updated_at,
        ...(target.kind === 'org' ? { visibility: stored.visibility } : {}),
      });
    }
    if (method !== 'PUT')
      return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    if (access.readOnly) {
      return answer(403, {
        message: 'Resource not accessible by personal access token',
        documentation_url: DOCS,
        status: '403',
      });
    }

    const body = parseBody(text, request.headers['content-type']);
    if (body) seen.body = body;
    const invalid = (message: string) => answer(422, { message, documentation_url: DOCS, status: '422' });
    if (!body || typeof body.encrypted_value !== 'string' || typeof body.key_id !== 'string') {
      return invalid('Invalid request.\n\n"encrypted_value" and "key_id" are required.');
    }
    let visibility: string | undefined;
    if (target.kind === 'org') {
      if (typeof body.visibility !== 'string' || !['all', 'private', 'selected'].includes(body.visibility)) {
        return invalid('Invalid request.\n\n"visibility" must be one of all, private, selected.');
      }
      visibility = body.visibility;
    }
    const pair = keyOf(target.scope);
    if (body.key_id !== pair.keyId)
      return invalid('Invalid request.\n\nkey_id does not match the current public key.');
    let value: string;
    try {
      const sealed = sodium.from_base64(body.encrypted_value, sodium.base64_variants.ORIGINAL);
      value = sodium.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey, 'text');
    } catch {
      return invalid('Invalid request.\n\nencrypted_value could not be decrypted with the public key.');
    }
    const at = stamp();
    secrets.set(secretKey(target), {
      value,
      created_at: stored?.created_at ?? at,
      updated_at: at,
      ...(visibility ? { visibility } : {}),
    });
    if (stored) {
      seen.answer = 204;
      response.writeHead(204).end();
      return;
    }
    return answer(201, {});
  }

  const server = await listen(handle);

  function find(path: string): Route | null {
    const target = route(path.startsWith('/') ? path : `/${path}`);
    return target && target.name !== null ? target : null;
  }

  return {
    url: server.url,
    requests,
    secret(path) {
      const target = find(path);
      return target ? secrets.get(secretKey(target))?.value : undefined;
    },
    stored(path) {
      const target = find(path);
      const found = target ? secrets.get(secretKey(target)) : undefined;
      return found ? { ...found } : undefined;
    },
    fault(match, fault, times = 1) {
      faults.add(match, fault, times);
    },
    rotateKey(path) {
      const target = route(path.startsWith('/') ? path : `/${path}`);
      if (!target) throw new Error(`Not a secret or public-key path: ${path}`);
      keys.set(target.scope, newKey());
    },
    close: () => server.close(),
  };
}
