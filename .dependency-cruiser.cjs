// The house's layers, checked in the lint step (`npm run lint`): the contract and the shared code
// at the bottom, the core over them with storage and HTTP as its floor, then the edges (the
// Electron main process, the preload, the command line) and the renderer, which knows only the
// contract. No import cycle, type-only imports included. Each rule says why in its comment.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import ring makes a change anywhere in it a change everywhere: wire it through hooks.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contract-and-shared-at-the-bottom',
      comment: 'The contract and the shared code import nothing of the app (zod and each other only).',
      severity: 'error',
      from: { path: '^electron/(contract\\.ts|shared/)' },
      to: { path: '^(electron/(core|main|preload|cli)/|renderer/)' },
    },
    {
      name: 'core-is-electron-free',
      comment: 'The core runs in plain Node (tests, the command line): Electron comes in through ports.',
      severity: 'error',
      from: { path: '^electron/(core|cli|shared)/|^electron/contract\\.ts' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'core-imports-no-edge',
      comment: 'The edges (main, preload, cli) and the renderer stand on the core, never the other way.',
      severity: 'error',
      from: { path: '^electron/core/' },
      to: { path: '^(electron/(main|preload|cli)/|renderer/|test/)' },
    },
    {
      name: 'storage-is-the-floor',
      comment:
        'Storage (data files, keychain) imports no feature: only the base, the HTTP-free SonarQube URL rules it checks stored accounts by, the contract and shared code.',
      severity: 'error',
      from: { path: '^electron/core/storage/' },
      to: {
        path: '^electron/core/',
        pathNot:
          '^electron/core/(storage/|errors\\.ts|ports\\.ts|redact\\.ts|wording\\.ts|sonarqube/(regions|tls-fetch)\\.ts)',
      },
    },
    {
      name: 'http-is-the-floor',
      comment: 'The HTTP floor serves every client and knows none of them.',
      severity: 'error',
      from: { path: '^electron/core/http/' },
      to: {
        path: '^electron/core/',
        pathNot: '^electron/core/(http/|errors\\.ts|ports\\.ts|redact\\.ts|wording\\.ts)',
      },
    },
    {
      name: 'renderer-speaks-the-contract',
      comment:
        'The renderer reaches the vault only through window.vault and the contract (and pure shared code).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/', pathNot: '^electron/(contract\\.ts|shared/)' },
    },
    {
      name: 'renderer-has-no-node',
      comment: 'The renderer runs in a sandboxed page: no Node module.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'edges-stand-apart',
      comment:
        'The command line is another edge over the same core: it shares nothing with the Electron edge.',
      severity: 'error',
      from: { path: '^electron/cli/' },
      to: { path: '^electron/(main|preload)/' },
    },
  ],
  options: {
    // Type-only imports count: a type cycle couples files as much as a runtime one.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
