import { beforeAll, describe, expect, it } from 'vitest';
import { updateProjectKeys } from '../src/projects/projects.repository.js';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  type ParticipantFixture,
  postCallback,
  sign,
  signedCallback,
  startServer,
  type TestServer,
  testEngine,
  trackIdFor,
} from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});

async function progress(fixture: GiveawayFixture, participant: ParticipantFixture) {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/giveaways/${fixture.slug}/entries/me`,
    headers: bearer(participant.token),
  });
  return res.json() as { eligible: boolean; tasks: { event: string; count: number; completed: boolean }[] };
}

async function callbackLog(fixture: GiveawayFixture, limit = 10) {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=${limit}`,
    headers: bearer(fixture.host.token),
  });
  return res.json().callbacks as {
    code: string;
    detail: string;
    trackId: string;
    remark: string | null;
    expectedCanonical: string | null;
    hint: string | null;
  }[];
}

describe('the callback answer table', () => {
  let fixture: GiveawayFixture;
  let participant: ParticipantFixture;
  let trackId: string;

  beforeAll(async () => {
    fixture = await liveGiveaway(server, {
      tasks: [{ event: 'sign_up' }, { event: 'like_article', requiredAmount: 3 }],
    });
    participant = await join(server, fixture.slug);
    trackId = await trackIdFor(server, participant, fixture.tasks[0].id);
  });

  it('200 recorded: counted, the task needs more, with progress', async () => {
    const res = await postCallback(
      server,
      signedCallback(fixture.apiKey, trackId, 'like_article', 'article-1'),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, code: 'recorded', progress: { count: 1, required: 3 } });
  });

  it('200 duplicate: the same (track_id, event, remark) again changes nothing', async () => {
    const res = await postCallback(
      server,
      signedCallback(fixture.apiKey, trackId, 'like_article', 'article-1'),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, code: 'duplicate', progress: { count: 1, required: 3 } });
    expect((await progress(fixture, participant)).tasks[1].count).toBe(1);
  });

  it('200 completed: the callback that completes the task, and further ones are duplicates', async () => {
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', 'article-2'));
    const done = await postCallback(
      server,
      signedCallback(fixture.apiKey, trackId, 'like_article', 'article-3'),
    );
    expect(done.json()).toMatchObject({
      ok: true,
      code: 'completed',
      progress: { count: 3, required: 3 },
      eligible: false,
    });
    const after = await postCallback(
      server,
      signedCallback(fixture.apiKey, trackId, 'like_article', 'article-4'),
    );
    expect(after.json()).toMatchObject({ ok: true, code: 'duplicate', progress: { count: 3, required: 3 } });
  });

  it('completing the last task makes the participant eligible', async () => {
    const res = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    expect(res.json()).toMatchObject({ code: 'completed', eligible: true });
    const me = await progress(fixture, participant);
    expect(me.eligible).toBe(true);
    expect(me.tasks.map((t) => [t.event, t.count, t.completed])).toEqual([
      ['sign_up', 1, true],
      ['like_article', 3, true],
    ]);
    const again = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    expect(again.json()).toMatchObject({ ok: true, code: 'duplicate' });
  });

  it('400 invalid_request: a malformed body', async () => {
    const res = await postCallback(server, { track_id: trackId, event: 'sign up', sign: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(res.json().message).toMatch(/event/);
  });

  it('401 invalid_signature: sign does not verify', async () => {
    const body = signedCallback('x'.repeat(64), trackId, 'sign_up');
    const res = await postCallback(server, body);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ ok: false, code: 'invalid_signature' });
    // A wrong key is not told from a remark signed but not sent: both are named, neither as the mistake.
    expect(res.json().message).toBe(
      "sign does not verify with this project's API key: check the key, and if you signed a remark, send it in the body too; the project's callback log shows the expected string",
    );
    const [row] = await callbackLog(fixture, 1);
    // The log shows the expected string beside its words: they do not send the reader to the log again.
    expect(row).toMatchObject({
      code: 'invalid_signature',
      hint: null,
      detail:
        "sign does not verify with this project's API key: check the key, and if you signed a remark, send it in the body too",
    });
  });

  it('404 unknown_track_id: no such track_id', async () => {
    const res = await postCallback(server, signedCallback(fixture.apiKey, 'no-such-track', 'sign_up'));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ ok: false, code: 'unknown_track_id' });
  });

  it('422 unknown_event: the event is not a task of that website in that giveaway', async () => {
    const res = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'deposit'));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ ok: false, code: 'unknown_event' });
  });

  it('413 payload_too_large and 415 unsupported_media_type', async () => {
    const big = await postCallback(server, {
      ...signedCallback(fixture.apiKey, trackId, 'sign_up'),
      sign: 'a'.repeat(20_000),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ ok: false, code: 'payload_too_large' });
    const text = await postCallback(server, 'track_id=x', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ ok: false, code: 'unsupported_media_type' });
  });

  it('checks the track_id before the signature and the signature before anything about the giveaway', async () => {
    const unsignedUnknownEvent = { track_id: trackId, event: 'no_such_task', sign: '0'.repeat(64) };
    expect((await postCallback(server, unsignedUnknownEvent)).json().code).toBe('invalid_signature');
    const unknownTrackBadSign = { track_id: 'nope', event: 'sign_up', sign: '0'.repeat(64) };
    expect((await postCallback(server, unknownTrackBadSign)).json().code).toBe('unknown_track_id');
  });

  it('logs every callback of the project, whatever its verdict, newest first', async () => {
    const log = await callbackLog(fixture, 50);
    const codes = log.map((l) => l.code);
    for (const code of [
      'recorded',
      'duplicate',
      'completed',
      'invalid_request',
      'invalid_signature',
      'unknown_event',
    ]) {
      expect(codes).toContain(code);
    }
    expect(log[0].code).toBe('invalid_signature');
    expect(JSON.stringify(log)).not.toContain(fixture.apiKey);
  });
});

