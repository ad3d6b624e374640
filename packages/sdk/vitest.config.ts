import { defineConfig } from 'vitest/config';

/** Unit tests, and integration tests against the built server (in a process of its own) on SQLite. */
export default defineConfig({
  test: {
    name: 'sdk',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TEST_DATABASE: 'sqlite' },
  },
});
