import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    // Keychain tests share one Secret Service; files run in parallel, tests in a file in order.
    pool: 'threads',
    // Threads start faster than forks. vitest's default is one fewer than the cores: one on a
    // 2-core machine. Most files wait on sockets, timers, child processes and the keychain, so three
    // share 2 cores well (49 s with two here, 46 s with three).
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
