import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: a test that passes takes no longer for it, and on a loaded machine (several
    // test files at once, other work) a migration test that takes 10 s alone can take 40 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files in one worker share its loaded modules instead of each importing the application
    // again: the suite needs about half the CPU time. Each file still builds its own simulator,
    // store and harness, and must not leave module state behind.
    isolate: false,
    // Most test files wait on sockets, child processes and simulated phases rather than the CPU:
    // three at a time finish sooner than vitest's default of one per core but one (1 here).
    maxWorkers: 3,
  },
});
