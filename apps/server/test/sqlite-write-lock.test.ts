import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { bearer, signupHost, startServer } from './support.js';

const HOLD_MS = 300;

/**
 * Takes the database's write lock on a thread of its own, as the writer thread does while it commits a
 * group, and lets it go after `HOLD_MS`; resolves once the lock is held, with the thread's end.
 */
async function holdWriteLock(file: string): Promise<{ released: Promise<unknown> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const SQLite = require(workerData.driver);
     const db = new SQLite(workerData.file);
     db.exec('begin immediate');
     parentPort.postMessage('held');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('commit');
     db.close();`,
    {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, holdMs: HOLD_MS },
    },
  );
  const released = once(worker, 'exit');
  await once(worker, 'message');
  return { released };
}

describe("a host's change while the writer holds SQLite's write lock", () => {
  it('waits for the commit and goes through, even when it reads before it writes', async () => {
    const server = await startServer();
    const host = await signupHost(server);
    const created = await server.request({
      method: 'POST',
      url: '/api/v1/projects',
      headers: bearer(host.token),
      payload: { name: 'Example Shop' },
    });
    expect(created.statusCode).toBe(201);
    const projectId = (created.json() as { id: string }).id;

    // Deleting a project reads that the host owns it, then deletes: begun DEFERRED, its first write
    // would fail at once with "database is locked" instead of waiting for the lock.
    const { database } = server.services.config;
    if (database.engine !== 'sqlite') throw new Error('this test holds a SQLite lock: run it on SQLite');
    const lock = await holdWriteLock(database.file);
    const deleted = await server.request({
      method: 'DELETE',
      url: `/api/v1/projects/${projectId}`,
      headers: bearer(host.token),
    });
    await lock.released;
    expect(deleted.statusCode, deleted.body).toBe(204);

    const read = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${projectId}`,
      headers: bearer(host.token),
    });
    expect(read.statusCode).toBe(404);
  });
});