describe('the giveaway must be live', () => {
  it('409 giveaway_not_live after endsAt passes, though nobody pressed end', async () => {
    const fixture = await liveGiveaway(server, { endsInMs: 60_000 });
    const participant = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, participant, fixture.tasks[0].id);
    server.clock.advance(61_000);
    const res = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ ok: false, code: 'giveaway_not_live' });
    expect((await progress(fixture, participant)).tasks[0].count).toBe(0);
  });

  it('409 giveaway_not_live after the host ends it', async () => {
    const fixture = await liveGiveaway(server);
    const participant = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, participant, fixture.tasks[0].id);
    const ended = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: bearer(fixture.host.token),
    });
    expect(ended.json().status).toBe('ended');
    const res = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    expect(res.json()).toMatchObject({ ok: false, code: 'giveaway_not_live' });
  });
});

describe('counted tasks', () => {
  it('counts each distinct remark once, and every remark-less callback', async () => {
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'purchase', requiredAmount: 4 }] });
    const participant = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, participant, fixture.tasks[0].id);
    const codes = [];
    for (const remark of ['order-1', 'order-1', undefined, '', 'order-2', 'order-3']) {
      codes.push(
        (await postCallback(server, signedCallback(fixture.apiKey, trackId, 'purchase', remark))).json().code,
      );
    }
    // An empty remark, as hosts' templates send when there is none, counts like a missing one.
    expect(codes).toEqual(['recorded', 'duplicate', 'recorded', 'recorded', 'completed', 'duplicate']);
    expect((await progress(fixture, participant)).tasks[0]).toMatchObject({ count: 4, completed: true });
  });

  it('counts the same remark separately for two participants and for two tasks', async () => {
    const fixture = await liveGiveaway(server, {
      tasks: [
        { event: 'like_article', requiredAmount: 2 },
        { event: 'share', requiredAmount: 2 },
      ],
    });
    const a = await join(server, fixture.slug);
    const b = await join(server, fixture.slug);
    const trackA = await trackIdFor(server, a, fixture.tasks[0].id);
    const trackB = await trackIdFor(server, b, fixture.tasks[0].id);
    for (const [track, event] of [
      [trackA, 'like_article'],
      [trackA, 'share'],
      [trackB, 'like_article'],
    ]) {
      const res = await postCallback(server, signedCallback(fixture.apiKey, track, event, 'post-9'));
      expect(res.json().code).toBe('recorded');
    }
  });
});

