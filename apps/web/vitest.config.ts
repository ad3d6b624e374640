import { defineConfig } from 'vitest/config';

/**
 * The UI's pure logic (src/) and the end-to-end journeys in Chromium against the built server (e2e/). The
 * server's configuration runs this one as its `web` project, so `npm test` reports one summary.
 */
export default defineConfig({
  test: {
    name: 'web',
    pool: 'forks',
    // As the server's projects: vitest runs projects side by side only when their worker limits agree.
    maxWorkers: 2,
    include: ['src/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    // A journey waits on a browser, a server process and live updates, on a machine other suites share.
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
