/**
 * A SonarQube Web API client (Server, Community Build and Cloud), for the calls the vault makes.
 * fetch is injected: Electron's net.fetch in the app, Node's fetch in tests. Every failure becomes
 * a VaultError whose message a person can act on; the server's own words are kept where it has any.
 */
import { z } from 'zod';
import { TOKEN_TYPES, type TokenType } from '../../contract';
import { VaultError } from '../errors';
import type { Fetch } from '../ports';

const ServerToken = z.object({
  name: z.string(),
  type: z.enum(TOKEN_TYPES).optional().catch(undefined),
  project: z.object({ key: z.string(), name: z.string().optional() }).optional(),
  createdAt: z.string().optional(),
  lastConnectionDate: z.string().optional(),
  expirationDate: z.string().optional(),
  isExpired: z.boolean().optional(),
});
export type ServerToken = z.infer<typeof ServerToken>;

const TokenSearch = z.object({ login: z.string(), userTokens: z.array(ServerToken) });

const CurrentUser = z.object({
  isLoggedIn: z.boolean(),
  login: z.string().optional(),
  name: z.string().optional(),
  permissions: z.object({ global: z.array(z.string()) }).optional(),
});

const Generated = z.object({
  login: z.string(),
  name: z.string(),
  token: z.string().min(1),
  createdAt: z.string().optional(),
  type: z.enum(TOKEN_TYPES).optional().catch(undefined),
  projectKey: z.string().optional(),
  expirationDate: z.string().optional(),
});
export type GeneratedToken = z.infer<typeof Generated>;

const Organizations = z.object({
  organizations: z.array(z.object({ key: z.string(), name: z.string().optional() })),
  paging: z.object({ pageIndex: z.number(), pageSize: z.number(), total: z.number() }).optional(),
});

const ErrorBody = z.object({ errors: z.array(z.object({ msg: z.string() })).min(1) });

export interface User {
  login: string;
  name: string;
  isAdmin: boolean;
}

export interface GenerateParams {
  name: string;
  type: TokenType;
  projectKey?: string | undefined;
  expirationDate?: string | undefined;
  login?: string | undefined;
}

export interface ClientOptions {
  baseUrl: string;
  fetch: Fetch;
  /** The credential; absent for the unauthenticated probes (version). */
  token?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export class SonarQubeClient {
  private readonly host: string;

  constructor(private readonly options: ClientOptions) {
    this.host = new URL(options.baseUrl).host;
  }

  /** `api/server/version`: also our "is this SonarQube at all?" probe. */
  async version(): Promise<string> {
    const response = await this.send('GET', 'api/server/version');
    const text = (await response.text()).trim();
    if (!response.ok || !/^\d+(\.\d+)+/.test(text)) throw this.notSonarQube(response.status);
    return text;
  }

  /** The identity behind the token. `isLoggedIn: false` means the token was not accepted. */
  async currentUser(): Promise<User> {
    const user = await this.json('GET', 'api/users/current', CurrentUser);
    if (!user.isLoggedIn || !user.login) throw unauthorized();
    return {
      login: user.login,
      name: user.name ?? user.login,
      isAdmin: user.permissions?.global.includes('admin') ?? false,
    };
  }

  async searchTokens(login?: string): Promise<{ login: string; tokens: ServerToken[] }> {
    const result = await this.json('GET', 'api/user_tokens/search', TokenSearch, { login });
    return { login: result.login, tokens: result.userTokens };
  }

  /** Not idempotent: never retried. The answer holds the only copy of the value. */
  async generateToken(params: GenerateParams): Promise<GeneratedToken> {
    return this.json('POST', 'api/user_tokens/generate', Generated, {
      name: params.name,
      type: params.type,
      projectKey: params.projectKey,
      expirationDate: params.expirationDate,
      login: params.login,
    });
  }

  async revokeToken(name: string, login?: string): Promise<void> {
    const response = await this.send('POST', 'api/user_tokens/revoke', { name, login });
    if (!response.ok) throw await this.failure(response);
  }

  /** Cloud: the organizations the user is a member of (every page, bounded). */
  async memberOrganizations(): Promise<{ key: string; name: string }[]> {
    const found: { key: string; name: string }[] = [];
    for (let page = 1; page <= 20; page++) {
      const result = await this.json('GET', 'api/organizations/search', Organizations, {
        member: 'true',
        p: String(page),
        ps: '500',
      });
      found.push(...result.organizations.map((o) => ({ key: o.key, name: o.name ?? o.key })));
      const total = result.paging?.total ?? found.length;
      if (found.length >= total || result.organizations.length === 0) break;
    }
    return found;
  }

  private async json<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    params?: Record<string, string | undefined>,
  ): Promise<T> {
    const response = await this.send(method, path, params);
    if (!response.ok) throw await this.failure(response);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw this.notSonarQube(response.status);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.notSonarQube(response.status);
    return parsed.data;
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string | undefined> = {},
  ): Promise<Response> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
    let url = `${this.options.baseUrl}/${path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    let body: string | undefined;
    if (method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = query.toString();
    } else if (query.size > 0) {
      url += `?${query.toString()}`;
    }
    try {
      return await this.options.fetch(url, {
        method,
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw this.networkFailure(error);
    }
  }

  private async failure(response: Response): Promise<VaultError> {
    const serverMessage = await readServerMessage(response);
    switch (response.status) {
      case 401:
        return unauthorized();
      case 403:
        return new VaultError('forbidden', serverMessage ?? 'Insufficient privileges');
      case 404:
        return serverMessage
          ? new VaultError('not-found', serverMessage)
          : this.notSonarQube(response.status);
      case 400:
      case 409:
      case 413:
        return new VaultError('rejected', serverMessage ?? `The server refused the request.`);
      default:
        return new VaultError(
          'server-error',
          serverMessage ??
            `${this.host} answered ${response.status} ${response.statusText}`.trim() +
              (response.status >= 500 ? ': the server or a proxy in front of it failed.' : '.'),
        );
    }
  }

  private notSonarQube(status: number): VaultError {
    return new VaultError(
      'not-sonarqube',
      `${this.host} answered (${status}), but not as a SonarQube server does. Check the URL, including any context path such as /sonarqube.`,
    );
  }

  private networkFailure(error: unknown): VaultError {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return new VaultError('timeout', `${this.host} did not answer in time.`);
    }
    const cause = describeCause(error);
    return new VaultError('unreachable', `Could not reach ${this.host}${cause ? ` (${cause})` : ''}.`);
  }
}

function unauthorized(): VaultError {
  return new VaultError(
    'unauthorized',
    'The server did not accept the token (401): it may be mistyped, expired or revoked.',
  );
}

async function readServerMessage(response: Response): Promise<string | null> {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(await response.text()));
    return parsed.success ? parsed.data.errors.map((e) => e.msg).join(' ') : null;
  } catch {
    return null;
  }
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND, a certificate error) in `cause`. */
function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return '';
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? code : cause.message;
}
