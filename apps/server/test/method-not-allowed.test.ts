import { beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer, testEngine } from './support.js';

describe(`a known address asked with a method it does not take (${testEngine})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });

  it('is a 405 that names the methods the address takes, in Allow and in words', async () => {
    for (const [method, url, allow] of [
      ['GET', '/api/callback', 'OPTIONS, POST'],
      ['PATCH', '/api/callback?track_id=x', 'OPTIONS, POST'],
      ['PUT', '/api/v1/features', 'GET, HEAD'],
      ['DELETE', '/healthz', 'GET, HEAD'],
      ['DELETE', '/api/v1/giveaways/gw_123/publish', 'POST'],
      ['PUT', '/api/v1/projects/prj_123', 'DELETE, GET, HEAD, PATCH'],
    ] as const) {
      const res = await server.request({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow, `${method} ${url}`).toBe(allow);
      expect(res.json()).toEqual({
        ok: false,
        code: 'method_not_allowed',
        message: `${url.split('?')[0]} takes ${allow.replaceAll(', ', ' or ')}, not ${method}`,
      });
      // Answered as every other answer is: the hooks ran.
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('leaves an address no route has, or a part too long for any id, a 404', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nothing-here'],
      ['PUT', '/api/v1/giveaways/gw_123/publish/again'],
      ['PUT', `/api/v1/giveaways/${'x'.repeat(200)}/publish`],
      // A route of this method that has nothing there: the API docs' files.
      ['GET', '/docs/static/nope.js'],
    ] as const) {
      const res = await server.request({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers.allow).toBeUndefined();
      expect(res.json()).toMatchObject({ ok: false, code: 'not_found' });
    }
  });
});
