import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    // Keychain tests share one Secret Service; files run in parallel, tests in a file in order.
    pool: 'forks',
  },
});
