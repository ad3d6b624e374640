import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  type ParticipantFixture,
  postCallback,
  signedCallback,
  signupHost,
  startServer,
  trackIdFor,
} from './support.js';

/**
 * "Every id in a path is checked against the caller: a host never reads or changes another host's data."
 * Host A builds a full project; host B (and callers without a host session) try every host route on A's ids.
 */

const server = await startServer();

const A_WEBSITE_URL = 'https://alpha-shop.example/signup?ref=giveaway';
const A_PARTICIPANT_EMAIL = 'alice.secret-entrant@alpha-mail.example';
const B_EMAIL = 'bob-intruder@example.com';

type Route = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: Record<string, unknown>;
};

let a: GiveawayFixture;
let aParticipant: ParticipantFixture;
let aTrackId: string;
let aTestTrackId: string;
let aDraftId: string;
let aDraftSlug: string;
let aProjectName: string;
let b: { token: string; hostId: string; cookie: string; projectId: string };

/** Every host route that takes one of A's ids in its path, with a body that passes validation. */
function routesOnA(): Route[] {
  const projectId = a.projectId;
  const websiteId = a.websites[0]?.id ?? '';
  return [
    { name: 'GET project', method: 'GET', url: `/api/v1/projects/${projectId}` },
    {
      name: 'rotate api-key',
      method: 'POST',
      url: `/api/v1/projects/${projectId}/api-key/rotate`,
      payload: { graceHours: 0 },
    },
    {
      name: 'add website',
      method: 'POST',
      url: `/api/v1/projects/${projectId}/websites`,
      payload: { name: 'Intruder site', url: 'https://intruder.example/landing' },
    },
    {
      name: 'create giveaway in project',
      method: 'POST',
      url: `/api/v1/projects/${projectId}/giveaways`,
      payload: {
        title: 'Hijacked Drop',
        winnerMode: 'lucky_draw',
        winnerCount: 1,
        tasks: [{ websiteId, event: 'sign_up', name: 'Sign up' }],
      },
    },
    { name: 'list project giveaways', method: 'GET', url: `/api/v1/projects/${projectId}/giveaways` },
    { name: 'GET giveaway by id', method: 'GET', url: `/api/v1/giveaways/${a.giveawayId}` },
    { name: 'GET draft giveaway by id', method: 'GET', url: `/api/v1/giveaways/${aDraftId}` },
    { name: 'publish draft', method: 'POST', url: `/api/v1/giveaways/${aDraftId}/publish` },
    { name: 'publish live giveaway', method: 'POST', url: `/api/v1/giveaways/${a.giveawayId}/publish` },
    { name: 'end live giveaway', method: 'POST', url: `/api/v1/giveaways/${a.giveawayId}/end` },
    { name: 'participants JSON', method: 'GET', url: `/api/v1/giveaways/${a.giveawayId}/participants` },
    {
      name: 'participants JSON (explicit)',
      method: 'GET',
      url: `/api/v1/giveaways/${a.giveawayId}/participants?format=json`,
    },
    {
      name: 'participants CSV',
      method: 'GET',
      url: `/api/v1/giveaways/${a.giveawayId}/participants?format=csv`,
    },
    { name: 'callbacks log', method: 'GET', url: `/api/v1/projects/${projectId}/callbacks?limit=50` },
    {
      name: 'callback-test',
      method: 'POST',
      url: `/api/v1/projects/${projectId}/callback-test`,
      payload: {},
    },
    {
      name: 'callback-test on a website of A',
      method: 'POST',
      url: `/api/v1/projects/${projectId}/callback-test`,
      payload: { websiteId, event: 'sign_up' },
    },
    {
      name: 'rename project',
      method: 'PATCH',
      url: `/api/v1/projects/${projectId}`,
      payload: { name: 'Mine' },
    },
    { name: 'delete project', method: 'DELETE', url: `/api/v1/projects/${projectId}` },
    {
      name: 'edit website',
      method: 'PATCH',
      url: `/api/v1/projects/${projectId}/websites/${websiteId}`,
      payload: { url: 'https://intruder.example/landing' },
    },
    { name: 'remove website', method: 'DELETE', url: `/api/v1/projects/${projectId}/websites/${websiteId}` },
    {
      name: 'edit draft',
      method: 'PATCH',
      url: `/api/v1/giveaways/${aDraftId}`,
      payload: { title: 'Hijacked Drop' },
    },
    {
      name: 'edit live giveaway',
      method: 'PATCH',
      url: `/api/v1/giveaways/${a.giveawayId}`,
      payload: { description: 'Hijacked' },
    },
    { name: 'delete draft', method: 'DELETE', url: `/api/v1/giveaways/${aDraftId}` },
    { name: 'entries page', method: 'GET', url: `/api/v1/giveaways/${a.giveawayId}/entries?search=alice` },
  ];
}

