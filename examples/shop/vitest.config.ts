import { defineConfig } from 'vitest/config';

/** The shop against the built server (a process of its own, on SQLite), driven in Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The participant page (apps/web) is not on this branch yet: the end-to-end loop runs once it is.
    exclude: ['test/e2e.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TEST_DATABASE: 'sqlite' },
  },
});
