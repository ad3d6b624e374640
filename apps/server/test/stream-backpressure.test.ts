import { once } from 'node:events';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  type ParticipantFixture,
  postCallback,
  readEvents,
  signedCallback,
  startServer,
  type TestServer,
  trackIdFor,
} from './support.js';

/**
 * A client that reads no more: past what the kernel holds for the connection (about 4 MB on loopback, send
 * and receive buffers together), whatever the server still writes waits in the server's memory.
 */
const KERNEL_BUFFERS_BYTES = 4 * 1024 * 1024;
/** What a stream may hold unsent for its client before it is cut off (event-stream.ts). */
const STREAM_LIMIT_BYTES = 1024 * 1024;

let server: TestServer;
let base: string;
let fixture: GiveawayFixture;
let fan: ParticipantFixture;
let trackId: string;

beforeAll(async () => {
  server = await startServer({ CALLBACK_RATE_PER_TRACK: '0', REJECTION_LOG_RATE: '0' });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  // Fifty tasks with long names: each progress event carries all of them, about 15 KB.
  fixture = await liveGiveaway(server, {
    tasks: Array.from({ length: 50 }, (_, i) => ({
      event: `task_${i}`,
      name: `Task ${i} `.padEnd(200, '·'),
      requiredAmount: 1_000_000,
    })),
  });
  fan = await join(server, fixture.slug);
  trackId = await trackIdFor(server, fan, fixture.tasks[0]?.id as string);
}, 60_000);

/**
 * A long remark, numbered, so that each callback counts once more. Its padding is a control character,
 * which JSON writes as six bytes: log rows of about 3 KB fill a connection's buffers in fewer callbacks.
 */
const remark = (n: number) => `${String(n).padStart(7, '0')}-`.padEnd(512, '\u0001');

const countedCallback = (n: number) =>
  postCallback(server, signedCallback(fixture.apiKey, trackId, 'task_0', remark(n)));

async function streamClients(): Promise<number> {
  const metrics = await server.request({ method: 'GET', url: '/metrics' });
  return Number(/^proofdrop_sse_clients (\d+)$/m.exec(metrics.body)?.[1]);
}

type RawEvent = { event: string; id: number | undefined; bytes: number };

/**
 * A stream read over a plain socket, which the test can stop reading. Each event is taken as it completes
 * (the chunk sizes of the HTTP framing fall between them), so that megabytes of them cost no more than
 * their reading.
 */
async function rawStream(path: string, token: string, headers: Record<string, string> = {}) {
  const socket: Socket = connect(Number(new URL(base).port), '127.0.0.1');
  await once(socket, 'connect');
  const events: RawEvent[] = [];
  let unread = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    const blocks = (unread + chunk).split('\n\n');
    unread = blocks.pop() ?? '';
    for (const block of blocks) {
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      if (event) events.push({ event, id: id === undefined ? undefined : Number(id), bytes: block.length });
    }
  });
  // A cut connection may end in a reset rather than an end: either way it is over.
  socket.on('error', () => {});
  const closed = once(socket, 'close');
  const lines = Object.entries({ host: 'localhost', authorization: `Bearer ${token}`, ...headers }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('')}\r\n`);
  return {
    socket,
    events,
    closed,
    /** The ids of the events received so far, in the order they came. */
    ids: () => events.flatMap((event) => (event.id === undefined ? [] : [event.id])),
    /** Waits until `done` says enough; fails if the stream ends first. */
    until: async (done: () => boolean) => {
      while (!done()) {
        if (socket.destroyed) throw new Error(`the stream ended after ${events.length} events`);
        await Promise.race([once(socket, 'data'), closed]);
      }
    },
  };
}

describe('a live stream whose client stops reading', () => {
  it('cuts off a progress stream more than 1 MB behind, and the server goes on answering', async () => {
    const stream = await rawStream(`/api/v1/giveaways/${fixture.slug}/entries/me/events`, fan.token);
    const firstProgress = () => stream.events.find((event) => event.event === 'progress');
    await stream.until(() => firstProgress() !== undefined);
    const eventBytes = firstProgress()?.bytes ?? 0;
    expect(eventBytes).toBeGreaterThan(10_000);
    stream.socket.pause();
    expect(await streamClients()).toBe(1);

    // Each counted callback is one more progress event, unless the next comes before it is read. Enough
    // for the kernel's buffers, the limit and twice over, many times over; the stream ends long before.
    const enough = (4 * (KERNEL_BUFFERS_BYTES + STREAM_LIMIT_BYTES)) / eventBytes;
    let sent = 0;
    while (sent < enough && (await streamClients()) > 0) {
      for (const end = sent + 20; sent < end; sent++)
        expect((await countedCallback(sent)).statusCode).toBe(200);
    }
    expect(await streamClients()).toBe(0);

    // Everything else still answers: readiness, callbacks, a new stream of the same participant.
    expect((await server.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await countedCallback(sent++)).statusCode).toBe(200);
    const again = await readEvents(
      `${base}/api/v1/giveaways/${fixture.slug}/entries/me/events`,
      bearer(fan.token),
      (events) => events.some((event) => event.event === 'progress'),
    );
    expect(again.status).toBe(200);
    expect(again.events.find((event) => event.event === 'progress')?.data).toMatchObject({
      participantId: fan.participantId,
    });

    // What was on its way still arrives, in order, and then the stream is over.
    stream.socket.resume();
    await stream.closed;
    const ids = stream.ids();
    expect(ids.length).toBeGreaterThan(1);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  }, 120_000);
});

describe('a live callback log whose client stops reading', () => {
  it('waits for it, then gives it every row in order, as it gives a client that keeps reading', async () => {
    const path = `/api/v1/projects/${fixture.projectId}/callbacks/events`;
    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=1`,
      headers: bearer(fixture.host.token),
    });
    const after = String(log.json().callbacks[0]?.id ?? 0);
    const slow = await rawStream(path, fixture.host.token, { 'last-event-id': after });
    await slow.until(() => slow.socket.bytesRead > 0);
    slow.socket.pause();
    // Numbered past the first test's callbacks, so that each counts.
    const numbered = (row: number) => countedCallback(1_000_000 + row);
    expect((await numbered(0)).statusCode).toBe(200);
    const rowBytes = JSON.stringify(
      (
        await server.request({
          method: 'GET',
          url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=1`,
          headers: bearer(fixture.host.token),
        })
      ).json().callbacks[0],
    ).length;
    // Half as much again as the kernel and the limit hold: a stream that wrote without waiting for its
    // client would be cut off before its last rows.
    const rows = Math.ceil((1.5 * (KERNEL_BUFFERS_BYTES + STREAM_LIMIT_BYTES)) / rowBytes);
    const reading = readEvents(
      `${base}${path}`,
      { ...bearer(fixture.host.token), 'last-event-id': after },
      (events) => events.length >= rows,
      120_000,
    );
    for (let next = 1; next < rows; next += 50) {
      const group = Array.from({ length: Math.min(50, rows - next) }, (_, i) => numbered(next + i));
      for (const res of await Promise.all(group)) expect(res.statusCode).toBe(200);
    }
    const { events } = await reading;
    const remarks = Array.from({ length: rows }, (_, row) => remark(1_000_000 + row));
    expect(events.map((e) => (e.data as { remark: string }).remark)).toEqual(remarks);
    slow.socket.resume();
    await slow.until(() => slow.ids().length >= rows);
    expect(slow.ids()).toEqual(events.map((e) => Number(e.id)));
    slow.socket.destroy();
  }, 180_000);
});
