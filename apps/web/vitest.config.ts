import { defineConfig } from 'vitest/config';

/** Pure UI logic once (src/), and the end-to-end journeys in Chromium against the built server (e2e/). */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], testTimeout: 90_000, hookTimeout: 90_000 },
      },
    ],
  },
});