describe('signatures as hosts send them', () => {
  let fixture: GiveawayFixture;
  let trackId: string;
  beforeAll(async () => {
    fixture = await liveGiveaway(server, { tasks: [{ event: 'deposit', requiredAmount: 10 }] });
    trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
  });
  /** A rotation with an hour's grace for the key in use. */
  const rotate = () =>
    server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/api-key/rotate`,
      headers: bearer(fixture.host.token),
      payload: { graceHours: 1 },
    });

  it('accepts a remark-less body signed with or without "&remark="', async () => {
    const bare = {
      track_id: trackId,
      event: 'deposit',
      sign: sign(fixture.apiKey, `track_id=${trackId}&event=deposit`),
    };
    const templated = {
      track_id: trackId,
      event: 'deposit',
      sign: sign(fixture.apiKey, `track_id=${trackId}&event=deposit&remark=`),
    };
    expect((await postCallback(server, bare)).json().code).toBe('recorded');
    expect((await postCallback(server, templated)).json().code).toBe('recorded');
  });

  it('accepts uppercase hex', async () => {
    const body = signedCallback(fixture.apiKey, trackId, 'deposit', 'upper');
    expect((await postCallback(server, { ...body, sign: body.sign.toUpperCase() })).json().code).toBe(
      'recorded',
    );
  });

  it('accepts a form-encoded body, its values decoded before signing is checked', async () => {
    const remark = 'order=42&amount=19.99 ✓';
    const body = signedCallback(fixture.apiKey, trackId, 'deposit', remark);
    const res = await postCallback(server, new URLSearchParams(body).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().code).toBe('recorded');
  });

  it('keeps verifying the old key during its grace period after a rotation, then stops', async () => {
    const oldKey = fixture.apiKey;
    const rotated = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/api-key/rotate`,
      headers: bearer(fixture.host.token),
      payload: { graceHours: 1 },
    });
    const newKey = rotated.json().apiKey;
    expect(newKey).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(newKey).not.toBe(oldKey);
    expect(
      (await postCallback(server, signedCallback(oldKey, trackId, 'deposit', 'old-1'))).json().code,
    ).toBe('recorded');
    expect(
      (await postCallback(server, signedCallback(newKey, trackId, 'deposit', 'new-1'))).json().code,
    ).toBe('recorded');
    server.clock.advance(3_600_001);
    const late = await postCallback(server, signedCallback(oldKey, trackId, 'deposit', 'old-2'));
    expect(late.json().code).toBe('invalid_signature');
    fixture.apiKey = newKey;
  });

  // Held in place with a row lock: both rotations read the key, then wait to write it (PostgreSQL only,
  // where a write waits for a row lock; SQLite runs one transaction at a time).
  it.runIf(testEngine === 'postgres')(
    'answers two rotations at once with one new key and one 409, the original key kept in its grace',
    async () => {
      const original = fixture.apiKey;
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const holding = server.db.transaction().execute(async (tx) => {
        await tx
          .selectFrom('projects')
          .select('id')
          .where('id', '=', fixture.projectId)
          .forUpdate()
          .execute();
        await held;
      });
      const both = Promise.all([rotate(), rotate()]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await holding;
      const answers = await both;
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      const lost = answers.find((a) => a.statusCode === 409);
      expect(lost?.json()).toMatchObject({
        code: 'invalid_state',
        message: expect.stringMatching(/rotated meanwhile/),
      });
      const won = answers.find((a) => a.statusCode === 200)?.json().apiKey as string;
      for (const key of [original, won]) {
        const remark = `held-${key.slice(0, 6)}`;
        expect(
          (await postCallback(server, signedCallback(key, trackId, 'deposit', remark))).json().code,
        ).toBe('recorded');
      }
      fixture.apiKey = won;
    },
  );

  it('refuses a rotation that another beat to it, so no key it answers is one that never works', async () => {
    const stale = await server.db
      .selectFrom('projects')
      .select('api_key')
      .where('id', '=', fixture.projectId)
      .executeTakeFirstOrThrow();
    const first = await rotate();
    expect(first.statusCode).toBe(200);
    // The second rotation read the key before the first wrote: its write must not land.
    const lost = await updateProjectKeys(server.db, fixture.host.hostId, fixture.projectId, stale.api_key, {
      api_key: stale.api_key,
      previous_api_key: null,
      previous_key_expires_at: null,
    });
    expect(lost).toBe(false);
    // The project keeps the first rotation's key, and the original in its grace.
    const current = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}`,
      headers: bearer(fixture.host.token),
    });
    expect(current.json().apiKey).toBe(first.json().apiKey);
    fixture.apiKey = first.json().apiKey;
  });

  it('takes a grace period in fractions of an hour', async () => {
    const third = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/api-key/rotate`,
      headers: bearer(fixture.host.token),
      payload: { graceHours: 1 / 7 },
    });
    expect(third.statusCode, third.body).toBe(200);
    expect(third.json().previousKeyExpiresAt).toBe(
      new Date(Math.round(server.clock.now + 3_600_000 / 7)).toISOString(),
    );
    fixture.apiKey = third.json().apiKey;
  });

  it('logs the expected canonical string and names a known mistake, never the key', async () => {
    const body = signedCallback(fixture.apiKey, trackId, 'deposit', 'r-7');
    const swapped = sign(`track_id=${trackId}&event=deposit&remark=r-7`, fixture.apiKey);
    const res = await postCallback(server, { ...body, sign: swapped });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/swapped/);
    const [entry] = await callbackLog(fixture, 1);
    expect(entry).toMatchObject({
      code: 'invalid_signature',
      expectedCanonical: `track_id=${trackId}&event=deposit&remark=r-7`,
    });
    expect(entry.hint).toMatch(/swapped/);
    expect(JSON.stringify(entry)).not.toContain(fixture.apiKey);
  });

  it('names base64 instead of hex', async () => {
    const { createHmac } = await import('node:crypto');
    const canonical = `track_id=${trackId}&event=deposit&remark=b64`;
    const b64 = createHmac('sha256', fixture.apiKey).update(canonical).digest('base64');
    const res = await postCallback(server, { track_id: trackId, event: 'deposit', remark: 'b64', sign: b64 });
    expect(res.json().code).toBe('invalid_signature');
    expect((await callbackLog(fixture, 1))[0].hint).toMatch(/base64/);
  });

  it("names the host's other project whose key signed it, in the host's log and not in the answer", async () => {
    const staging = await liveGiveaway(server, { host: fixture.host });
    const renamed = await server.request({
      method: 'PATCH',
      url: `/api/v1/projects/${staging.projectId}`,
      headers: bearer(fixture.host.token),
      payload: { name: 'Shop (staging)' },
    });
    expect(renamed.statusCode).toBe(200);
    // Another project's keys are tried once a second for a project: the refusals above had their turn.
    server.clock.advance(1000);
    const res = await postCallback(server, signedCallback(staging.apiKey, trackId, 'deposit', 'wrong-key'));
    expect(res.statusCode).toBe(401);
    expect(res.json().message).not.toMatch(/staging|your project/);
    const [entry] = await callbackLog(fixture, 1);
    expect(entry.hint).toBe(
      'signed with the API key of your project "Shop (staging)", not this project\'s: sign with this project\'s key',
    );
    // Another host's key is no project of this host's: nothing to name.
    const stranger = await liveGiveaway(server);
    server.clock.advance(1000);
    await postCallback(server, signedCallback(stranger.apiKey, trackId, 'deposit', 'strange-key'));
    expect((await callbackLog(fixture, 1))[0].hint).toBeNull();
  });
});

