/**
 * A SonarQube Web API client (Server, Community Build and Cloud), for the calls the vault makes:
 * the calls and the shapes of their answers (a server's answer that does not fit is not
 * SonarQube's). fetch is injected: Electron's net.fetch in the app, Node's fetch in tests.
 */
import { z } from 'zod';
import { TOKEN_TYPES, type TokenType } from '@contract';
import { VaultError } from '@core/errors';
import {
  get,
  SonarQubeTransport,
  unauthorized,
  type AuthScheme,
  type Call,
  type ClientOptions,
} from './transport';

export type { AuthScheme, ClientOptions } from './transport';

/** One e-mail address and nothing else: no spaces, no second address, nothing a URL would read as its own. */
export const PLAIN_ADDRESS = /^[^\s@"<>()[\]\\,;:?&#%/]{1,64}@[^\s@"<>()[\]\\,;:?&#%/]{1,253}$/;

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

const Components = z.object({
  components: z.array(z.object({ key: z.string(), name: z.string().optional() })),
});

/**
 * api/users/search. `email` and `tokensCount` come only to administrators; an e-mail that is not a
 * plain address (a hostile server's) is dropped, since it ends up in a mailto: link.
 */
const UserSearch = z.object({
  users: z.array(
    z.object({
      login: z.string(),
      name: z.string().optional().catch(undefined),
      email: z.string().regex(PLAIN_ADDRESS).optional().catch(undefined),
      active: z.boolean().optional().catch(undefined),
      tokensCount: z.number().int().nonnegative().optional().catch(undefined),
    }),
  ),
  paging: z.object({ pageIndex: z.number(), pageSize: z.number(), total: z.number() }),
});

const SettingValues = z.object({
  settings: z.array(z.object({ key: z.string(), value: z.string().optional() })),
});

const GlobalNavigation = z.object({
  edition: z.string().optional().catch(undefined),
  version: z.string().optional().catch(undefined),
});

export interface User {
  login: string;
  name: string;
  isAdmin: boolean;
}

/** A user as the server's user search lists them. */
export interface ServerUser {
  login: string;
  name: string;
  email?: string | undefined;
  active: boolean;
  /** How many tokens they have: administrators are told, others are not (undefined). */
  tokensCount?: number | undefined;
}

export interface UserPage {
  users: ServerUser[];
  total: number;
  page: number;
  pageSize: number;
}

export interface GenerateParams {
  name: string;
  type: TokenType;
  projectKey?: string | undefined;
  expirationDate?: string | undefined;
  login?: string | undefined;
}

export const MAX_TOKEN_LIFETIMES = ['30 days', '90 days', '1 year', 'No expiration'] as const;
export type MaxTokenLifetime = (typeof MAX_TOKEN_LIFETIMES)[number];

/** The cap in days; null for 'No expiration'. */
export function lifetimeDays(lifetime: MaxTokenLifetime): number | null {
  const days: Record<MaxTokenLifetime, number | null> = {
    '30 days': 30,
    '90 days': 90,
    '1 year': 365,
    'No expiration': null,
  };
  return days[lifetime];
}

const LIFETIME_SETTING = 'sonar.auth.token.max.allowed.lifetime';
const PROJECT_PAGE_SIZE = '50';

/**
 * The SonarQube Web API as the vault calls it (Server, Community Build and Cloud): what each call
 * sends and what its answer must look like. How calls travel (auth scheme, retries, redirects, body
 * cap, failure wording) is transport.ts's.
 */
export class SonarQubeClient {
  private readonly transport: SonarQubeTransport;

  constructor(options: ClientOptions) {
    this.transport = new SonarQubeTransport(options);
  }

  /** How the token is sent now: 'basic' once an old server refused Bearer. Store it with the account. */
  get authScheme(): AuthScheme {
    return this.transport.authScheme;
  }

  /** `api/server/version`: also our "is this SonarQube at all?" probe. */
  version(): Promise<string> {
    return this.transport.version();
  }

  /** The identity behind the token. `isLoggedIn: false` means the token was not accepted. */
  async currentUser(): Promise<User> {
    const call = get('api/users/current');
    let user = await this.json(call, CurrentUser);
    // Servers before 10.0 ignore a Bearer header here: anonymous (isLoggedIn false), not 401.
    if (!user.isLoggedIn && (await this.transport.fallBackToBasic()))
      user = await this.json(call, CurrentUser);
    if (!user.isLoggedIn || !user.login) throw unauthorized();
    return {
      login: user.login,
      name: user.name ?? user.login,
      isAdmin: user.permissions?.global.includes('admin') ?? false,
    };
  }

  /** The same as currentUser(). */
  authenticatedAs(): Promise<User> {
    return this.currentUser();
  }

  async searchTokens(login?: string): Promise<{ login: string; tokens: ServerToken[] }> {
    const result = await this.json(get('api/user_tokens/search', { login }), TokenSearch);
    return { login: result.login, tokens: result.userTokens };
  }

  /**
   * Never retried (see RetryPolicy). A 401 may still be repeated with basic auth: the server refused
   * the credential before acting.
   */
  async generateToken(params: GenerateParams): Promise<GeneratedToken> {
    const call: Call = {
      method: 'POST',
      path: 'api/user_tokens/generate',
      retry: 'never',
      params: {
        name: params.name,
        type: params.type,
        projectKey: params.projectKey,
        expirationDate: params.expirationDate,
        login: params.login,
      },
    };
    try {
      return await this.json(call, Generated);
    } catch (error) {
      throw mayHaveBeenCreated(error);
    }
  }

  async revokeToken(name: string, login?: string): Promise<void> {
    const call: Call = {
      method: 'POST',
      path: 'api/user_tokens/revoke',
      params: { name, login },
      retry: 'refused',
    };
    await this.transport.send(call);
  }

  /** Cloud: the organizations the user is a member of (every page, bounded). */
  async memberOrganizations(): Promise<{ key: string; name: string }[]> {
    const found: { key: string; name: string }[] = [];
    for (let page = 1; page <= 20; page++) {
      const result = await this.json(
        get('api/organizations/search', { member: 'true', p: String(page), ps: '500' }),
        Organizations,
      );
      found.push(...result.organizations.map((o) => ({ key: o.key, name: o.name ?? o.key })));
      const total = result.paging?.total ?? found.length;
      if (found.length >= total || result.organizations.length === 0) break;
    }
    return found;
  }

  /**
   * Projects for a picker (first 50 matches). api/projects/search needs Administer: for everyone
   * else (403) api/components/search lists the projects they may browse. Cloud needs `organization`.
   */
  async searchProjects(query: string, organization?: string): Promise<{ key: string; name: string }[]> {
    const q = query.trim() || undefined;
    try {
      const found = await this.json(
        get('api/projects/search', { q, ps: PROJECT_PAGE_SIZE, organization }),
        Components,
      );
      return found.components.map(named);
    } catch (error) {
      if (!(error instanceof VaultError && error.code === 'forbidden')) throw error;
    }
    return this.searchComponents(q, organization);
  }

  /**
   * One page of the server's active users whose login, name or e-mail contains `query` (SonarQube
   * Server; administrators see e-mails and token counts). `ps` is at most 500 there.
   */
  async searchUsers(params: {
    query?: string | undefined;
    page: number;
    pageSize: number;
  }): Promise<UserPage> {
    const q = params.query?.trim() || undefined;
    const found = await this.json(
      get('api/users/search', { q, p: String(params.page), ps: String(Math.min(params.pageSize, 500)) }),
      UserSearch,
    );
    return {
      users: found.users.map((u) => ({
        login: u.login,
        name: u.name ?? u.login,
        email: u.email,
        active: u.active ?? true,
        tokensCount: u.tokensCount,
      })),
      total: found.paging.total,
      page: found.paging.pageIndex,
      pageSize: found.paging.pageSize,
    };
  }

  /** The admin's cap on new tokens. Absent (Community, Developer, Cloud), hidden or unknown: no cap. */
  async maxTokenLifetime(): Promise<MaxTokenLifetime> {
    let answer: z.infer<typeof SettingValues>;
    try {
      answer = await this.json(get('api/settings/values', { keys: LIFETIME_SETTING }), SettingValues);
    } catch (error) {
      if (error instanceof VaultError && (error.code === 'forbidden' || error.code === 'not-found')) {
        return 'No expiration';
      }
      throw error;
    }
    const value = answer.settings.find((s) => s.key === LIFETIME_SETTING)?.value;
    // A value we do not know still binds: the server then refuses a generate in its own words.
    return MAX_TOKEN_LIFETIMES.find((known) => known === value) ?? 'No expiration';
  }

  /**
   * api/navigation/global as this client asks it (without a token: as the sign-in page does). A
   * Server names its version there; SonarQube Cloud does not.
   */
  async navigation(): Promise<{ edition: string | null; version: string | null }> {
    const answer = await this.json(get('api/navigation/global'), GlobalNavigation);
    return { edition: answer.edition ?? null, version: answer.version ?? null };
  }

  /** 'community', 'developer', 'enterprise', 'datacenter' on Server; null on Cloud or when not said. */
  async edition(): Promise<string | null> {
    try {
      return (await this.json(get('api/navigation/global'), GlobalNavigation)).edition ?? null;
    } catch (error) {
      if (error instanceof VaultError && error.code === 'not-found') return null;
      throw error;
    }
  }

  /** components/search refuses a `q` under 2 characters: then ask without it and filter here. */
  private async searchComponents(
    q: string | undefined,
    organization: string | undefined,
  ): Promise<{ key: string; name: string }[]> {
    const short = q !== undefined && q.length < 2;
    const found = await this.json(
      get('api/components/search', {
        qualifiers: 'TRK',
        q: short ? undefined : q,
        ps: PROJECT_PAGE_SIZE,
        organization,
      }),
      Components,
    );
    const projects = found.components.map(named);
    if (!short) return projects;
    const needle = q.toLowerCase();
    return projects.filter((p) => `${p.key}\n${p.name}`.toLowerCase().includes(needle));
  }

  private json<T>(call: Call, schema: z.ZodType<T>): Promise<T> {
    return this.transport.json(call, schema);
  }
}

function named(component: { key: string; name?: string | undefined }): { key: string; name: string } {
  return { key: component.key, name: component.name ?? component.key };
}

/** A generate whose answer never came may still have created the token on the server. */
function mayHaveBeenCreated(error: unknown): unknown {
  if (!(error instanceof VaultError) || error.code !== 'timeout') return error;
  return new VaultError(
    'timeout',
    `${error.message} The token may have been created anyway: refresh the list before generating it again.`,
  );
}
