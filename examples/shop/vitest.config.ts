import { defineConfig } from 'vitest/config';

/** The shop against the built server (a process of its own, on SQLite), driven in Debian's Chromium. */
export default defineConfig({
  test: {
    name: 'shop',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TEST_DATABASE: 'sqlite' },
  },
});
