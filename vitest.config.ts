import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Most test files wait on sockets, child processes and simulated phases rather than the CPU:
    // three at a time finish sooner than vitest's default of one per core but one (1 here).
    maxWorkers: 3,
  },
});
