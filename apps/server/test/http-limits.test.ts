import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  type Event,
  join,
  liveGiveaway,
  postCallback,
  readEvents,
  signedCallback,
  startServer,
  type TestServer,
  trackIdFor,
} from './support.js';

async function listen(server: TestServer): Promise<number> {
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  return (server.app.server.address() as AddressInfo).port;
}

/** A raw connection that sends `text` and collects whatever comes back until the server closes it. */
async function rawRequest(port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk: Buffer) => {
    answer += chunk.toString('utf8');
  });
  socket.write(text);
  await once(socket, 'close');
  return answer;
}

/** The JSON body of a raw HTTP answer. */
function answerBody(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

const progress = (events: Event[]) => events.filter((event) => event.event === 'progress');

describe('HTTP limits', () => {
  it('answers 408 to a request whose body stops arriving, and closes its connection', async () => {
    const server = await startServer({ REQUEST_TIMEOUT_S: '1' });
    const port = await listen(server);
    const answer = await rawRequest(
      port,
      'POST /api/v1/auth/login HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"email":',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answerBody(answer)).toEqual({
      ok: false,
      code: 'request_timeout',
      message: 'the request did not arrive in time (REQUEST_TIMEOUT_S)',
    });
  });

  it("answers what Node's HTTP parser refuses, and a request without a Host, in the API's shape, with the security headers", async () => {
    const server = await startServer();
    const port = await listen(server);
    const cases = [
      ['GET /healthz HTTP/1.1\r\nhost: localhost\r\ncontent-length: abc\r\n\r\n', 400, 'invalid_request'],
      [
        'POST /api/v1/projects HTTP/1.1\r\nhost: localhost\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}',
        400,
        'invalid_request',
      ],
      ['GET /healthz HTTP/1.1\r\nconnection: close\r\n\r\n', 400, 'invalid_request'],
      [`GET /healthz?a=${'x'.repeat(70_000)} HTTP/1.1\r\nhost: localhost\r\n\r\n`, 431, 'headers_too_large'],
    ] as const;
    for (const [request, status, code] of cases) {
      const answer = await rawRequest(port, request);
      expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff');
      expect(answerBody(answer)).toMatchObject({ ok: false, code, message: expect.any(String) });
    }
  });

  it('answers a body over the limit with a 413 the sending client can read, not a reset', async () => {
    const server = await startServer();
    const port = await listen(server);
    for (const [path, size] of [
      ['/api/callback', 20_000_000],
      ['/api/v1/auth/signup', 20_000_000],
    ] as const) {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let answer = '';
      let failure: Error | undefined;
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString('utf8');
      });
      socket.on('error', (error) => {
        failure = error;
      });
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`,
      );
      // Sent as a client does, in pieces as fast as the connection takes them, while the answer comes back.
      const piece = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < size && !socket.destroyed) {
          sent += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', pump);
        }
      };
      pump();
      await once(socket, 'close');
      expect(failure).toBeUndefined();
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answerBody(answer)).toMatchObject({ ok: false, code: 'payload_too_large' });
    }
  });

  it('keeps a live stream open longer than the request timeout', async () => {
    const server = await startServer({ REQUEST_TIMEOUT_S: '1' });
    const port = await listen(server);
    const fixture = await liveGiveaway(server);
    const fan = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, fan, fixture.tasks[0]?.id as string);
    const reading = readEvents(
      `http://127.0.0.1:${port}/api/v1/giveaways/${fixture.slug}/entries/me/events`,
      bearer(fan.token),
      (events) => progress(events).length >= 2,
    );
    // Past the 1 s request timeout, and past Node's next check for late requests.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    const { status, events } = await reading;
    expect(status).toBe(200);
    expect(progress(events)).toHaveLength(2);
  });

  it('refuses connections beyond MAX_CONNECTIONS', async () => {
    const server = await startServer({ MAX_CONNECTIONS: '1' });
    const port = await listen(server);
    const first = connect(port, '127.0.0.1');
    await once(first, 'connect');
    first.write('GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n');
    await once(first, 'data');
    const second = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(second).toBe('');
    first.destroy();
  });
});

describe("the router's own refusals", () => {
  it('answer in the API error shape: a badly percent-encoded path, a path part longer than any id', async () => {
    const server = await startServer();
    for (const url of ['/go/%ZZ', '/api/v1/giveaways/%E0%A4%A', `/api/v1/giveaways/${'a'.repeat(101)}`]) {
      const res = await server.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ ok: false, code: 'invalid_request', message: expect.any(String) });
      expect(res.json().message).toMatch(/^a part of the address is /);
      // No hook runs for these, yet they carry the headers of every other answer.
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
    }
  });
});
