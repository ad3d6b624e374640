import { defineConfig } from 'vitest/config';

/**
 * The packages' unit tests, and the checks that span the repository (test/). The server's configuration
 * runs this one as its `packages` project.
 */
export default defineConfig({
  test: {
    name: 'packages',
    // As the server's projects: vitest runs projects side by side only when their worker limits agree.
    maxWorkers: 2,
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
