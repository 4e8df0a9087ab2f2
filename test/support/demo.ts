/**
 * A whole vault on one machine, for the preview and the e2e tests: a SonarQube Cloud (EU) and a
 * SonarQube Server imitation seeded with realistic tokens (and a Cloud (US) with one, its own),
 * the real core, and the bridge serving the built renderer. Only the keychain and the clipboard are swappable stand-ins.
 */
import { join, resolve } from 'node:path';
import { createCore, type Core } from '@core/create-core';
import { createFileLogger } from '@core/file-logger';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';
import { systemClock, type SecretStore } from '@core/ports';
import { startBridge, type Bridge } from './bridge';
import { MemoryClipboard } from './memory-clipboard';
import { startSonarQubeServer, type MaxLifetime, type TestServer } from './sonarqube-server';

export const DEMO_CREDENTIALS = {
  cloud: 'c0ffee0000000000000000000000000000000001',
  server: 'squ_5eed000000000000000000000000000000000001',
  /** Ada's token in the US region: unknown to the EU one. */
  cloudUs: 'c0ffee0000000000000000000000000000000002',
};

export interface Demo {
  core: Core;
  bridge: Bridge;
  cloud: TestServer;
  /** SonarQube Cloud (US): a region of its own, so a token of one region is unknown to the other. */
  cloudUs: TestServer;
  server: TestServer;
  clipboard: MemoryClipboard;
  /** What the vault would have shown as desktop notifications. */
  notifications: { title: string; body: string }[];
  /** The pages the vault opened in "the user's browser" (browser sign-in): a test opens them. */
  opened: string[];
  dataDir: string;
  logPath: string;
  close(): Promise<void>;
}

