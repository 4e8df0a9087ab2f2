/**
 * Every protection of the vault, written as the edit that removes it and the tests that must then
 * fail. `npm run mutation:check` applies each to a copy of the project and runs those tests: a
 * protection whose removal no test notices is reported as a survivor, and fails the run.
 */

export interface Edit {
  readonly file: string;
  /** Must occur exactly once in the file (so a stale entry is noticed, not silently skipped). */
  readonly find: string;
  readonly replace: string;
}

/** Which tests must go red. `packaged` builds the app and the package first; `e2e` builds the app. */
export type Check =
  | { readonly vitest: readonly string[] }
  | { readonly e2e: string; readonly grep?: string }
  | { readonly packaged: string; readonly grep?: string }
  | { readonly packageCheck: true };

export interface Mutant {
  readonly protection: string;
  readonly edits: readonly Edit[];
  readonly check: Check;
}

const one = (file: string, find: string, replace: string): readonly Edit[] => [{ file, find, replace }];

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
    check: { packaged: 'test/packaged/hardening.spec.ts', grep: 'does not navigate' },
  },
  {
    protection: 'links open only over https',
    edits: one('electron/main/external-links.ts', "parsed.protocol !== 'https:' || ", ''),
    check: { vitest: ['test/unit/trust.test.ts'] },
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
    check: { packaged: 'test/packaged/journey.spec.ts' },
  })),
  {
    protection: 'the sandbox for every renderer, before ready',
    edits: one('electron/main/index.ts', 'app.enableSandbox();', ''),
    check: { packaged: 'test/packaged/journey.spec.ts' },
  },
  {
    protection: 'web permissions are denied',
    edits: one('electron/main/index.ts', 'grant(false)', 'grant(true)'),
    check: { packaged: 'test/packaged/journey.spec.ts' },
  },
  {
    protection: 'web permission checks are denied',
    edits: one(
      'electron/main/index.ts',
      'setPermissionCheckHandler(() => false)',
      'setPermissionCheckHandler(() => true)',
    ),
    check: { packaged: 'test/packaged/journey.spec.ts' },
  },
  {
    protection: 'ELECTRON_RENDERER_URL only when not packaged',
    edits: one(
      'electron/main/app-protocol.ts',
      'return !packaged && dev ? dev : APP_URL;',
      'return dev ? dev : APP_URL;',
    ),
    check: { packaged: 'test/packaged/origin.spec.ts', grep: 'ignored' },
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
    check: { packaged: 'test/packaged/origin.spec.ts', grep: 'standard, secure' },
  },
  {
    protection: 'app:// answers its own host only',
    edits: one('electron/main/app-protocol.ts', ' || parsed.host !== APP_HOST', ''),
    check: { packaged: 'test/packaged/origin.spec.ts', grep: 'standard, secure' },
  },
  {
    protection: 'app:// sends the CSP as a header',
    edits: one('electron/main/app-protocol.ts', "'Content-Security-Policy': CONTENT_SECURITY_POLICY,", ''),
    check: { packaged: 'test/packaged/origin.spec.ts', grep: 'standard, secure' },
  },
  {
    protection: "the page's CSP",
    edits: one('renderer/index.html', 'http-equiv="Content-Security-Policy"', 'http-equiv="X-Removed"'),
    check: { e2e: 'test/e2e/exposure.spec.ts', grep: 'CSP' },
  },
  {
    protection: 'quitting clears the clipboard first',
    edits: one('electron/main/lifecycle.ts', 'void flushClipboard()', 'void Promise.resolve()'),
    check: { packaged: 'test/packaged/journey.spec.ts' },
  },
  {
    protection: 'a crash clears the clipboard',
    edits: one(
      'electron/main/crash-handler.ts',
      "flushClipboard().catch(() => log.warn('clipboard clear after a crash failed')),",
      'Promise.resolve(),',
    ),
    check: { packaged: 'test/packaged/crashes.spec.ts', grep: 'uncaught exception' },
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
    check: { vitest: ['test/unit/contract.test.ts'] },
  },
  {
    protection: 'errors reach the renderer redacted',
    edits: one('electron/core/ipc/dispatch.ts', 'message: redact(error.message)', 'message: error.message'),
    check: { vitest: ['test/unit/redact.test.ts'] },
  },
  {
    protection: 'token-shaped text is redacted',
    edits: one('electron/core/redact.ts', 'return text.replace(TOKEN_SHAPED, REDACTED);', 'return text;'),
    check: { vitest: ['test/unit/redact.test.ts'] },
  },
  {
    protection: 'server answers are capped',
    edits: one(
      'electron/core/sonarqube/client.ts',
      'const max = this.options.maxBodyBytes ?? MAX_BODY_BYTES;',
      'const max = Infinity;',
    ),
    check: { vitest: ['test/unit/body-cap.test.ts'] },
  },
  {
    protection: 'redirects are never followed',
    edits: one('electron/core/sonarqube/client.ts', "redirect: 'error',", "redirect: 'follow',"),
    check: { vitest: ['test/integration/fuzz-server-answers.test.ts'] },
  },
  {
    protection: 'keychain leftovers are found',
    edits: one('electron/core/vault/leftovers.ts', 'if (referenced.has(key)) continue;', 'continue;'),
    check: { vitest: ['test/integration/leftovers.test.ts'] },
  },
  {
    protection: 'vault.json is replaced atomically (temp file, rename)',
    edits: one(
      'electron/core/vault/metadata-store.ts',
      "const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;",
      'const temp = path;',
    ),
    check: { vitest: ['test/integration/kill-mid-write.test.ts'] },
  },
  {
    protection: 'keychain calls time out',
    edits: one(
      'electron/core/secrets/keytar-store.ts',
      'return await timeLimited(operation(this.keytar), this.timeoutMs);',
      'return await operation(this.keytar);',
    ),
    check: { vitest: ['test/unit/keychain-timeout.test.ts'] },
  },
  {
    protection: 'a value held for another token is not imported',
    edits: one('electron/core/vault/tokens.ts', 'await refuseHeldElsewhere(ctx, account, input);', ''),
    check: { vitest: ['test/integration/import-duplicates.test.ts'] },
  },
  {
    protection: 'stored accounts are checked when loaded',
    edits: one(
      'electron/core/vault/metadata-store.ts',
      'return (this.data = this.setAsideFailing(parsed.data));',
      'return (this.data = parsed.data);',
    ),
    check: { vitest: ['test/integration/stored-accounts.test.ts'] },
  },
  {
    protection: "a Cloud account's host is its region's",
    edits: one(
      'electron/core/vault/account-check.ts',
      'if (account.baseUrl !== cloudHosts[account.kind]) {',
      'if (false) {',
    ),
    check: { vitest: ['test/integration/stored-accounts.test.ts'] },
  },
  {
    protection: 'plain http to another computer needs consent',
    edits: one(
      'electron/core/sonarqube/regions.ts',
      "if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {",
      'if (false) {',
    ),
    check: { vitest: ['test/integration/stored-accounts.test.ts'] },
  },
  {
    protection: 'no credentials inside a server URL',
    edits: one('electron/core/sonarqube/regions.ts', 'if (url.username || url.password) {', 'if (false) {'),
    check: { vitest: ['test/unit/regions.test.ts'] },
  },
  {
    protection: 'values shown once are dropped after their time',
    edits: one('electron/core/once-values.ts', '() => this.held.delete(onceId)', '() => undefined'),
    check: { vitest: ['test/integration/stored-accounts.test.ts'] },
  },
  {
    protection: 'the clipboard is cleared only if it still holds our value',
    edits: one(
      'electron/core/clipboard-guard.ts',
      'if (digest(await this.clipboard.readText()) !== pending.digest) return;',
      '',
    ),
    check: { vitest: ['test/unit/clipboard-guard.test.ts'] },
  },
  {
    protection: 'the preview bridge checks the Host header (DNS rebinding)',
    edits: one('test/support/bridge.ts', 'if (request.headers.host !== new URL(origin).host)', 'if (false)'),
    check: { vitest: ['test/integration/bridge.test.ts'] },
  },
  {
    protection: 'the preview bridge needs its per-run key',
    edits: one(
      'test/support/bridge.ts',
      "if (requestOrigin !== origin || !sameKey(request.headers['x-vault-key'], key)) {",
      'if (requestOrigin !== origin) {',
    ),
    check: { vitest: ['test/integration/bridge.test.ts'] },
  },
];
