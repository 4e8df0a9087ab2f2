/**
 * Every protection of the vault, written as the edit that removes it and the tests that must then
 * fail. `npm run mutation:check` applies each to a copy of the project and runs those tests only:
 * a protection whose removal no test notices is reported as a survivor, and fails the run.
 */

export interface Edit {
  readonly file: string;
  /** Must occur exactly once in the file (so a stale entry is noticed, not silently skipped). */
  readonly find: string;
  readonly replace: string;
}

/**
 * The tests that must go red, and only those. Builds are shared (scripts/mutation/workspace.ts):
 * `e2e` and `packaged` rebuild only the parts of the app the edits touch, and `packaged` runs on
 * the suite's package with just those parts swapped in; `packageCheck` packs anew.
 */
export type Check =
  /** The tests of one vitest file whose full name contains `test` (no build). */
  | { readonly vitest: string; readonly test: string }
  /** Playwright e2e tests (the renderer in Chromium over the bridge) whose title matches `grep`. */
  | { readonly e2e: string; readonly grep: string }
  /** The packaged app's tests (its main process on the Electron double) matching `grep`. */
  | { readonly packaged: string; readonly grep: string }
  /** `npm run package:check`: electron-builder packs the app again (the fuses are its doing). */
  | { readonly packageCheck: true };

export interface Mutant {
  readonly protection: string;
  readonly edits: readonly Edit[];
  readonly check: Check;
}

const one = (file: string, find: string, replace: string): readonly Edit[] => [{ file, find, replace }];

/** The packaged app's one journey, from start to quit. */
const JOURNEY = 'start, add an account, generate';

