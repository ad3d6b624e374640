import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type Event,
  followEvents,
  type GiveawayFixture,
  join,
  liveGiveaway,
  type ParticipantFixture,
  postCallback,
  readEvents,
  signedCallback,
  signupHost,
  startServer,
  step,
  type TestServer,
  trackIdFor,
} from './support.js';

let server: TestServer;
let base: string;
let fixture: GiveawayFixture;
let fan: ParticipantFixture;
let trackId: string;

beforeAll(async () => {
  server = await startServer();
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 2 }] });
  fan = await join(server, fixture.slug);
  trackId = await trackIdFor(server, fan, fixture.tasks[0].id);
});

describe('live progress for the participant', () => {
  it('sends the current state, then each change as it commits', async () => {
    const stream = await followEvents(`${base}/api/v1/giveaways/${fixture.slug}/entries/me/events`, {
      cookie: fan.cookie,
    });
    expect(stream.status).toBe(200);
    // Each callback waits for the event of the one before: changes that land while an event is still being
    // read are sent as one, the latest, so two callbacks at once could show as a single step.
    const progressAt = (count: number) => (e: Event) =>
      e.event === 'progress' && (e.data as { tasks: { count: number }[] }).tasks[0]?.count === count;
    await stream.next('the current state', progressAt(0));
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', 'a1'));
    await stream.next('the first like', progressAt(1));
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', 'a2'));
    expect((await stream.next('the second like', progressAt(2))).data).toMatchObject({ eligible: true });
    stream.close();
  });

  it('refuses a stream without the entry', async () => {
    const other = await liveGiveaway(server);
    const stranger = await join(server, other.slug);
    const { status } = await readEvents(
      `${base}/api/v1/giveaways/${fixture.slug}/entries/me/events`,
      bearer(stranger.token),
      () => true,
    );
    expect(status).toBe(401);
  });
});

describe('live callback log for the host', () => {
  it('ends when the host signs out everywhere: the stream was authorised by a session now gone', async () => {
    const own = await liveGiveaway(server);
    const auth = bearer(own.host.token);
    const stream = await followEvents(`${base}/api/v1/projects/${own.projectId}/callbacks/events`, auth);
    expect(stream.status).toBe(200);
    const revoked = await server.request({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke',
      headers: auth,
    });
    expect(revoked.statusCode).toBeLessThan(300);
    await step('the stream ends', stream.ended);
    const again = await server.request({ url: `/api/v1/projects/${own.projectId}/callbacks`, headers: auth });
    expect(again.statusCode).toBe(401);
  });

  it('ends when its project is deleted: nothing of it is left to follow, and its place is given back', async () => {
    const own = await liveGiveaway(server, { publish: false });
    const auth = bearer(own.host.token);
    const stream = await followEvents(`${base}/api/v1/projects/${own.projectId}/callbacks/events`, auth);
    expect(stream.status).toBe(200);
    const deleted = await server.request({
      method: 'DELETE',
      url: `/api/v1/projects/${own.projectId}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    await step('the stream ends', stream.ended);
  });

  it('streams new rows, and resumes after Last-Event-ID with exactly what was missed', async () => {
    const url = `${base}/api/v1/projects/${fixture.projectId}/callbacks/events`;
    const auth = bearer(fixture.host.token);
    const first = readEvents(url, auth, (events) => events.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', 'b1'));
    const seen = (await first).events;
    expect(seen[0]).toMatchObject({ event: 'callback', data: { code: 'duplicate', remark: 'b1' } });
    const lastId = seen[0]?.id as string;

    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', 'b2'));
    await postCallback(server, {
      ...signedCallback(fixture.apiKey, trackId, 'like_article', 'b3'),
      sign: '0'.repeat(64),
    });
    const resumed = await readEvents(
      url,
      { ...auth, 'last-event-id': lastId },
      (events) => events.length >= 2,
    );
    expect(resumed.events.map((e) => (e.data as { remark: string; code: string }).code)).toEqual([
      'duplicate',
      'invalid_signature',
    ]);
    expect(Number(resumed.events[0]?.id)).toBeGreaterThan(Number(lastId));
  });

  it('replays an absence of up to 1,000 rows whole, page after page', async () => {
    const own = await liveGiveaway(server);
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      project_id: own.projectId,
      received_at: server.clock.now,
      track_id: 'missed',
      event: 'sign_up',
      remark: String(i),
      code: 'unknown_event',
      detail: 'seeded',
      expected_canonical: null,
      hint: null,
    }));
    for (let from = 0; from < rows.length; from += 300) {
      await server.db
        .insertInto('callback_log')
        .values(rows.slice(from, from + 300))
        .execute();
    }
    const { events } = await readEvents(
      `${base}/api/v1/projects/${own.projectId}/callbacks/events`,
      { ...bearer(own.host.token), 'last-event-id': '0' },
      (seen) => seen.length >= 1000,
    );
    expect(events.map((e) => (e.data as { remark: string }).remark)).toEqual(rows.map((r) => r.remark));
  });

  it('shows another host nothing', async () => {
    const other = await signupHost(server);
    const { status } = await readEvents(
      `${base}/api/v1/projects/${fixture.projectId}/callbacks/events`,
      bearer(other.token),
      () => true,
    );
    expect(status).toBe(404);
  });
});

describe('operability', () => {
  it('is ready when the database answers and its migrations are current', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
  });

  it('exposes Prometheus metrics: callbacks by verdict, writer batches, queue and stream clients', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/proofdrop_callbacks_total\{code="recorded"\} [1-9]/);
    expect(text).toMatch(/proofdrop_callbacks_total\{code="invalid_signature"\} [1-9]/);
    expect(text).toMatch(/proofdrop_writer_batch_size_count [1-9]/);
    expect(text).toMatch(/proofdrop_writer_commit_seconds_bucket/);
    expect(text).toMatch(/proofdrop_writer_queue_depth \d/);
    expect(text).toMatch(/proofdrop_sse_clients \d/);
  });
});

describe('shutdown', () => {
  it('ends open live streams so that closing the server does not hang', async () => {
    const own = await startServer();
    await own.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(own.app.server.address() as AddressInfo).port}`;
    const giveaway = await liveGiveaway(own);
    const entrant = await join(own, giveaway.slug);
    // Open once both current states, the entry's and the giveaway's, have come.
    let opened = () => {};
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const reading = readEvents(
      `${url}/api/v1/giveaways/${giveaway.slug}/entries/me/events`,
      { cookie: entrant.cookie },
      (events) => {
        if (events.length >= 2) opened();
        return false;
      },
    );
    await open;
    await own.app.close();
    const { events } = await reading;
    expect(events.map((e) => e.event).sort()).toEqual(['giveaway', 'progress']);
  });
});