function send(route: Route, headers: Record<string, string>): Promise<LightMyRequestResponse> {
  return server.request({
    method: route.method,
    url: route.url,
    headers,
    ...(route.payload === undefined ? {} : { payload: route.payload }),
  });
}

/** Values of A that must never reach anyone else, in any answer. */
function secretsOfA(): Record<string, string> {
  return {
    apiKey: a.apiKey,
    participantEmail: A_PARTICIPANT_EMAIL,
    websiteUrl: A_WEBSITE_URL,
    websiteHost: 'alpha-shop.example',
    projectName: aProjectName,
    giveawayTitle: 'Summer Drop',
    slug: a.slug,
    draftSlug: aDraftSlug,
    trackId: aTrackId,
    testTrackId: aTestTrackId,
    participantId: aParticipant.participantId,
    participantToken: aParticipant.token,
    hostToken: a.host.token,
  };
}

function expectNoLeak(res: LightMyRequestResponse, label: string): void {
  for (const [what, value] of Object.entries(secretsOfA())) {
    expect(res.body.includes(value), `${label}: the body reveals A's ${what}`).toBe(false);
  }
}

function expectError(res: LightMyRequestResponse, status: number, code: string, label: string): void {
  expect({ label, status: res.statusCode, body: res.body }).toMatchObject({ label, status });
  expect(res.headers['content-type'], label).toMatch(/^application\/json/);
  expect(res.json(), label).toEqual({ ok: false, code, message: expect.any(String) });
}