export interface DemoOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Add both accounts before the page opens (the preview); the e2e adds one through the UI. */
  addAccounts: { cloud: boolean; server: boolean };
  /**
   * The accounts added before the page opens get the vault's own credential (default false: they
   * sign in with the demo's pasted tokens, and offer "Use a vault-made token").
   */
  ownCredentials?: boolean;
  /** The Server's administrator caps token lifetimes (Enterprise): none by default. */
  serverMaxTokenLifetime?: MaxLifetime;
  clipboardClearMs?: number;
  rendererDir?: string;
  /**
   * grace.hopper's Server account also lists this many more tokens (varied names, types, projects
   * and expiries, a few expired or held by nobody): the window at the size of a busy team's server.
   */
  manyTokens?: number;
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms);
  const ahead = (ms: number) => new Date(now + ms);
  /** Server tokens expire at the start of a UTC day. */
  const dayAhead = (days: number) => new Date(Math.floor((now + days * DAY_MS) / DAY_MS) * DAY_MS);

  const cloud = await startSonarQubeServer({
    flavour: 'cloud',
    browserUser: 'ada-lovelace',
    organizations: [
      { key: 'analytical-engines', name: 'Analytical Engines' },
      { key: 'ada-personal', name: 'Ada (personal)' },
    ],
    users: [
      {
        login: 'ada-lovelace',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        organizations: ['analytical-engines', 'ada-personal'],
        tokens: [
          {
            name: 'token-vault',
            value: DEMO_CREDENTIALS.cloud,
            createdAt: ago(20 * DAY_MS),
            lastConnectionDate: ago(HOUR_MS),
          },
          { name: 'laptop', createdAt: ago(40 * DAY_MS), lastConnectionDate: ago(3 * DAY_MS) },
          { name: 'github-actions', createdAt: ago(90 * DAY_MS), lastConnectionDate: ago(55 * DAY_MS) },
          { name: 'old-notebook', createdAt: ago(60 * DAY_MS - 5 * HOUR_MS) },
        ],
      },
    ],
    projects: [
      { key: 'analytical-engines_difference', name: 'Difference Engine', organization: 'analytical-engines' },
    ],
  });
  const cloudUs = await startSonarQubeServer({
    flavour: 'cloud',
    organizations: [{ key: 'analytical-engines-us', name: 'Analytical Engines (US)' }],
    users: [
      {
        login: 'ada-lovelace-us',
        name: 'Ada Lovelace',
        organizations: ['analytical-engines-us'],
        tokens: [{ name: 'token-vault', value: DEMO_CREDENTIALS.cloudUs, createdAt: ago(5 * DAY_MS) }],
      },
    ],
  });
  const server = await startSonarQubeServer({
    flavour: 'server',
    maxTokenLifetime: options.serverMaxTokenLifetime,
    browserUser: 'grace.hopper',
    version: '10.7.0.96327',
    projects: [
      { key: 'payments-service', name: 'Payments Service' },
      { key: 'web-shop', name: 'Web Shop' },
    ],
    users: [
      {
        login: 'grace.hopper',
        name: 'Grace Hopper',
        email: 'grace@example.com',
        admin: true,
        tokens: [
          {
            name: 'token-vault',
            value: DEMO_CREDENTIALS.server,
            createdAt: ago(30 * DAY_MS),
            lastConnectionDate: ago(2 * HOUR_MS),
          },
          {
            name: 'ci-payments',
            type: 'PROJECT_ANALYSIS_TOKEN',
            projectKey: 'payments-service',
            createdAt: ago(80 * DAY_MS),
            lastConnectionDate: ago(DAY_MS),
            expirationDate: dayAhead(12),
          },
          {
            name: 'nightly-scan',
            type: 'GLOBAL_ANALYSIS_TOKEN',
            createdAt: ago(88 * DAY_MS),
            lastConnectionDate: ago(20 * HOUR_MS),
            expirationDate: dayAhead(3),
          },
          { name: 'release-bot', createdAt: ago(29 * DAY_MS), expirationDate: ahead(47 * MINUTE_MS) },
          {
            name: 'ide-sonarlint',
            createdAt: ago(10 * DAY_MS),
            lastConnectionDate: ago(10 * MINUTE_MS),
            expirationDate: dayAhead(81),
          },
          {
            name: 'legacy-jenkins',
            createdAt: ago(400 * DAY_MS),
            lastConnectionDate: ago(50 * DAY_MS),
            expirationDate: dayAhead(-3),
          },
        ],
      },
      { login: 'alan.turing', name: 'Alan Turing', tokens: [{ name: 'laptop', createdAt: ago(5 * DAY_MS) }] },
      // The rest of the team, for grace.hopper's user picker and overview of everyone's tokens.
      {
        login: 'katherine.johnson',
        name: 'Katherine Johnson',
        email: 'katherine.johnson@example.com',
        tokens: [
          {
            name: 'orbit-ci',
            type: 'PROJECT_ANALYSIS_TOKEN',
            projectKey: 'payments-service',
            createdAt: ago(88 * DAY_MS),
            lastConnectionDate: ago(3 * HOUR_MS),
            expirationDate: dayAhead(2),
          },
          { name: 'laptop', createdAt: ago(30 * DAY_MS), expirationDate: dayAhead(60) },
        ],
      },
      {
        login: 'kathleen.booth',
        name: 'Kathleen Booth',
        email: 'kathleen.booth@example.com',
        tokens: [{ name: 'assembler', createdAt: ago(50 * DAY_MS), expirationDate: dayAhead(40) }],
      },
      {
        login: 'margaret.hamilton',
        name: 'Margaret Hamilton',
        email: 'margaret.hamilton@example.com',
        tokens: [
          {
            name: 'apollo-release',
            type: 'GLOBAL_ANALYSIS_TOKEN',
            createdAt: ago(94 * DAY_MS),
            lastConnectionDate: ago(6 * DAY_MS),
            expirationDate: dayAhead(-4),
          },
        ],
      },
      {
        login: 'dorothy.vaughan',
        name: 'Dorothy Vaughan',
        email: 'dorothy.vaughan@example.com',
        tokens: [{ name: 'fortran-nightly', createdAt: ago(81 * DAY_MS), expirationDate: dayAhead(9) }],
      },
      {
        // No e-mail on the server: nobody to write to.
        login: 'linus.torvalds',
        name: 'Linus Torvalds',
        tokens: [
          {
            name: 'kernel-ci',
            type: 'GLOBAL_ANALYSIS_TOKEN',
            createdAt: ago(85 * DAY_MS),
            expirationDate: dayAhead(5),
          },
        ],
      },
      {
        login: 'edsger.dijkstra',
        name: 'Edsger Dijkstra',
        email: 'edsger.dijkstra@example.com',
        tokens: [{ name: 'shortest-path', createdAt: ago(5 * DAY_MS), expirationDate: dayAhead(120) }],
      },
      {
        login: 'john.backus',
        name: 'John Backus',
        email: 'john.backus@example.com',
        tokens: [{ name: 'fortran-compiler', createdAt: ago(700 * DAY_MS) }],
      },
      { login: 'barbara.liskov', name: 'Barbara Liskov', email: 'barbara.liskov@example.com' },
    ],
  });

  if (options.manyTokens) seedManyTokens(server, options.manyTokens, now);

  const clipboard = new MemoryClipboard();
  const notifications: Demo['notifications'] = [];
  const opened: string[] = [];
  const log = createFileLogger(join(options.dataDir, 'logs'));
  const core = createCore({
    dataDir: options.dataDir,
    secrets: options.secrets,
    clipboard,
    fetch: (input, init) => fetch(input, init),
    clock: systemClock,
    log,
    notifier: { notify: ({ title, body }) => void notifications.push({ title, body }) },
    openBrowser: (url) => Promise.resolve(void opened.push(url)),
    cloudHosts: { 'cloud-eu': cloud.url, 'cloud-us': cloudUs.url },
  });
  if (options.clipboardClearMs !== undefined) {
    const clearMs = options.clipboardClearMs;
    await core.store.update((m) => void (m.settings.clipboardClearMs = clearMs));
  }
  if (options.addAccounts.cloud) {
    await expectOk(
      core.dispatch('accounts.add', {
        kind: 'cloud-eu',
        organization: 'analytical-engines',
        credential: DEMO_CREDENTIALS.cloud,
        label: 'Analytical Engines',
        ownCredential: options.ownCredentials ?? false,
      }),
    );
  }
  if (options.addAccounts.server) {
    await expectOk(
      core.dispatch('accounts.add', {
        kind: 'server',
        baseUrl: server.url,
        credential: DEMO_CREDENTIALS.server,
        label: 'ACME SonarQube',
        ownCredential: options.ownCredentials ?? false,
      }),
    );
  }
  await core.start();
  const bridge = await startBridge(core, options.rendererDir ?? resolve('out/renderer'));
  return {
    core,
    bridge,
    cloud,
    cloudUs,
    server,
    clipboard,
    notifications,
    opened,
    dataDir: options.dataDir,
    logPath: log.path,
    async close() {
      core.stop();
      await core.clipboard.flush();
      await Promise.all([bridge.close(), cloud.close(), cloudUs.close(), server.close()]);
    },
  };
}

