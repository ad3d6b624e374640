import { defineConfig } from 'vitest/config';

/**
 * The storage and HTTP test files of one engine share a worker's modules: importing the server once per
 * worker instead of once per file is minutes of the run. file-cleanup.ts undoes each file's servers.
 */
const SHARED_WORKER = { isolate: false, setupFiles: ['test/file-cleanup.ts'] };

/**
 * Storage and HTTP tests (test/) run once per engine; the pure domain's tests (src/) once; the packages'
 * tests (the repository's vitest.config.ts), the web app's (apps/web, its e2e journeys included), the SDK's
 * and the example shop's in the same run, so one summary counts every test and the two workers stay busy
 * to the end instead of waiting on one run after another.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default leaves a core idle; these tests wait on disks, sockets and child processes as much as on it.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      '../../vitest.config.ts',
      '../web/vitest.config.ts',
      '../../packages/sdk/vitest.config.ts',
      '../../examples/shop/vitest.config.ts',
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          ...SHARED_WORKER,
          // Several processes share a database only on PostgreSQL.
          exclude: ['test/cluster.test.ts'],
          env: { TEST_DATABASE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/**/*.test.ts'],
          ...SHARED_WORKER,
          // SQLite's own: its file's durability under SIGKILL, its WAL's checkpoints, its write lock, and the
          // zero-setting start on ./data. The sign-in throttles live in memory, whatever the engine, and each
          // guess costs a real scrypt hash.
          exclude: [
            'test/crash-safety.test.ts',
            'test/wal-checkpoints.test.ts',
            'test/sqlite-write-lock.test.ts',
            'test/start.test.ts',
            'test/sign-in.test.ts',
            'test/writer-failure.test.ts',
          ],
          env: { TEST_DATABASE: 'postgres' },
        },
      },
    ],
  },
});