beforeAll(async () => {
  const hostA = await signupHost(server);
  a = await liveGiveaway(server, {
    host: hostA,
    websiteUrls: [A_WEBSITE_URL],
    tasks: [{ event: 'sign_up' }, { event: 'like_article', requiredAmount: 3 }],
  });
  const authA = bearer(a.host.token);

  const project = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${a.projectId}`,
    headers: authA,
  });
  expect(project.statusCode).toBe(200);
  aProjectName = project.json().name;

  // A draft as well: publishing it is a change B could make if ownership were not checked.
  const draft = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${a.projectId}/giveaways`,
    headers: authA,
    payload: {
      title: 'Winter Drop',
      winnerMode: 'first_come',
      winnerCount: 1,
      tasks: [{ websiteId: a.websites[0]?.id, event: 'purchase', name: 'Buy something' }],
    },
  });
  expect(draft.statusCode).toBe(201);
  aDraftId = draft.json().id;
  aDraftSlug = draft.json().slug;

  aParticipant = await join(server, a.slug, A_PARTICIPANT_EMAIL);
  aTrackId = await trackIdFor(server, aParticipant, a.tasks[0]?.id ?? '');
  const callback = await postCallback(server, signedCallback(a.apiKey, aTrackId, 'sign_up'));
  expect(callback.statusCode).toBe(200);
  expect(callback.json().code).toBe('completed');

  const test = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${a.projectId}/callback-test`,
    headers: authA,
    payload: {},
  });
  expect(test.statusCode).toBe(201);
  aTestTrackId = test.json().trackId;

  // B signs up by hand to keep its session cookie too.
  const signup = await server.request({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: B_EMAIL, password: 'another long password' },
  });
  expect(signup.statusCode).toBe(201);
  const setCookie = signup.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
  expect(cookie).toMatch(/^pd_session=/);
  const bProject = await server.request({
    method: 'POST',
    url: '/api/v1/projects',
    headers: bearer(signup.json().token),
    payload: { name: 'Bravo Project' },
  });
  expect(bProject.statusCode).toBe(201);
  b = { token: signup.json().token, hostId: signup.json().host.id, cookie, projectId: bProject.json().id };
  await server.request({
    method: 'POST',
    url: `/api/v1/projects/${b.projectId}/websites`,
    headers: bearer(b.token),
    payload: { name: 'Bravo site', url: 'https://bravo.example/join' },
  });
});

describe('host B cannot reach host A', () => {
  it('the fixture is what A sees: A can use every route B is about to try', async () => {
    const authA = bearer(a.host.token);
    const participants = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${a.giveawayId}/participants?format=csv`,
      headers: authA,
    });
    expect(participants.statusCode).toBe(200);
    expect(participants.body).toContain(A_PARTICIPANT_EMAIL);
    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${a.projectId}/callbacks`,
      headers: authA,
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().callbacks.map((c: { trackId: string }) => c.trackId)).toContain(aTrackId);
  });

  it('every host route on an id of A answers 404 not_found to B, without revealing anything of A', async () => {
    for (const route of routesOnA()) {
      const res = await send(route, bearer(b.token));
      expectError(res, 404, 'not_found', `B bearer: ${route.name}`);
      expectNoLeak(res, `B bearer: ${route.name}`);
    }
  });

  it("B's session cookie gets the same 404 on every one of those routes", async () => {
    const origin = new URL(server.services.config.publicUrl).origin;
    for (const route of routesOnA()) {
      const res = await send(route, { cookie: b.cookie, origin });
      expectError(res, 404, 'not_found', `B cookie: ${route.name}`);
      expectNoLeak(res, `B cookie: ${route.name}`);
    }
  });

  it("an id of A that exists answers exactly like one that does not, so B cannot probe for A's ids", async () => {
    const real = await send(
      { name: 'real', method: 'GET', url: `/api/v1/projects/${a.projectId}` },
      bearer(b.token),
    );
    const fake = await send(
      { name: 'fake', method: 'GET', url: '/api/v1/projects/prj_DoesNotExist0000' },
      bearer(b.token),
    );
    expect(real.statusCode).toBe(fake.statusCode);
    expect(real.json()).toEqual(fake.json());
    const realGw = await send(
      { name: 'real', method: 'GET', url: `/api/v1/giveaways/${a.giveawayId}/participants` },
      bearer(b.token),
    );
    const fakeGw = await send(
      { name: 'fake', method: 'GET', url: '/api/v1/giveaways/gw_DoesNotExist00000/participants' },
      bearer(b.token),
    );
    expect(realGw.statusCode).toBe(fakeGw.statusCode);
    expect(realGw.json()).toEqual(fakeGw.json());
  });

  it("B's own lists hold nothing of A", async () => {
    const projects = await server.request({
      method: 'GET',
      url: '/api/v1/projects',
      headers: bearer(b.token),
    });
    expect(projects.statusCode).toBe(200);
    expect(projects.json().projects.map((p: { id: string }) => p.id)).toEqual([b.projectId]);
    expectNoLeak(projects, 'B: GET /api/v1/projects');

    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${b.projectId}/callbacks`,
      headers: bearer(b.token),
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().callbacks).toEqual([]);

    const giveaways = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${b.projectId}/giveaways`,
      headers: bearer(b.token),
    });
    expect(giveaways.statusCode).toBe(200);
    expect(giveaways.json().giveaways).toEqual([]);

    const me = await server.request({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(b.token) });
    expect(me.json()).toEqual({ id: b.hostId, email: B_EMAIL });
  });

  it("B cannot borrow A's website through its own project (ids in the body are checked too)", async () => {
    const websiteId = a.websites[0]?.id ?? '';
    const giveaway = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${b.projectId}/giveaways`,
      headers: bearer(b.token),
      payload: {
        title: 'Borrowed Drop',
        winnerMode: 'lucky_draw',
        winnerCount: 1,
        tasks: [{ websiteId, event: 'sign_up', name: 'Sign up on A' }],
      },
    });
    expect(giveaway.statusCode).toBeGreaterThanOrEqual(400);
    expect(giveaway.statusCode).toBeLessThan(500);
    expect(giveaway.json().ok).toBe(false);
    expectNoLeak(giveaway, "B: giveaway on A's website");

    const test = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${b.projectId}/callback-test`,
      headers: bearer(b.token),
      payload: { websiteId },
    });
    expectError(test, 404, 'not_found', "B: callback-test on A's website");
    expectNoLeak(test, "B: callback-test on A's website");
  });

  it("A's draft is invisible by slug to B as to anyone", async () => {
    const res = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${aDraftSlug}`,
      headers: bearer(b.token),
    });
    expectError(res, 404, 'not_found', 'B: draft by slug');
    expectNoLeak(res, 'B: draft by slug');
  });
});