export const MUTANTS: readonly Mutant[] = [
  // ------------------------------------------------------------ the window and IPC (packaged app)
  {
    protection: 'IPC answers only its own window',
    edits: one('electron/main/ipc.ts', 'if (!isTrustedSender(event, window(), appUrl)) {', 'if (false) {'),
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'IPC answers' },
  },
  {
    protection: 'IPC answers the main frame only',
    edits: one('electron/main/ipc.ts', 'frame === window.webContents.mainFrame &&', 'true &&'),
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'IPC answers' },
  },
  {
    protection: "IPC answers the app's own page only",
    edits: one('electron/main/ipc.ts', 'isOwnPage(frame.url, appUrl)', 'true'),
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'IPC answers' },
  },
  {
    protection: 'navigation away is refused',
    edits: one('electron/main/window.ts', 'if (url !== pageUrl) event.preventDefault();', 'void url;'),
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'does not navigate' },
  },
  {
    protection: 'webviews cannot attach',
    edits: one(
      'electron/main/window.ts',
      "contents.on('will-attach-webview', (event) => event.preventDefault());",
      '',
    ),
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'does not navigate' },
  },
  {
    protection: 'the page opens no window',
    edits: one('electron/main/window.ts', "return { action: 'deny' };", "return { action: 'allow' };"),
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'does not navigate' },
  },
  {
    protection: 'links open only on allowed hosts',
    edits: one(
      'electron/main/external-links.ts',
      'return accountHosts.has(parsed.host) || DOCUMENTATION_HOSTS.includes(parsed.host);',
      'return true;',
    ),
    check: { vitest: 'test/unit/trust.test.ts', test: 'refuses https://evil.example/' },
  },
  {
    protection: 'links open only over https',
    edits: one('electron/main/external-links.ts', "parsed.protocol !== 'https:' || ", ''),
    check: { vitest: 'test/unit/trust.test.ts', test: 'refuses http://docs.sonarsource.com/' },
  },
  ...(
    [
      ['contextIsolation', 'contextIsolation: true,', 'contextIsolation: false,'],
      ['the renderer sandbox', 'sandbox: true,', 'sandbox: false,'],
      ['no Node in the renderer', 'nodeIntegration: false,', 'nodeIntegration: true,'],
      ['no webview tag', 'webviewTag: false,', 'webviewTag: true,'],
      ['no navigation by drag and drop', 'navigateOnDragDrop: false,', 'navigateOnDragDrop: true,'],
      ['no middle-click windows (auxclick)', "disableBlinkFeatures: 'Auxclick',", ''],
      ['no devtools when packaged', 'devTools: !packaged,', 'devTools: true,'],
    ] as const
  ).map(([what, find, replace]) => ({
    protection: `web preferences: ${what}`,
    edits: one('electron/main/window.ts', find, replace),
    check: { packaged: 'test/packaged/journey.spec.ts', grep: JOURNEY },
  })),
  {
    protection: 'the sandbox for every renderer, before ready',
    edits: one('electron/main/index.ts', 'app.enableSandbox();', ''),
    check: { packaged: 'test/packaged/journey.spec.ts', grep: JOURNEY },
  },
  {
    protection: 'web permissions are denied',
    edits: one('electron/main/index.ts', 'grant(false)', 'grant(true)'),
    check: { packaged: 'test/packaged/journey.spec.ts', grep: JOURNEY },
  },
  {
    protection: 'web permission checks are denied',
    edits: one(
      'electron/main/index.ts',
      'setPermissionCheckHandler(() => false)',
      'setPermissionCheckHandler(() => true)',
    ),
    check: { packaged: 'test/packaged/journey.spec.ts', grep: JOURNEY },
  },
  {
    protection: 'ELECTRON_RENDERER_URL only when not packaged',
    edits: one(
      'electron/main/app-protocol.ts',
      'return !packaged && dev ? dev : APP_URL;',
      'return dev ? dev : APP_URL;',
    ),
    check: {
      vitest: 'test/unit/trust.test.ts',
      test: 'is app://vault/, whatever the environment says, once packaged',
    },
  },
  {
    protection: 'VAULT_DATA_DIR only when not packaged',
    edits: one(
      'electron/main/index.ts',
      "(!app.isPackaged && process.env['VAULT_DATA_DIR'])",
      "process.env['VAULT_DATA_DIR']",
    ),
    check: { packaged: 'test/packaged/origin.spec.ts', grep: 'ignored' },
  },
  {
    protection: 'app:// serves the renderer build only',
    edits: one(
      'electron/main/app-protocol.ts',
      'return file.startsWith(base + sep) ? file : null;',
      'return file;',
    ),
    check: {
      vitest: 'test/unit/app-protocol.test.ts',
      test: 'app://vault/..%2f..%2fpackage.json is refused',
    },
  },
  {
    protection: 'app:// answers its own host only',
    edits: one('electron/main/app-protocol.ts', ' || parsed.host !== APP_HOST', ''),
    check: { vitest: 'test/unit/app-protocol.test.ts', test: 'app://vault.evil/index.html is refused' },
  },
  {
    protection: 'app:// sends the CSP as a header',
    edits: one('electron/main/app-protocol.ts', "'Content-Security-Policy': CONTENT_SECURITY_POLICY,", ''),
    check: { packaged: 'test/packaged/origin.spec.ts', grep: 'standard, secure' },
  },
  {
    protection: "the page's CSP",
    edits: one('renderer/index.html', 'http-equiv="Content-Security-Policy"', 'http-equiv="X-Removed"'),
    check: {
      vitest: 'test/unit/trust.test.ts',
      test: 'is the same in the page and in the header app://vault/ sends (plus what only a header can say)',
    },
  },
  {
    protection: 'quitting clears the clipboard first',
    edits: one('electron/main/lifecycle.ts', 'void flushClipboard()', 'void Promise.resolve()'),
    check: { packaged: 'test/packaged/journey.spec.ts', grep: JOURNEY },
  },
  {
    protection: 'a crash clears the clipboard',
    edits: one(
      'electron/main/crash-handler.ts',
      "flushClipboard().catch(() => log.warn('clipboard clear after a crash failed')),",
      'Promise.resolve(),',
    ),
    check: {
      vitest: 'test/unit/main-process.test.ts',
      test: 'before the app is ready: clipboard cleared, an error box, quit (a relaunch could loop)',
    },
  },
  {
    protection: 'hiding the window drops values shown once',
    edits: one('electron/main/index.ts', "created.on('hide', () => core.windowHidden());", ''),
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'closed to the tray' },
  },
  // ------------------------------------------------------------ the package
  ...(
    [
      'runAsNode: false',
      'enableNodeOptionsEnvironmentVariable: false',
      'grantFileProtocolExtraPrivileges: false',
    ] as const
  ).map((fuse) => ({
    protection: `fuse ${fuse.split(':')[0]!}`,
    edits: one('electron-builder.yml', `  ${fuse}\n`, ''),
    check: { packageCheck: true } as const,
  })),
  // ------------------------------------------------------------ the renderer
  {
    protection: 'a value shown once goes when the window hides',
    edits: one('renderer/src/ui/use-secret-state.ts', "on('window.hidden', drop)", '() => undefined'),
    check: { e2e: 'test/e2e/exposure.spec.ts', grep: 'hiding the window' },
  },
  {
    protection: 'a value shown once goes after its time',
    edits: one(
      'renderer/src/ui/use-secret-state.ts',
      'lifetimeMs === undefined ? undefined : setTimeout(drop, lifetimeMs)',
      'undefined',
    ),
    check: { e2e: 'test/e2e/exposure.spec.ts', grep: 'copy it now' },
  },
  // ------------------------------------------------------------ the core
  {
    protection: 'every call is validated against the contract',
    edits: [
      { file: 'electron/core/ipc/dispatch.ts', find: 'if (!parsed.success) {', replace: 'if (false) {' },
      {
        file: 'electron/core/ipc/dispatch.ts',
        find: 'await handler(parsed.data)',
        replace: 'await handler(payload)',
      },
    ],
    check: {
      vitest: 'test/unit/contract.test.ts',
      test: 'accounts.add with {"kind":"gitlab","credential":"x"} is refused as invalid input',
    },
  },
  {
    protection: 'errors reach the renderer redacted',
    edits: one('electron/core/ipc/dispatch.ts', 'message: redact(error.message)', 'message: error.message'),
    check: {
      vitest: 'test/unit/redact.test.ts',
      test: "the dispatch's error envelopes: a handler's error, and an invalid payload's keys",
    },
  },
  {
    protection: 'token-shaped text is redacted',
    edits: one('electron/core/redact.ts', 'return text.replace(TOKEN_SHAPED, REDACTED);', 'return text;'),
    check: { vitest: 'test/unit/redact.test.ts', test: 'the notifier the core wraps' },
  },
  {
    protection: 'server answers are capped',
    edits: one(
      'electron/core/sonarqube/transport.ts',
      'const max = this.options.maxBodyBytes ?? MAX_BODY_BYTES;',
      'const max = Infinity;',
    ),
    check: {
      vitest: 'test/unit/body-cap.test.ts',
      test: 'reads answers up to the cap; the cap is injectable and named in the refusal',
    },
  },
  {
    protection: 'redirects are never followed',
    edits: one('electron/core/http/transport.ts', "redirect: 'error'", "redirect: 'follow'"),
    check: {
      vitest: 'test/integration/fuzz-server-answers.test.ts',
      test: 'a 308 on revoke is followed nowhere: the other host hears nothing',
    },
  },
  {
    protection: 'keychain leftovers are found',
    edits: one('electron/core/storage/leftovers.ts', 'if (referenced.has(key)) continue;', 'continue;'),
    check: {
      vitest: 'test/integration/leftovers.test.ts',
      test: 'adopts a reported value once a fresh list shows its token',
    },
  },
  {
    protection: 'vault.json is replaced atomically (temp file, rename)',
    edits: one(
      'electron/core/storage/atomic-file.ts',
      "const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;",
      'const temp = path;',
    ),
    check: {
      vitest: 'test/integration/kill-mid-write.test.ts',
      test: 'vault.json always parses and no keychain entry is left unreported, over 200 kills',
    },
  },
  {
    protection: 'keychain calls time out',
    edits: one(
      'electron/core/storage/keytar-store.ts',
      'return await timeLimited(operation(this.keytar), this.timeoutMs);',
      'return await operation(this.keytar);',
    ),
    check: {
      vitest: 'test/unit/keychain-timeout.test.ts',
      test: 'a call that fails after the time limit lands as false, and raises no unhandled rejection',
    },
  },
  {
    protection: 'a value held for another token is not imported',
    edits: one('electron/core/tokens/import.ts', 'await refuseHeldElsewhere(ctx, account, input);', ''),
    check: {
      vitest: 'test/integration/import-duplicates.test.ts',
      test: "refuses a value held in the same user's other account, naming the token and the account",
    },
  },
  {
    protection: 'stored accounts are checked when loaded',
    edits: one(
      'electron/core/storage/metadata-store.ts',
      'return this.setAsideFailing(parsed.data);',
      'return parsed.data;',
    ),
    check: {
      vitest: 'test/integration/stored-accounts.test.ts',
      test: 'is set aside when the vault starts, reported, and its credential sent nowhere',
    },
  },
  {
    protection: "a Cloud account's host is its region's",
    edits: one(
      'electron/core/storage/stored-accounts.ts',
      'if (account.baseUrl !== cloudHosts[account.kind]) {',
      'if (false) {',
    ),
    check: {
      vitest: 'test/integration/stored-accounts.test.ts',
      test: 'is set aside when the vault starts, reported, and its credential sent nowhere',
    },
  },
  {
    protection: 'plain http to another computer needs consent',
    edits: one(
      'electron/core/sonarqube/regions.ts',
      "if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {",
      'if (false) {',
    ),
    check: {
      vitest: 'test/integration/stored-accounts.test.ts',
      test: 'is set aside when the vault starts, reported, and its credential sent nowhere',
    },
  },
  {
    protection: 'no credentials inside a server URL',
    edits: one('electron/core/sonarqube/regions.ts', 'if (url.username || url.password) {', 'if (false) {'),
    check: {
      vitest: 'test/unit/regions.test.ts',
      test: 'refuses "https://user:pass@sq.example.com" with a clear message',
    },
  },
  {
    protection: 'values shown once are dropped after their time',
    edits: one('electron/core/once-values.ts', '() => this.held.delete(onceId)', '() => undefined'),
    check: {
      vitest: 'test/integration/stored-accounts.test.ts',
      test: 'are copied through the core while their panel may show them, then no more',
    },
  },
  {
    protection: 'the clipboard is cleared only if it still holds our value',
    edits: one(
      'electron/core/clipboard-guard.ts',
      'if (digest(await this.clipboard.readText()) !== pending.digest) return;',
      '',
    ),
    check: { vitest: 'test/unit/clipboard-guard.test.ts', test: 'leaves alone what the user copied since' },
  },
  {
    protection: 'the preview bridge checks the Host header (DNS rebinding)',
    edits: one('test/support/bridge.ts', 'if (request.headers.host !== new URL(origin).host)', 'if (false)'),
    check: { vitest: 'test/integration/bridge.test.ts', test: 'refuses a call with a rebinding Host' },
  },
  {
    protection: 'the preview bridge needs its per-run key',
    edits: one(
      'test/support/bridge.ts',
      "if (requestOrigin !== origin || !sameKey(request.headers['x-vault-key'], key)) {",
      'if (requestOrigin !== origin) {',
    ),
    check: { vitest: 'test/integration/bridge.test.ts', test: 'refuses a call with a wrong key' },
  },
  // ------------------------------------------------------------ saying what is wrong (wrong place)
  {
    protection: 'a Cloud token refused in one region is tried in the other region',
    edits: one(
      'electron/core/accounts/hints.ts',
      "if (!isCloud(kind) || !(error instanceof VaultError) || error.code !== 'unauthorized') return error;",
      'return error;',
    ),
    check: {
      vitest: 'test/integration/account-hints.test.ts',
      test: 'a token neither region knows keeps the plain 401, after one question to the other region',
    },
  },
  {
    protection: 'the other region is asked once, with no basic-auth repeat',
    edits: one('electron/core/accounts/hints.ts', 'basicFallback: false,', ''),
    check: {
      vitest: 'test/integration/account-hints.test.ts',
      test: 'a token neither region knows keeps the plain 401, after one question to the other region',
    },
  },
  {
    protection: "a Server URL on SonarQube Cloud's host is refused before anything is sent",
    edits: one(
      'electron/core/accounts/hints.ts',
      'if (url.host === cloud.host || url.hostname.endsWith(`.${cloud.hostname}`)) {',
      'if (false) {',
    ),
    check: {
      vitest: 'test/integration/account-hints.test.ts',
      test: 'the EU host with a page path: "choose the Cloud account type", and nothing is sent',
    },
  },
  {
    protection: 'a Server URL that answers as SonarQube Cloud does is told apart',
    edits: one(
      'electron/core/accounts/hints.ts',
      'if (navigation === null || navigation.version !== null || navigation.edition !== null) return;',
      'return;',
    ),
    check: {
      vitest: 'test/integration/account-hints.test.ts',
      test: 'a host that answers as Cloud does is told apart without the token',
    },
  },
  {
    protection: 'a login page in place of SonarQube is said as such',
    edits: one(
      'electron/core/sonarqube/transport.ts',
      'const gateway = response ? this.ssoGateway(response, text) : null;',
      'const gateway = null;',
    ),
    check: {
      vitest: 'test/integration/account-hints.test.ts',
      test: 'negotiate: says a sign-in page answered, and what to do; the token is never sent',
    },
  },
  {
    protection: 'a redirect to a sign-in page is said as such',
    edits: one(
      'electron/core/sonarqube/transport.ts',
      "if (networkCause(error).kind === 'redirect' && call.method === 'GET') {",
      'if (false) {',
    ),
    check: {
      vitest: 'test/integration/account-hints.test.ts',
      test: 'a redirect to the same API elsewhere names that address',
    },
  },
  {
    protection: 'the look at where a redirect points carries no credential',
    edits: one(
      'electron/core/sonarqube/transport.ts',
      "headers: { Accept: 'application/json' },\n        redirect: 'manual',",
      "headers: { Accept: 'application/json', Authorization: this.authorization() ?? '' },\n        redirect: 'manual',",
    ),
    check: {
      vitest: 'test/integration/account-hints.test.ts',
      test: 'a gateway that lets the version through but sends API calls to sign in: said the same way',
    },
  },
  {
    protection: 'the look at where a redirect points follows it nowhere',
    edits: one('electron/core/sonarqube/transport.ts', "redirect: 'manual',", "redirect: 'follow',"),
    check: {
      vitest: 'test/integration/fuzz-server-answers.test.ts',
      test: 'a 301 on currentUser is followed nowhere: the other host hears nothing',
    },
  },
  {
    protection: 'a generate an older Server cannot honour is refused, naming the version it needs',
    edits: one('electron/core/tokens/generate.ts', 'await requireTokenFeatures(ctx, account, input);', ''),
    check: {
      vitest: 'test/integration/server-versions.test.ts',
      test: 'an expiration date: needs 9.6, says so, and nothing is generated',
    },
  },
  // ------------------------------------------------------------ administrators: the whole server
  {
    protection: 'administrators only: users.search and the overview are refused to others, before asking',
    edits: one(
      'electron/core/admin/administrator.ts',
      'if (!account.isAdmin) throw lacksAdminister(account, what);',
      '',
    ),
    check: {
      vitest: 'test/integration/admin-overview.test.ts',
      test: 'a user without Administer System is told so, and the server is not asked',
    },
  },
  {
    protection: 'administrators only: SonarQube Cloud is told it has no user search, before asking',
    edits: one(
      'electron/core/admin/administrator.ts',
      "if (flavourOf(account) === 'cloud') throw new VaultError('invalid-input', CLOUD_HAS_NO_USER_SEARCH);",
      '',
    ),
    check: {
      vitest: 'test/integration/admin-overview.test.ts',
      test: 'has no user search for this: the vault says so and asks nothing',
    },
  },
  {
    protection: "administrators only: an overview asks for at most 4 users' tokens at a time",
    edits: one('electron/core/admin/overview.ts', '      SCAN_CONCURRENCY,\n', '      everyone.length,\n'),
    check: {
      vitest: 'test/integration/admin-overview.test.ts',
      test: 'asks for at most 4 users’ tokens at a time, and runs one scan for two who ask at once',
    },
  },
  {
    protection: 'administrators only: an e-mail that is not one plain address never reaches a mailto: link',
    edits: one(
      'electron/core/sonarqube/client.ts',
      'email: z.string().regex(PLAIN_ADDRESS).optional()',
      'email: z.string().optional()',
    ),
    check: {
      vitest: 'test/integration/admin-overview.test.ts',
      test: 'lists every user’s tokens that expire within the first threshold (14 days) or have expired',
    },
  },
  {
    protection:
      "error words are sanitized (an overview's failed users, rotation notes, own-credential problems)",
    edits: one(
      'electron/core/errors.ts',
      'if (error instanceof VaultError) return redact(error.message);',
      'if (error instanceof VaultError) return error.message;',
    ),
    check: {
      vitest: 'test/integration/admin-hostile-answers.test.ts',
      test: 'no answer, event or file quotes a value; every call ends as data',
    },
  },
  {
    protection: 'mailto: links open to one address, with a subject and a body only',
    edits: one(
      'electron/main/external-links.ts',
      "if (parsed.protocol === 'mailto:') return mailtoAllowed(parsed);",
      "if (parsed.protocol === 'mailto:') return true;",
    ),
    check: { vitest: 'test/unit/trust.test.ts', test: 'refuses mailto:' },
  },
  {
    protection: 'mailto: is the only scheme besides https that opens',
    edits: one(
      'electron/main/external-links.ts',
      "if (parsed.protocol === 'mailto:') return mailtoAllowed(parsed);",
      "if (parsed.protocol !== 'https:') return mailtoAllowed(parsed);",
    ),
    check: { vitest: 'test/unit/trust.test.ts', test: 'refuses x-custom-handler:alan@example.com?subject=a' },
  },
  // ------------------------------------------------------------ the vault's own credential
  {
    protection: "own credential: revoking it needs the user's confirmation",
    edits: one(
      'electron/core/own-credential/marks.ts',
      'if (ref.ownCredentialConfirmed || !isOwnCredential(account, ref.name)) return;',
      'return;',
    ),
    check: {
      vitest: 'test/integration/own-credential.test.ts',
      test: 'is refused a revoke without confirmation; confirmed, the account has none and says its token is refused',
    },
  },
  {
    protection: 'own credential: the revoke dialog asks for an explicit tick',
    edits: one(
      'renderer/src/features/own-credential/RevokeOwnCredentialDialog.tsx',
      'if (confirmed) return void submit(event);',
      'return void submit(event);',
    ),
    check: { e2e: 'test/e2e/own-credential.spec.ts', grep: 'is marked' },
  },
  {
    protection: 'own credential: marked in every list',
    edits: one(
      'electron/core/tokens/views.ts',
      'if (isOwnCredential(account, token.name, owner)) view.ownCredential = true;',
      '',
    ),
    check: {
      vitest: 'test/integration/own-credential.test.ts',
      test: 'is marked in tokens.all and in an administrator’s list of their own tokens, not in another user’s',
    },
  },
  {
    protection: 'own credential: renewed when a third of its lifetime is left',
    edits: one(
      'electron/core/own-credential/renew-at.ts',
      'Math.max(lifetime / 3, RENEW_MARGIN_MIN_MS)',
      'RENEW_MARGIN_MIN_MS',
    ),
    check: {
      vitest: 'test/integration/own-credential-walk.test.ts',
      test: 'a 90-day cap across 200 days: renewed before it expires, one own credential at a time',
    },
  },
  {
    protection: 'own credential: renewed at the latest 7 days before it expires',
    edits: one(
      'electron/core/own-credential/renew-at.ts',
      'Math.max(lifetime / 3, RENEW_MARGIN_MIN_MS)',
      'lifetime / 3',
    ),
    check: {
      vitest: 'test/unit/own-credential.test.ts',
      test: 'when a third of its lifetime remains, or 7 days, whichever comes first',
    },
  },
  {
    protection: 'own credential: a switch is recorded before its generate is sent',
    edits: one('electron/core/own-credential/switch.ts', '  await setSwitch(ctx, accountId, change);\n', ''),
    check: {
      vitest: 'test/integration/own-credential-resume.test.ts',
      test: 'at the generate, made on the server, its answer lost',
    },
  },
  {
    protection: 'own credential: a crash resumes the switch it interrupted',
    edits: one(
      'electron/core/own-credential/own-credential.ts',
      '  return exclusive(ctx, accountId, async () => {\n    await resumeSwitch(ctx, accountId);\n',
      '  return exclusive(ctx, accountId, async () => {\n',
    ),
    check: {
      vitest: 'test/integration/own-credential-resume.test.ts',
      test: 'at the credential entry, before it is overwritten',
    },
  },
  {
    protection: 'own credential: a value the keychain kept before a crash goes on',
    edits: one(
      'electron/core/own-credential/switch.ts',
      '  if (value === null) return false;\n',
      '  return false;\n',
    ),
    check: {
      vitest: 'test/integration/own-credential-resume.test.ts',
      test: 'at the new value, in the keychain, not yet recorded',
    },
  },
  {
    protection: 'own credential: a successor whose value was lost is revoked before another is made',
    edits: one(
      'electron/core/own-credential/switch.ts',
      'if (tokens.some((t) => t.name === change.successor)) {',
      'if (false) {',
    ),
    check: {
      vitest: 'test/integration/own-credential-resume.test.ts',
      test: 'at the generate, made on the server, its answer lost',
    },
  },
  {
    protection: 'own credential: the previous one is revoked once its successor signs in',
    edits: one('electron/core/own-credential/switch.ts', 'if (change.previous !== null) {', 'if (false) {'),
    check: {
      vitest: 'test/integration/own-credential-walk.test.ts',
      test: 'a 90-day cap across 200 days: renewed before it expires, one own credential at a time',
    },
  },
  {
    protection: 'own credential: the successor is verified before it replaces a credential that works',
    edits: one(
      'electron/core/own-credential/switch.ts',
      '  if (login === account.login) return;\n',
      '  return;\n',
    ),
    check: {
      vitest: 'test/integration/own-credential.test.ts',
      test: 'a new token the server does not accept is revoked; the pasted one stays the credential',
    },
  },
  // ------------------------------------------------------------ browser sign-in
  {
    protection: 'sign-in: only the SonarQube origin hands a token over',
    edits: one(
      'electron/core/sign-in/loopback.ts',
      'const fromSonarQube = request.headers.origin === options.origin;',
      'const fromSonarQube = true;',
    ),
    check: {
      vitest: 'test/integration/browser-sign-in.test.ts',
      test: 'takes one token, from the SonarQube only, checks it, and the account is added with it',
    },
  },
  {
    protection: 'sign-in: the Host must name loopback (DNS rebinding)',
    edits: one(
      'electron/core/sign-in/loopback.ts',
      "if (!['127.0.0.1', 'localhost'].some((host) => request.headers.host === `${host}:${port}`)) {",
      'if (false) {',
    ),
    check: {
      vitest: 'test/integration/browser-sign-in.test.ts',
      test: 'takes one token, from the SonarQube only, checks it, and the account is added with it',
    },
  },
  {
    protection: 'sign-in: the token handed over must sign in before it is kept',
    edits: one(
      'electron/core/sign-in/browser-sign-in.ts',
      'const user = await client.currentUser();',
      "const user = { login: given.login ?? 'someone', name: '' };",
    ),
    check: {
      vitest: 'test/integration/browser-sign-in.test.ts',
      test: 'a token that does not sign in is refused, and nothing is kept',
    },
  },
  {
    protection: 'sign-in: the port closes after 5 minutes',
    edits: one(
      'electron/core/sign-in/browser-sign-in.ts',
      '      SIGN_IN_WAIT_MS,\n    );',
      '      SIGN_IN_WAIT_MS * 1000,\n    );',
    ),
    check: {
      vitest: 'test/integration/browser-sign-in.test.ts',
      test: 'ends after 5 minutes, or when cancelled, and stops listening',
    },
  },
  {
    protection: 'sign-in: a sign-in adds one account, on its own server',
    edits: one(
      'electron/core/accounts/accounts.ts',
      'if (signedIn && (signedIn.kind !== input.kind || signedIn.baseUrl !== baseUrl)) {',
      'if (false) {',
    ),
    check: {
      vitest: 'test/integration/browser-sign-in.test.ts',
      test: 'a sign-in adds an account on its own server only',
    },
  },
  // ------------------------------------------------- the token lists, refreshes, the history of uses
  {
    protection: 'token lists: the same list again writes nothing',
    edits: one('electron/core/storage/snapshot-files.ts', 'sameTokens(known.tokens, tokens)', 'false'),
    check: {
      vitest: 'test/unit/snapshot-store.test.ts',
      test: 'a restarted store knows what is on disk: the same list writes nothing',
    },
  },
  {
    protection: 'token lists: vault.json is rewritten only when what it holds changed',
    edits: one('electron/core/storage/metadata-store.ts', 'if (text !== this.stored) {', 'if (true) {'),
    check: {
      vitest: 'test/unit/snapshot-store.test.ts',
      test: 'a restarted store knows what is on disk: the same list writes nothing',
    },
  },
  {
    protection: 'token lists: kept apart from vault.json, one file per account',
    edits: one(
      'electron/core/storage/metadata-store.ts',
      'const VaultFile = Metadata.omit({ snapshots: true });',
      'const VaultFile = Metadata;',
    ),
    check: {
      vitest: 'test/unit/snapshot-store.test.ts',
      test: 'loads, and its lists move out with the next write',
    },
  },
  {
    protection: 'token lists: a list is replaced atomically (temp file, rename)',
    edits: one(
      'electron/core/storage/snapshot-files.ts',
      'await writeAtomically(this.pathOf(accountId), text);',
      "const fs = await import('node:fs/promises');\n    await fs.mkdir(this.dir, { recursive: true });\n    await fs.writeFile(this.pathOf(accountId), text);",
    ),
    check: {
      vitest: 'test/integration/kill-mid-write.test.ts',
      test: 'vault.json always parses and no keychain entry is left unreported, over 200 kills',
    },
  },
  {
    protection: 'token lists: an unreadable list is set aside and reported, never in the way',
    edits: one(
      'electron/core/storage/snapshot-files.ts',
      "if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;",
      "if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;\n      throw error;",
    ),
    check: {
      vitest: 'test/unit/snapshot-store.test.ts',
      test: 'torn JSON: set aside, reported, the rest loads and the vault starts',
    },
  },
  {
    protection: 'token lists: those of a vault.json from before load',
    edits: one(
      'electron/core/storage/metadata-store.ts',
      'snapshots: newerLists(stored.snapshots, kept)',
      'snapshots: kept',
    ),
    check: {
      vitest: 'test/unit/snapshot-store.test.ts',
      test: 'loads, and its lists move out with the next write',
    },
  },
  {
    protection: 'token lists: removing an account removes its list',
    edits: one('electron/core/storage/metadata-store.ts', 'await this.snapshots.remove(id);', 'void id;'),
    check: { vitest: 'test/unit/snapshot-store.test.ts', test: 'removing an account removes its list' },
  },
  {
    protection: 'refresh: a hung server holds up its own slot only',
    edits: one(
      'electron/core/tokens/refresher.ts',
      'export const REFRESH_CONCURRENCY = 4;',
      'export const REFRESH_CONCURRENCY = 1;',
    ),
    check: {
      vitest: 'test/integration/refresh-hang.test.ts',
      test: 'the others come fresh, and the tray, All tokens and the watcher answer from the last lists',
    },
  },
  {
    protection: 'refresh: at most REFRESH_CONCURRENCY lists asked at once',
    edits: one(
      'electron/core/tokens/list.ts',
      'await eachLimited(ids, REFRESH_CONCURRENCY, async (id) => {',
      'await eachLimited(ids, ids.length, async (id) => {',
    ),
    check: {
      vitest: 'test/integration/refresh-hang.test.ts',
      test: 'the others come fresh, and the tray, All tokens and the watcher answer from the last lists',
    },
  },
  {
    protection: 'refresh: the tray answers from the last lists while a server hangs',
    edits: one(
      'electron/core/create-core.ts',
      'trayModel: async () => trayModel(await ctx.store.load(), ctx.clock.now()),',
      "trayModel: async () => (await background.refresher.refresh('user'), trayModel(await ctx.store.load(), ctx.clock.now())),",
    ),
    check: {
      vitest: 'test/integration/refresh-hang.test.ts',
      test: 'the others come fresh, and the tray, All tokens and the watcher answer from the last lists',
    },
  },
  {
    protection: 'refresh: All tokens answers from the last lists while a server hangs',
    edits: one(
      'electron/core/tokens/handlers.ts',
      "'tokens.all': () => allLists(ctx),",
      "'tokens.all': async () => (await deps.refresher.refresh('user'), allLists(ctx)),",
    ),
    check: {
      vitest: 'test/integration/refresh-hang.test.ts',
      test: 'the others come fresh, and the tray, All tokens and the watcher answer from the last lists',
    },
  },
  {
    protection: 'refresh: at start, a hung server keeps the expiry watcher waiting a while only',
    edits: one('electron/core/background.ts', 'watching = this.watcher.start();', 'watching = null;'),
    check: {
      vitest: 'test/integration/refresh-hang.test.ts',
      test: 'at start, the watcher waits for the fresh lists a while, not for a hung server',
    },
  },
  {
    protection: "refresh: administrators' overviews a few at a time, a hung one holding up no other",
    edits: one(
      'electron/core/admin/overview.ts',
      'await eachLimited([...this.held.keys()], REFRESH_CONCURRENCY, (accountId) =>',
      'await eachLimited([...this.held.keys()], 1, (accountId) =>',
    ),
    check: {
      vitest: 'test/integration/refresh-hang.test.ts',
      test: "administrators' overviews are refreshed a few at a time: a hung one holds up no other",
    },
  },
  {
    protection: 'history: every copy is recorded',
    edits: one('electron/core/tokens/values.ts', "await recordUse(ctx, ref, 'copy', via);", ''),
    check: {
      vitest: 'test/integration/history.test.ts',
      test: 'a torn line in the journal costs that line only',
    },
  },
  {
    protection: 'history: every reveal is recorded',
    edits: one('electron/core/tokens/values.ts', "await recordUse(ctx, ref, 'reveal', 'window');", ''),
    check: {
      vitest: 'test/integration/history.test.ts',
      test: 'records each copy and reveal: when, what, from where, newest first',
    },
  },
  {
    protection: 'history: a journal line is a use, never a value',
    edits: one(
      'electron/core/history/journal.ts',
      'export const JournalLine = TokenRef.extend(HistoryEntry.shape).strict();',
      'export const JournalLine = TokenRef.extend(HistoryEntry.shape).passthrough();',
    ),
    check: {
      vitest: 'test/unit/history-journal.test.ts',
      test: 'a line that is not a use is skipped: no value comes out of the journal',
    },
  },
  {
    protection: "history: a token's last 50 uses",
    edits: one(
      'electron/core/history/journal.ts',
      '    return newestFirst(mine)\n      .slice(0, HISTORY_PER_TOKEN)\n',
      '    return newestFirst(mine)\n',
    ),
    check: { vitest: 'test/unit/history-journal.test.ts', test: "keeps a token's last 50" },
  },
  {
    protection: 'history: a torn line does not swallow the next use',
    edits: one('electron/core/history/journal.ts', "${size > 0 && last[0] !== 0x0a ? '\\n' : ''}", ''),
    check: {
      vitest: 'test/unit/history-journal.test.ts',
      test: 'a torn last line (a writer killed mid-line) is skipped, and does not swallow the next use',
    },
  },
  {
    protection: 'history: the journal is compacted at start',
    edits: one('electron/core/background.ts', 'await compactHistory(this.ctx);', ''),
    check: {
      vitest: 'test/integration/history.test.ts',
      test: 'is compacted at start once past its size: the last uses of the tokens still held',
    },
  },
  // ------------------------------------------------------------ delivery to CI secret stores
  {
    protection: 'delivery: the predecessor is revoked only once every target has the successor',
    edits: one('electron/core/delivery/deliveries.ts', '  if (failed.length) {', '  if (false) {'),
    check: {
      vitest: 'test/integration/delivery.test.ts',
      test: 'a connection cut mid-delivery fails that target, named; the predecessor stays',
    },
  },
  {
    protection: 'delivery: a target is kept only once its credential works there',
    edits: one('electron/core/delivery/deliveries.ts', '  await clients(target, credential).check();\n', ''),
    check: {
      vitest: 'test/integration/delivery.test.ts',
      test: 'a target is kept only once its credential works there; http only to this computer',
    },
  },
  {
    protection: 'delivery: a CI credential and a value travel over https (http to this computer only)',
    edits: one('electron/core/delivery/clients.ts', '  if (problem !== null) {', '  if (false) {'),
    check: {
      vitest: 'test/integration/delivery.test.ts',
      test: 'a target is kept only once its credential works there; http only to this computer',
    },
  },
  {
    protection: 'delivery: a retry delivers only where the successor is missing',
    edits: one(
      'electron/core/delivery/deliveries.ts',
      '    if (record.last?.ok && record.last.tokenName === successor) continue;\n',
      '',
    ),
    check: {
      vitest: 'test/integration/delivery.test.ts',
      test: 'rotate and deliver: a failing target keeps the predecessor until a retry delivers everywhere',
    },
  },
  {
    protection: 'delivery: a completed rotation moves the targets to the successor',
    edits: one(
      'electron/core/tokens/rotation.ts',
      '            d.tokenName = record.successor;',
      '            void d;',
    ),
    check: {
      vitest: 'test/integration/delivery.test.ts',
      test: 'rotate and deliver: a failing target keeps the predecessor until a retry delivers everywhere',
    },
  },
  // ------------------------------------------------------------ the command line
  {
    protection: 'cli: read prints a value to a terminal only with --reveal',
    edits: one(
      'electron/cli/read-policy.ts',
      '  if (!stdoutIsTerminal || reveal) return null;',
      '  return null;',
    ),
    check: {
      vitest: 'test/integration/cli-parts.test.ts',
      test: 'prints to a pipe or a file; to a terminal only with --reveal',
    },
  },
  {
    protection: "cli: run masks the value in the command's output",
    edits: one(
      'electron/cli/masker.ts',
      '      out.push(data.subarray(from, at), this.mask);',
      '      out.push(data.subarray(from, at), this.value);',
    ),
    check: {
      vitest: 'test/integration/cli-parts.test.ts',
      test: 'holds back only what could start the value, and lets it go at the end',
    },
  },
  {
    protection: 'cli: run masks a value split across writes',
    edits: one(
      'electron/cli/masker.ts',
      '    const keep = this.partialAtEnd(data, from);',
      '    const keep = 0;',
    ),
    check: {
      vitest: 'test/integration/cli-parts.test.ts',
      test: 'holds back only what could start the value, and lets it go at the end',
    },
  },
  {
    protection: 'cli: the data folder is read, never written (no temp removal)',
    edits: one(
      'electron/core/storage/metadata-store.ts',
      '    if (!this.readOnly) await removeAbandonedTemps(dirname(this.path), FILE_NAME);',
      '    await removeAbandonedTemps(dirname(this.path), FILE_NAME);',
    ),
    check: {
      vitest: 'test/unit/metadata-store-read-only.test.ts',
      test: 'reports an unreadable list where it is, without moving it aside',
    },
  },
];
