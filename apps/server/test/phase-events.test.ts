import type { AddressInfo } from 'node:net';
import type { PublicGiveaway } from '@proofdrop/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type Event,
  type EventFollower,
  followEvents,
  type GiveawayFixture,
  join,
  liveGiveaway,
  type ParticipantFixture,
  startServer,
  type TestServer,
} from './support.js';

/**
 * The participant's stream carries the giveaway's public answer whenever it changes, so the participant
 * page follows the host's End and Draw, and the end of the schedule, without asking again.
 */

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startServer();
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});

const giveawayIn = (status: PublicGiveaway['status']) => (event: Event) =>
  event.event === 'giveaway' && (event.data as PublicGiveaway).status === status;

const streamUrl = (fixture: GiveawayFixture) => `${base}/api/v1/giveaways/${fixture.slug}/entries/me/events`;

/** A participant's stream of a live giveaway, once its first giveaway event (the current state) has come. */
async function participantStream(fixture: GiveawayFixture, fan?: ParticipantFixture): Promise<EventFollower> {
  const { token } = fan ?? (await join(server, fixture.slug));
  const stream = await followEvents(streamUrl(fixture), bearer(token));
  expect(stream.status).toBe(200);
  const first = await stream.next('the current state', (event) => event.event === 'giveaway');
  expect(first.data).toMatchObject({ slug: fixture.slug, status: 'live', endedAt: null });
  return stream;
}

const hostCall = (fixture: GiveawayFixture, method: 'POST' | 'PATCH', action: string, payload?: object) =>
  server.request({
    method,
    url: `/api/v1/giveaways/${fixture.giveawayId}${action}`,
    headers: bearer(fixture.host.token),
    ...(payload ? { payload } : {}),
  });

describe('the giveaway event on the participant stream', () => {
  it('comes at once when the host ends the giveaway, then when they draw it, as the public answer reads', async () => {
    const fixture = await liveGiveaway(server);
    const stream = await participantStream(fixture);

    expect((await hostCall(fixture, 'POST', '/end')).statusCode).toBe(200);
    const ended = await stream.next('the end', (event) => event.event === 'giveaway');
    const publicAnswer = await server.request({ method: 'GET', url: `/api/v1/giveaways/${fixture.slug}` });
    expect(ended.data).toEqual(publicAnswer.json());
    expect(ended.data).toMatchObject({ status: 'ended', endedAt: new Date(server.clock.now).toISOString() });

    expect((await hostCall(fixture, 'POST', '/draw')).statusCode).toBe(200);
    const drawn = await stream.next('the draw', (event) => event.event === 'giveaway');
    expect(drawn.data).toMatchObject({ status: 'drawn' });
    stream.close();
  });

  it('comes when endsAt arrives, by the server clock, and follows an endsAt the host moved', async () => {
    const fixture = await liveGiveaway(server, { endsInMs: 60_000 });
    const stream = await participantStream(fixture);

    const later = new Date(server.clock.now + 120_000).toISOString();
    expect((await hostCall(fixture, 'PATCH', '', { endsAt: later })).statusCode).toBe(200);
    const moved = await stream.next('the new end', (event) => event.event === 'giveaway');
    expect(moved.data).toMatchObject({ status: 'live', endsAt: later });

    server.clock.advance(120_000);
    const ended = await stream.next('the end by the clock', (event) => event.event === 'giveaway');
    // It ended when its end came, as a giveaway ended by hand has its time.
    expect(ended.data).toMatchObject({ status: 'ended', endsAt: later, endedAt: later });
    stream.close();
  });

  it('reaches every stream of the giveaway, and a stream opened later starts from the phase now', async () => {
    const fixture = await liveGiveaway(server, { endsInMs: 60_000 });
    const fans = [await join(server, fixture.slug), await join(server, fixture.slug)];
    const streams = await Promise.all(fans.map((fan) => participantStream(fixture, fan)));
    server.clock.advance(60_000);
    for (const [i, stream] of streams.entries()) {
      await stream.next(`the end, on stream ${i + 1}`, giveawayIn('ended'));
      stream.close();
    }

    const reopened = await followEvents(streamUrl(fixture), bearer(fans[0].token));
    await reopened.next('the current state, ended', giveawayIn('ended'));
    reopened.close();
  });
});