describe('callers without a host session', () => {
  it('no credentials: every host route answers 401 unauthorized', async () => {
    for (const route of routesOnA()) {
      const res = await send(route, {});
      expectError(res, 401, 'unauthorized', `no token: ${route.name}`);
      expectNoLeak(res, `no token: ${route.name}`);
    }
    for (const url of ['/api/v1/projects', '/api/v1/auth/me']) {
      const res = await server.request({ method: 'GET', url });
      expectError(res, 401, 'unauthorized', `no token: GET ${url}`);
    }
  });

  it('an unknown or malformed bearer token is 401 too', async () => {
    for (const token of ['pds_not-a-real-session-token', 'garbage']) {
      for (const route of routesOnA()) {
        const res = await send(route, bearer(token));
        expectError(res, 401, 'unauthorized', `bad token ${token}: ${route.name}`);
      }
    }
    const unsignedCookie = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${a.projectId}`,
      headers: { cookie: `pd_session=${a.host.token}` },
    });
    expectError(unsignedCookie, 401, 'unauthorized', 'unsigned session cookie');
    expectNoLeak(unsignedCookie, 'unsigned session cookie');
  });

  it("a participant token (even A's own entrant's) is not a host token: 401", async () => {
    for (const route of routesOnA()) {
      const res = await send(route, bearer(aParticipant.token));
      expectError(res, 401, 'unauthorized', `participant bearer: ${route.name}`);
      expectNoLeak(res, `participant bearer: ${route.name}`);
    }
    for (const url of ['/api/v1/projects', '/api/v1/auth/me']) {
      const res = await server.request({ method: 'GET', url, headers: bearer(aParticipant.token) });
      expectError(res, 401, 'unauthorized', `participant bearer: GET ${url}`);
    }
    // The participant cookie is no host cookie either.
    const res = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${a.projectId}`,
      headers: { cookie: aParticipant.cookie },
    });
    expectError(res, 401, 'unauthorized', 'participant cookie on a host route');
  });

  it("a host token cannot act as a participant, not even on the host's own giveaway", async () => {
    for (const token of [a.host.token, b.token]) {
      const me = await server.request({
        method: 'GET',
        url: `/api/v1/giveaways/${a.slug}/entries/me`,
        headers: bearer(token),
      });
      expectError(me, 401, 'unauthorized', 'host token on entries/me');
      expectNoLeak(me, 'host token on entries/me');

      const visit = await server.request({
        method: 'POST',
        url: `/api/v1/tasks/${a.tasks[0]?.id}/visits`,
        headers: bearer(token),
      });
      expectError(visit, 401, 'unauthorized', 'host token on visits');
      expectNoLeak(visit, 'host token on visits');
    }
    const hostCookie = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${a.slug}/entries/me`,
      headers: { cookie: b.cookie },
    });
    expectError(hostCookie, 401, 'unauthorized', 'host cookie on entries/me');
  });

  it("A's entrant still sees their own progress (the 401s above are not a broken route)", async () => {
    const me = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${a.slug}/entries/me`,
      headers: bearer(aParticipant.token),
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().participantId).toBe(aParticipant.participantId);
  });
});

describe('afterwards', () => {
  it("after all of B's (and the anonymous callers') attempts, A's data is exactly as A left it", async () => {
    const authA = bearer(a.host.token);
    const project = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${a.projectId}`,
      headers: authA,
    });
    expect(project.statusCode).toBe(200);
    const body = project.json();
    expect(body.apiKey).toBe(a.apiKey);
    expect(body.previousKeyExpiresAt).toBeNull();
    expect(body.name).toBe(aProjectName);
    expect(body.websites.map((w: { url: string }) => w.url)).toEqual([A_WEBSITE_URL]);

    const live = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${a.giveawayId}`,
      headers: authA,
    });
    expect(live.statusCode).toBe(200);
    expect(live.json().status).toBe('live');
    expect(live.json().endedAt).toBeNull();
    expect(live.json().stats).toEqual({ entries: 1, eligible: 0 });

    const draft = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${aDraftId}`,
      headers: authA,
    });
    expect(draft.statusCode).toBe(200);
    expect(draft.json().status).toBe('draft');
    expect(draft.json().publishedAt).toBeNull();
    expect(draft.json().title).toBe('Winter Drop');
    expect(live.json().description).toBe('');

    const giveaways = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${a.projectId}/giveaways`,
      headers: authA,
    });
    expect(
      giveaways
        .json()
        .giveaways.map((g: { id: string }) => g.id)
        .sort(),
    ).toEqual([a.giveawayId, aDraftId].sort());

    // Only A's own Check API test id exists for A's project: B's attempts created none.
    const testIds = await server.db
      .selectFrom('track_ids')
      .select('track_id')
      .where('project_id', '=', a.projectId)
      .where('participant_id', 'is', null)
      .execute();
    expect(testIds.map((t) => t.track_id)).toEqual([aTestTrackId]);

    // The original key still signs: a retry of A's callback is a duplicate, not invalid_signature.
    const retry = await postCallback(server, signedCallback(a.apiKey, aTrackId, 'sign_up'));
    expect(retry.statusCode).toBe(200);
    expect(retry.json().code).toBe('duplicate');
    const counted = await postCallback(server, signedCallback(a.apiKey, aTrackId, 'like_article', 'post-1'));
    expect(counted.statusCode).toBe(200);
    expect(counted.json().code).toBe('recorded');
  });
});