const SERVICES = ['payments', 'web-shop', 'billing', 'search', 'catalog', 'auth', 'reports', 'mobile'];
const USES = ['ci', 'deploy', 'nightly', 'release', 'ide', 'scanner', 'bot', 'preview'];

/** `count` tokens for grace.hopper, named `<service>-<use>-<n>`, expiring from 10 days ago to a year ahead. */
function seedManyTokens(server: TestServer, count: number, now: number): void {
  for (let i = 0; i < count; i++) {
    const service = SERVICES[i % SERVICES.length]!;
    const use = USES[Math.floor(i / SERVICES.length) % USES.length]!;
    const kind = i % 5;
    server.addToken('grace.hopper', {
      name: `${service}-${use}-${String(i).padStart(5, '0')}`,
      ...(kind === 0
        ? { type: 'PROJECT_ANALYSIS_TOKEN' as const, projectKey: i % 2 ? 'payments-service' : 'web-shop' }
        : kind === 1
          ? { type: 'GLOBAL_ANALYSIS_TOKEN' as const }
          : {}),
      createdAt: new Date(now - ((i % 300) + 1) * DAY_MS),
      ...(i % 3 ? { lastConnectionDate: new Date(now - (i % 40) * HOUR_MS * 7) } : {}),
      // Server dates are UTC days; one in 17 never expires.
      ...(i % 17 === 0
        ? {}
        : { expirationDate: new Date((Math.floor(now / DAY_MS) + ((i * 7) % 410) - 10) * DAY_MS) }),
    });
  }
}

async function expectOk(envelope: Promise<{ ok: boolean; error?: { message: string } }>): Promise<void> {
  const result = await envelope;
  if (!result.ok) throw new Error(`Demo set-up failed: ${result.error?.message ?? 'unknown'}`);
}
