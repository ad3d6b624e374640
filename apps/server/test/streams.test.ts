import { describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  readEvents,
  startServer,
  type TestServer,
} from './support.js';

async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

/** Opens a stream and keeps it open until `close` is called; answers the status and, on a refusal, the body. */
async function open(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const body = res.ok ? undefined : ((await res.json()) as { ok: boolean; code: string; message: string });
  // Aborted by `close`, a pending read rejects: that is the close, not a failure.
  if (res.ok)
    void res.body
      ?.getReader()
      .read()
      .catch(() => {});
  return { status: res.status, headers: res.headers, body, close: () => controller.abort() };
}

const progressUrl = (base: string, fixture: GiveawayFixture) =>
  `${base}/api/v1/giveaways/${fixture.slug}/entries/me/events`;
const logUrl = (base: string, fixture: GiveawayFixture) =>
  `${base}/api/v1/projects/${fixture.projectId}/callbacks/events`;

describe('live streams', () => {
  it('carry the security headers every answer carries, as a live stream', async () => {
    const server = await startServer();
    const base = await listen(server);
    const fixture = await liveGiveaway(server);
    const fan = await join(server, fixture.slug);
    const stream = await open(progressUrl(base, fixture), bearer(fan.token));
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    expect(stream.headers.get('x-frame-options')).toBe('DENY');
    expect(stream.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    stream.close();
  });

  it('limits the streams one participant keeps open, and says so with a 429', async () => {
    const server = await startServer({ STREAMS_PER_PARTICIPANT: '2' });
    const base = await listen(server);
    const fixture = await liveGiveaway(server);
    const fan = await join(server, fixture.slug);
    const other = await join(server, fixture.slug);
    const first = await open(progressUrl(base, fixture), bearer(fan.token));
    const second = await open(progressUrl(base, fixture), bearer(fan.token));
    const third = await open(progressUrl(base, fixture), bearer(fan.token));
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(third.body).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(third.body?.message).toMatch(/participant already has 2 live streams open/);
    // Another participant is not affected, and a closed stream gives its place back.
    expect((await open(progressUrl(base, fixture), bearer(other.token))).status).toBe(200);
    first.close();
    await expect
      .poll(async () => (await open(progressUrl(base, fixture), bearer(fan.token))).status)
      .toBe(200);
  });

  it('limits the streams of one host, and of the whole process', async () => {
    const server = await startServer({ STREAMS_PER_HOST: '1', MAX_STREAMS: '2' });
    const base = await listen(server);
    const fixture = await liveGiveaway(server);
    const fan = await join(server, fixture.slug);
    expect((await open(logUrl(base, fixture), bearer(fixture.host.token))).status).toBe(200);
    const again = await open(logUrl(base, fixture), bearer(fixture.host.token));
    expect(again.status).toBe(429);
    expect(again.body?.message).toMatch(/host already has 1 live streams open/);
    expect((await open(progressUrl(base, fixture), bearer(fan.token))).status).toBe(200);
    const beyond = await open(progressUrl(base, fixture), bearer(fan.token));
    expect(beyond.status).toBe(429);
    expect(beyond.body?.message).toMatch(/this server has as many live streams open as it takes/);
  });

  it("keeps half of the process's streams for participants, whatever hosts open", async () => {
    const server = await startServer({ MAX_STREAMS: '4' });
    const base = await listen(server);
    const fixture = await liveGiveaway(server);
    const other = await liveGiveaway(server);
    expect((await open(logUrl(base, fixture), bearer(fixture.host.token))).status).toBe(200);
    expect((await open(logUrl(base, other), bearer(other.host.token))).status).toBe(200);
    const third = await open(logUrl(base, fixture), bearer(fixture.host.token));
    expect(third.status).toBe(429);
    expect(third.body?.message).toMatch(/as many hosts' live logs open as it takes \(half of MAX_STREAMS\)/);
    for (let i = 0; i < 2; i++) {
      const fan = await join(server, fixture.slug);
      expect((await open(progressUrl(base, fixture), bearer(fan.token))).status).toBe(200);
    }
  });

  it('tells a client too far behind to reload the log instead of replaying it', async () => {
    const server = await startServer();
    const base = await listen(server);
    const fixture = await liveGiveaway(server);
    const row = {
      project_id: fixture.projectId,
      received_at: server.clock.now,
      track_id: 'x',
      event: 'sign_up',
      remark: null,
      code: 'unknown_track_id',
      detail: 'no such track_id',
      expected_canonical: null,
      hint: null,
    };
    await server.db
      .insertInto('callback_log')
      .values(Array.from({ length: 1002 }, () => row))
      .execute();
    const [oldest] = await server.db
      .selectFrom('callback_log')
      .select('id')
      .where('project_id', '=', fixture.projectId)
      .orderBy('id')
      .limit(1)
      .execute();
    const far = await readEvents(
      logUrl(base, fixture),
      { ...bearer(fixture.host.token), 'last-event-id': String(oldest?.id) },
      (events) => events.length >= 1,
    );
    expect(far.events.map((e) => e.event)).toEqual(['resync']);

    const [recent] = await server.db
      .selectFrom('callback_log')
      .select('id')
      .where('project_id', '=', fixture.projectId)
      .orderBy('id', 'desc')
      .offset(3)
      .limit(1)
      .execute();
    const near = await readEvents(
      logUrl(base, fixture),
      { ...bearer(fixture.host.token), 'last-event-id': String(recent?.id) },
      (events) => events.length >= 3,
    );
    expect(near.events.map((e) => e.event)).toEqual(['callback', 'callback', 'callback']);
  });
});
