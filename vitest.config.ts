import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    // Keychain tests share one Secret Service; files run in parallel, tests in a file in order.
    pool: 'forks',
    // vitest's default is one fork fewer than the cores: one on a 2-core machine. Most files wait on
    // sockets, timers, child processes and the keychain, so two share 2 cores well.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
