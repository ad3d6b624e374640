import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  postCallback,
  sign,
  signedCallback,
  signupHost,
  startServer,
  type TestServer,
  testEngine,
  trackIdFor,
} from './support.js';

/** A v2 body: the v1 canonical string with "&ts=<unix seconds>" appended, and ts in the body. */
function signedV2(apiKey: string, trackId: string, event: string, ts: number, remark?: string) {
  const v1 = `track_id=${trackId}&event=${event}${remark === undefined ? '' : `&remark=${remark}`}`;
  return {
    track_id: trackId,
    event,
    ...(remark === undefined ? {} : { remark }),
    ts,
    sign: sign(apiKey, `${v1}&ts=${ts}`),
  };
}

describe(`${testEngine}: v2 signatures`, () => {
  let server: TestServer;
  let fixture: GiveawayFixture;
  let trackId: string;
  const seconds = () => Math.floor(server.clock.now / 1000);
  const setVersion = (signatureVersion: unknown, token = fixture.host.token) =>
    server.request({
      method: 'PATCH',
      url: `/api/v1/projects/${fixture.projectId}`,
      headers: bearer(token),
      payload: { signatureVersion },
    });

  beforeAll(async () => {
    server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 100 }] });
    trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
  });

  it('verifies a v2 body on a project that has not opted in, and v1 bodies still', async () => {
    const project = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}`,
      headers: bearer(fixture.host.token),
    });
    expect(project.json().signatureVersion).toBe('v1');
    const v2 = await postCallback(
      server,
      signedV2(fixture.apiKey, trackId, 'like_article', seconds(), 'a-1'),
    );
    expect(v2.json()).toMatchObject({ code: 'recorded' });
    const v1 = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', 'a-2'));
    expect(v1.json()).toMatchObject({ code: 'recorded' });
  });

  it('takes ts as form text too', async () => {
    const body = signedV2(fixture.apiKey, trackId, 'like_article', seconds(), 'form-1');
    const res = await server.request({
      method: 'POST',
      url: '/api/callback',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...body, ts: String(body.ts) }).toString(),
    });
    expect(res.json()).toMatchObject({ code: 'recorded' });
  });

  it('refuses a ts more than five minutes away with 401 stale_timestamp, after the signature', async () => {
    for (const [skew, code] of [
      [-300, 'recorded'],
      [300, 'recorded'],
      [-301, 'stale_timestamp'],
      [301, 'stale_timestamp'],
    ] as const) {
      const res = await postCallback(
        server,
        signedV2(fixture.apiKey, trackId, 'like_article', seconds() + skew, `skew${skew}`),
      );
      expect(res.json().code).toBe(code);
      if (code === 'stale_timestamp') {
        expect(res.statusCode).toBe(401);
        expect(res.json().message).toMatch(/301 s (behind|ahead of) the server's clock/);
      }
    }
    // A forged signature learns nothing about the clock: it is a bad signature first.
    const forged = signedV2('f'.repeat(64), trackId, 'like_article', seconds() - 3600, 'x');
    expect((await postCallback(server, forged)).json().code).toBe('invalid_signature');
    const unknown = signedV2(fixture.apiKey, 'no-such-track', 'like_article', seconds() - 3600);
    expect((await postCallback(server, unknown)).statusCode).toBe(404);
  });

  it('names a ts sent but left out of the signature', async () => {
    const body = { ...signedCallback(fixture.apiKey, trackId, 'like_article', 'unsigned-ts'), ts: seconds() };
    const res = await postCallback(server, body);
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/ts, but the signature is over the string without it/);
  });

  it('refuses a captured v2 body sent again as v1, its ts moved into the remark, and counts nothing', async () => {
    const participant = await join(server, fixture.slug);
    const track = await trackIdFor(server, participant, fixture.tasks[0].id);
    const count = async () => {
      const me = await server.request({
        method: 'GET',
        url: `/api/v1/giveaways/${fixture.slug}/entries/me`,
        headers: bearer(participant.token),
      });
      return me.json().tasks[0].count as number;
    };
    const capturedAt = seconds() - 7200;
    for (const remark of ['order-42', '']) {
      const { ts: _, ...captured } = signedV2(fixture.apiKey, track, 'like_article', capturedAt, remark);
      const res = await postCallback(server, { ...captured, remark: `${remark}&ts=${capturedAt}` });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ ok: false, code: 'invalid_signature' });
      expect(res.json().message).toMatch(/only a v2 callback may sign it/);
    }
    expect(await count()).toBe(0);
    // The same remark with ts in the body is a v2 callback like any other.
    const dated = signedV2(fixture.apiKey, track, 'like_article', seconds(), 'order-42&ts=1');
    expect((await postCallback(server, dated)).json().code).toBe('recorded');
    expect(await count()).toBe(1);
  });

  it('lets the project require v2, refusing v1 bodies until it goes back', async () => {
    const other = await signupHost(server);
    expect((await setVersion('v2', other.token)).statusCode).toBe(404);
    expect((await setVersion('v3')).statusCode).toBe(400);

    const switched = await setVersion('v2');
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).toMatchObject({ id: fixture.projectId, signatureVersion: 'v2' });

    const v1 = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', 'req-1'));
    expect(v1.statusCode).toBe(401);
    expect(v1.json()).toMatchObject({ code: 'invalid_signature' });
    expect(v1.json().message).toMatch(/v2 signatures only/);
    const v2 = await postCallback(
      server,
      signedV2(fixture.apiKey, trackId, 'like_article', seconds(), 'req-2'),
    );
    expect(v2.json().code).toBe('recorded');

    expect((await setVersion('v1')).json().signatureVersion).toBe('v1');
    const again = await postCallback(
      server,
      signedCallback(fixture.apiKey, trackId, 'like_article', 'req-3'),
    );
    expect(again.json().code).toBe('recorded');
  });

  it('keeps a remark-less v2 body a duplicate until its ts is stale, even past a short replay window', async () => {
    const short = await startServer({ REPLAY_WINDOW_S: '10' });
    const giveaway = await liveGiveaway(short, { tasks: [{ event: 'like_article', requiredAmount: 100 }] });
    const track = await trackIdFor(short, await join(short, giveaway.slug), giveaway.tasks[0].id);
    const body = signedV2(giveaway.apiKey, track, 'like_article', Math.floor(short.clock.now / 1000));
    expect((await postCallback(short, body)).json().code).toBe('recorded');
    short.clock.advance(60_000);
    expect((await postCallback(short, body)).json().code).toBe('duplicate');
    short.clock.advance(241_000);
    expect((await postCallback(short, body)).json().code).toBe('stale_timestamp');
    // The v1 body of the same callback has no ts: past the window it counts again.
    const v1 = signedCallback(giveaway.apiKey, track, 'like_article');
    expect((await postCallback(short, v1)).json().code).toBe('recorded');
    short.clock.advance(11_000);
    expect((await postCallback(short, v1)).json().code).toBe('recorded');
  });
});
