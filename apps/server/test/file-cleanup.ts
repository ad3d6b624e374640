import { afterAll } from 'vitest';
import { runCleanups, testEngine } from './support.js';

/*
 * Runs before each test file. Test files share a worker's modules (isolate: false: importing the server
 * once per worker instead of once per file saves minutes), so support.ts loads once per worker and cannot
 * register a file's hooks itself: each file's servers, databases and mail servers are undone here, after it.
 */

// testEngine is read once per worker: a worker that ran one engine's files must never run the other's.
if (testEngine !== (process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite')) {
  throw new Error(`a ${testEngine} worker was given a ${process.env.TEST_DATABASE} test file`);
}

// Dropping a PostgreSQL database checkpoints, which takes seconds on a busy machine: a file with ten
// servers needs more than the default hook timeout.
afterAll(runCleanups, 120_000);
