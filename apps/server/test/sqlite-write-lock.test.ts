import { describe, expect, it } from 'vitest';
import { bearer, holdWriteLock, signupHost, startServer } from './support.js';

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
    const lock = await holdWriteLock(database.file, 300);
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
