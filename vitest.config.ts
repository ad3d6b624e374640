import { defineConfig } from 'vitest/config';

/** The packages' unit tests, and the checks that span the repository (test/). The server has its own. */
export default defineConfig({
  test: {
    name: 'packages',
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