describe('Check API callback', () => {
  it('gives a test track_id and link; a signed callback on it is verified, logged and counts nothing', async () => {
    const fixture = await liveGiveaway(server);
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/callback-test`,
      headers: bearer(fixture.host.token),
      payload: { event: 'sign_up' },
    });
    expect(res.statusCode).toBe(201);
    const { trackId, link } = res.json();
    expect(link).toBe(`https://shop.example/signup?ref=giveaway&track_id=${trackId}&send=sign_up#start`);
    const ok = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, code: 'verified' });
    expect(ok.json().message).toBe(
      'signature verified on a test track_id; nothing was counted, and event "sign_up" is a task of website "Site 0"',
    );
    // A wrong event name verifies too, since the signature is right, but is told apart from a task's.
    const typo = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'signup'));
    expect(typo.json()).toMatchObject({ ok: true, code: 'verified' });
    expect(typo.json().message).toBe(
      'signature verified on a test track_id; nothing was counted, but event "signup" is no task of website "Site 0" (its tasks\' events: sign_up): a participant\'s callback with it would be refused as unknown_event',
    );
    const bad = await postCallback(server, {
      ...signedCallback(fixture.apiKey, trackId, 'sign_up', 'x'),
      remark: 'y',
    });
    expect(bad.statusCode).toBe(401);
    const [failed, passed] = await callbackLog(fixture, 2);
    expect(passed).toMatchObject({ code: 'verified', trackId });
    expect(failed).toMatchObject({
      code: 'invalid_signature',
      expectedCanonical: `track_id=${trackId}&event=sign_up&remark=y`,
    });
  });

  it('asks for a website first when the project has none', async () => {
    const fixture = await liveGiveaway(server);
    const bare = await server.request({
      method: 'POST',
      url: '/api/v1/projects',
      headers: bearer(fixture.host.token),
      payload: { name: 'Empty' },
    });
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${bare.json().id}/callback-test`,
      headers: bearer(fixture.host.token),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/website/);
  });

  it('makes at most 100 test track_ids a day per project, then says so with a 429', async () => {
    const fixture = await liveGiveaway(server);
    const makeOne = () =>
      server.request({
        method: 'POST',
        url: `/api/v1/projects/${fixture.projectId}/callback-test`,
        headers: bearer(fixture.host.token),
      });
    for (let i = 0; i < 100; i++) expect((await makeOne()).statusCode).toBe(201);
    const refused = await makeOne();
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(refused.json().message).toMatch(/100 test track_ids in the last 24 hours/);
    server.clock.advance(86_400_001);
    expect((await makeOne()).statusCode).toBe(201);
  });
});

describe('CORS for the websites of the project', () => {
  let fixture: GiveawayFixture;
  let trackId: string;
  beforeAll(async () => {
    fixture = await liveGiveaway(server, { websiteUrls: ['https://cors-shop.example/join'] });
    trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
  });

  it('answers a preflight from a website origin', async () => {
    const res = await server.request({
      method: 'OPTIONS',
      url: '/api/callback',
      headers: {
        origin: 'https://cors-shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://cors-shop.example');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('content-type');
  });

  it('allows no other origin', async () => {
    const res = await server.request({
      method: 'OPTIONS',
      url: '/api/callback',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the website read the answer of its callback, and no other origin', async () => {
    const ok = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'), {
      origin: 'https://cors-shop.example',
    });
    expect(ok.json().code).toBe('completed');
    expect(ok.headers['access-control-allow-origin']).toBe('https://cors-shop.example');
    const other = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'), {
      origin: 'https://shop.example',
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the website read a rejection too', async () => {
    const res = await postCallback(server, 'x', {
      'content-type': 'text/plain',
      origin: 'https://cors-shop.example',
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['access-control-allow-origin']).toBe('https://cors-shop.example');
  });
});
