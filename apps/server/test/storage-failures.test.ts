import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { bearer, liveGiveaway, POSTGRES_ADMIN_URL, startServer, testEngine } from './support.js';

/** Input the database cannot take, and a database that cannot answer: 4xx and 503, never a 500. */

describe(`a NUL in the path or query (${testEngine})`, () => {
  it('is a 400 that names it, on every kind of route', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    const auth = bearer(fixture.host.token);
    for (const url of [
      '/api/v1/projects/prj_%00',
      '/api/v1/giveaways/gw_%00/participants',
      '/api/v1/giveaways/sl%00ug',
      '/api/v1/giveaways/sl%00ug/draw',
      '/go/task_%00',
      `/api/v1/projects/${fixture.projectId}/callbacks?limit=1&x=%00`,
    ]) {
      const res = await server.request({ url, headers: auth });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({
        ok: false,
        code: 'invalid_request',
        message: expect.stringMatching(/NUL/),
      });
    }
  });
});

describe(`a database that cannot answer (${testEngine})`, () => {
  it('fails reads with 503 and Retry-After, as the README says, not 500', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    if (testEngine === 'postgres') {
      // A database going down for maintenance: open connections cut, new ones refused.
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      const name = new URL(server.databaseUrl).pathname.slice(1);
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
      await admin.end();
    } else {
      // The file's connection goes away underneath the server (a disk unmounted, a handle closed).
      await server.db.destroy();
    }
    const res = await server.request({
      url: `/api/v1/projects/${fixture.projectId}`,
      headers: bearer(fixture.host.token),
    });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json()).toEqual({
      ok: false,
      code: 'unavailable',
      message: expect.stringMatching(/try again/),
    });
    expect(res.headers['retry-after']).toBe('1');
  });
});
