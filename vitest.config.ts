import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const RENDERER = 'test/unit/renderer-*.test.ts';

export default defineConfig({
  // The path aliases of tsconfig.base.json (@core/*, @shared/*, @contract, @renderer/*).
  resolve: { tsconfigPaths: true },
  test: {
    environment: 'node',
    testTimeout: 15_000,
    // Keychain tests share one Secret Service; files run in parallel, tests in a file in order.
    // Forks, not threads: keytar (libsecret) in two threads of one process can crash it.
    // vitest's default is one fork fewer than the cores: one on a 2-core machine. Most files wait on
    // sockets, timers, child processes and the keychain, so three share 2 cores well.
    pool: 'forks',
    maxWorkers: Math.max(3, availableParallelism() - 1),
    projects: [
      // The renderer's store is one module-wide zustand store: each file gets its own.
      { extends: true, test: { name: 'renderer', include: [RENDERER] } },
      // The core keeps no state in its modules (each test makes its own core), so a fork keeps the
      // modules it loaded for its next file: zod, the clients and the core load once a fork, not
      // once a file (vitest 46 s -> 35-38 s here). The mutation check, which edits sources between
      // runs, isolates every run (VAULT_TEST_ISOLATE=1).
      {
        extends: true,
        test: {
          name: 'core',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: [RENDERER],
          isolate: process.env['VAULT_TEST_ISOLATE'] === '1',
        },
      },
    ],
  },
});
