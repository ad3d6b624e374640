import { CALLBACK_LOG_SCAN, type CallbackLogEntry } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  postCallback,
  signedCallback,
  startServer,
  type TestServer,
  testEngine,
  trackIdFor,
  uniqueEmail,
} from './support.js';

type Page = {
  callbacks: CallbackLogEntry[];
  nextBefore: number | null;
  newestId: number;
  trackIds?: string[];
};

function readLog(server: TestServer, fixture: GiveawayFixture, query: string) {
  return server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}/callbacks?${query}`,
    headers: bearer(fixture.host.token),
  });
}

async function page(server: TestServer, fixture: GiveawayFixture, query: string): Promise<Page> {
  const res = await readLog(server, fixture, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Every page of a query, following nextBefore until it is null. */
async function allPages(server: TestServer, fixture: GiveawayFixture, query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let before: number | null = null;
  do {
    pages.push(await page(server, fixture, before === null ? query : `${query}&before=${before}`));
    before = pages.at(-1)?.nextBefore ?? null;
  } while (before !== null);
  return pages;
}

/** Two participants' callbacks, counted and refused, in a known order (oldest first). */
async function mixedLog(server: TestServer) {
  const fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 50 }] });
  const task = fixture.tasks[0].id;
  const aliceEmail = uniqueEmail('alice');
  const alice = await trackIdFor(server, await join(server, fixture.slug, aliceEmail), task);
  const bob = await trackIdFor(server, await join(server, fixture.slug), task);
  const sent = [
    signedCallback(fixture.apiKey, alice, 'like_article', 'a1'),
    { ...signedCallback(fixture.apiKey, bob, 'like_article', 'b1'), sign: 'ab'.repeat(32) },
    signedCallback(fixture.apiKey, bob, 'like_article', 'b2'),
    signedCallback(fixture.apiKey, alice, 'like_article', 'a1'),
    signedCallback(fixture.apiKey, alice, 'watch_video'),
    signedCallback(fixture.apiKey, alice, 'like_article', 'a2'),
    signedCallback(fixture.apiKey, 'no-such-track', 'like_article'),
  ];
  for (const body of sent) await postCallback(server, body);
  return { fixture, alice, aliceEmail, bob };
}

describe(`${testEngine}: the callback log, filtered and paged`, () => {
  it('pages through every row once, newest first, and says when none is left', async () => {
    const server = await startServer();
    const { fixture } = await mixedLog(server);
    const whole = await page(server, fixture, 'limit=50');
    expect(whole.nextBefore).toBeNull();
    expect(whole.callbacks.map((c) => c.code)).toEqual([
      'recorded',
      'unknown_event',
      'duplicate',
      'recorded',
      'invalid_signature',
      'recorded',
    ]);
    // Whatever the filter or the page, where a live view starts: the newest row of all.
    const newest = whole.callbacks[0]?.id;
    expect(whole.newestId).toBe(newest);
    expect((await page(server, fixture, 'outcome=refused&limit=1')).newestId).toBe(newest);
    const pages = await allPages(server, fixture, 'limit=4');
    expect(pages.map((p) => p.callbacks.length)).toEqual([4, 2]);
    expect(pages.flatMap((p) => p.callbacks)).toEqual(whole.callbacks);
  });

  it('keeps the rows of an outcome, a code or a track_id, and the rows that match all given', async () => {
    const server = await startServer();
    const { fixture, alice, bob } = await mixedLog(server);
    const codes = async (query: string) => (await page(server, fixture, query)).callbacks.map((c) => c.code);
    expect(await codes('outcome=refused')).toEqual(['unknown_event', 'invalid_signature']);
    expect(await codes('outcome=accepted')).toEqual(['recorded', 'duplicate', 'recorded', 'recorded']);
    expect(await codes('code=duplicate')).toEqual(['duplicate']);
    expect(await codes(`trackId=${bob}`)).toEqual(['recorded', 'invalid_signature']);
    expect(await codes(`trackId=${alice}&outcome=refused`)).toEqual(['unknown_event']);
    expect(await codes(`outcome=accepted&code=invalid_signature`)).toEqual([]);
    // A remark is how a host finds an order or an article: every callback that sent it.
    expect(await codes('remark=a1')).toEqual(['duplicate', 'recorded']);
    expect(await codes(`remark=b1&trackId=${bob}`)).toEqual(['invalid_signature']);
    expect(await codes('remark=nobody-sent-this')).toEqual([]);
    expect(await codes('trackId=no-such-track')).toEqual([]);

    const pages = await allPages(server, fixture, `limit=1&trackId=${alice}`);
    expect(pages.flatMap((p) => p.callbacks.map((c) => c.code))).toEqual([
      'recorded',
      'unknown_event',
      'duplicate',
      'recorded',
    ]);
    expect(pages.flatMap((p) => p.callbacks).every((c) => c.trackId === alice)).toBe(true);
  });

  it("finds a participant's callbacks by their email, in any case, and names the track_ids it stands for", async () => {
    const server = await startServer();
    const { fixture, alice, aliceEmail } = await mixedLog(server);
    const byEmail = await page(
      server,
      fixture,
      `email=${encodeURIComponent(` ${aliceEmail.toUpperCase()}`)}`,
    );
    expect(byEmail.callbacks.map((c) => c.code)).toEqual([
      'recorded',
      'unknown_event',
      'duplicate',
      'recorded',
    ]);
    expect(byEmail.trackIds).toEqual([alice]);
    const refused = await page(server, fixture, `email=${encodeURIComponent(aliceEmail)}&outcome=refused`);
    expect(refused.callbacks.map((c) => c.code)).toEqual(['unknown_event']);
    // The same address in another project, of this host or another, is that project's: not found here.
    const other = await liveGiveaway(server, { host: fixture.host, tasks: [{ event: 'like_article' }] });
    const elsewhere = await trackIdFor(server, await join(server, other.slug, aliceEmail), other.tasks[0].id);
    await postCallback(server, signedCallback(other.apiKey, elsewhere, 'like_article', 'x1'));
    expect((await page(server, fixture, `email=${encodeURIComponent(aliceEmail)}`)).trackIds).toEqual([
      alice,
    ]);
    expect((await page(server, other, `email=${encodeURIComponent(aliceEmail)}`)).trackIds).toEqual([
      elsewhere,
    ]);
    // An address with no entry in the project has no callbacks, and stands for no track_id.
    expect(await page(server, fixture, 'email=nobody%40example.com')).toMatchObject({
      callbacks: [],
      trackIds: [],
    });
  });

  it(`looks through ${CALLBACK_LOG_SCAN} rows a filtered read, and says where to read on`, async () => {
    const server = await startServer();
    const { fixture } = await mixedLog(server);
    const now = server.clock.now;
    const filler = Array.from({ length: CALLBACK_LOG_SCAN + 10 }, (_, i) => ({
      project_id: fixture.projectId,
      received_at: now + i,
      track_id: 'filler',
      event: 'like_article',
      remark: String(i),
      code: 'recorded',
      detail: 'counted',
      expected_canonical: null,
      hint: null,
    }));
    for (let i = 0; i < filler.length; i += 500) {
      await server.db
        .insertInto('callback_log')
        .values(filler.slice(i, i + 500))
        .execute();
    }
    const first = await page(server, fixture, 'outcome=refused');
    expect(first.callbacks).toEqual([]);
    expect(first.nextBefore).not.toBeNull();
    const rest = await allPages(server, fixture, `outcome=refused&before=${first.nextBefore}`);
    expect(rest.flatMap((p) => p.callbacks.map((c) => c.code))).toEqual([
      'unknown_event',
      'invalid_signature',
    ]);
    expect(rest.at(-1)?.nextBefore).toBeNull();
  });

  it('refuses a query it cannot read, naming the parameter, and another host gets 404', async () => {
    const server = await startServer();
    const { fixture } = await mixedLog(server);
    for (const [query, message] of [
      ['before=0', /before/],
      ['before=abc', /before/],
      ['before=99999999999999999999', /before/],
      ['code=not_found', /code must be a code a callback can be answered with/],
      ['outcome=maybe', /outcome must be one of accepted, refused/],
      ['code=nope', /code must be a code a callback can be answered with/],
      ['trackId=has%20space', /trackId must be a track_id/],
      ['remark=', /^query parameter remark is required$/],
      // A parameter given twice is named as such, not as a list of the wrong type.
      ['limit=1&limit=2', /^query parameter limit is given twice \(limit=1&limit=2\): give it once$/],
      [
        'trackId=a&outcome=refused&trackId=b&trackId=c',
        /^query parameter trackId is given 3 times \(trackId=a&trackId=b&trackId=c\): give it once$/,
      ],
      [
        'limit=1&limit=2&code=x&code=y',
        /^query parameter limit is given twice .*; query parameter code is given twice \(code=x&code=y\)/,
      ],
    ] as const) {
      const res = await readLog(server, fixture, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toMatchObject({
        ok: false,
        code: 'invalid_request',
        message: expect.stringMatching(message),
      });
    }
    const other = await liveGiveaway(server);
    const res = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/callbacks?outcome=refused`,
      headers: bearer(other.host.token),
    });
    expect(res.statusCode).toBe(404);
  });
});
