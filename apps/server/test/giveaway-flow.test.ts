import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type HostFixture,
  join,
  liveGiveaway,
  postCallback,
  signedCallback,
  signupHost,
  startServer,
  type TestServer,
  trackIdFor,
} from './support.js';

let server: TestServer;
let host: HostFixture;
beforeAll(async () => {
  server = await startServer();
  host = await signupHost(server);
});

describe('creating a giveaway', () => {
  let projectId: string;
  let websiteId: string;
  let otherWebsiteId: string;

  beforeAll(async () => {
    const auth = bearer(host.token);
    projectId = (
      await server.request({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { name: 'P' } })
    ).json().id;
    websiteId = (
      await server.request({
        method: 'POST',
        url: `/api/v1/projects/${projectId}/websites`,
        headers: auth,
        payload: { name: 'Shop', url: 'https://shop.example/a' },
      })
    ).json().id;
    const other = (
      await server.request({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { name: 'Q' } })
    ).json();
    otherWebsiteId = (
      await server.request({
        method: 'POST',
        url: `/api/v1/projects/${other.id}/websites`,
        headers: auth,
        payload: { name: 'Elsewhere', url: 'https://else.example/' },
      })
    ).json().id;
  });

  const create = (payload: object) =>
    server.request({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/giveaways`,
      headers: bearer(host.token),
      payload: { title: 'T', winnerMode: 'lucky_draw', winnerCount: 1, ...payload },
    });

  it('creates a draft with its tasks, requiredAmount defaulting to 1', async () => {
    const res = await create({
      tasks: [
        { websiteId, event: 'like_article', name: 'Like 3 articles', requiredAmount: 3 },
        { websiteId, event: 'sign_up', name: 'Sign up' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'draft', slug: expect.stringMatching(/^t-[a-z0-9]{8}$/) });
    expect(body.id).toMatch(/^gw_/);
    expect(
      body.tasks.map((t: { event: string; requiredAmount: number }) => [t.event, t.requiredAmount]),
    ).toEqual([
      ['like_article', 3],
      ['sign_up', 1],
    ]);
  });

  it.each([
    ['an event with a space', { tasks: [{ websiteId: 'web_x', event: 'sign up', name: 'x' }] }, 400],
    [
      'a required amount of 0',
      { tasks: [{ websiteId: 'w', event: 'sign_up', name: 'x', requiredAmount: 0 }] },
      400,
    ],
    ['an unknown winner mode', { winnerMode: 'raffle', tasks: [] }, 400],
    [
      'endsAt before startsAt',
      { startsAt: '2030-02-01T00:00:00Z', endsAt: '2030-01-15T00:00:00Z', tasks: [] },
      400,
    ],
    ['endsAt in the past', { endsAt: '2020-01-01T00:00:00Z', tasks: [] }, 400],
    ['a time that is not one', { endsAt: 'next tuesday', tasks: [] }, 400],
  ])('refuses %s', async (_name, payload, status) => {
    const res = await create(payload);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ ok: false, code: 'invalid_request' });
  });

  it('refuses a task on a website of another project', async () => {
    const res = await create({ tasks: [{ websiteId: otherWebsiteId, event: 'sign_up', name: 'x' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toBe("task 1: the website is not one of this project's");
  });

  it('refuses the same event twice on one website, allows it on two', async () => {
    const twice = await create({
      tasks: [
        { websiteId, event: 'sign_up', name: 'a' },
        { websiteId, event: 'sign_up', name: 'b' },
      ],
    });
    expect(twice.statusCode).toBe(400);
  });

  it('refuses a website link that is not http(s)', async () => {
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/websites`,
      headers: bearer(host.token),
      payload: { name: 'x', url: 'javascript:alert(1)' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/http/);
  });
});

describe('lifecycle', () => {
  it('a draft is invisible to participants until published', async () => {
    const fixture = await liveGiveaway(server, { host, publish: false });
    expect(
      (await server.request({ method: 'GET', url: `/api/v1/giveaways/${fixture.slug}` })).statusCode,
    ).toBe(404);
    const entry = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.slug}/entries`,
      payload: { email: 'early@example.com' },
    });
    expect(entry.statusCode).toBe(404);
    const published = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
      headers: bearer(host.token),
    });
    expect(published.json()).toMatchObject({ status: 'live', stats: { entries: 0, eligible: 0 } });
    const page = await server.request({ method: 'GET', url: `/api/v1/giveaways/${fixture.slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ status: 'live', title: 'Summer Drop' });
    expect(page.json().id).toBeUndefined();
    expect(page.json().projectId).toBeUndefined();
  });

  it('publishing twice or ending a draft is a 409', async () => {
    const fixture = await liveGiveaway(server, { host, publish: false });
    const auth = bearer(host.token);
    const end = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: auth,
    });
    expect(end.statusCode).toBe(409);
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
      headers: auth,
    });
    const again = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
      headers: auth,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ok: false, code: 'invalid_state' });
  });

  it('publishes a draft that a publish interrupted before this version left with a draw row', async () => {
    const fixture = await liveGiveaway(server, { host, publish: false });
    await server.db
      .insertInto('giveaway_draws')
      .values(server.services.draws.newDrawRow(fixture.giveawayId, false))
      .execute();
    const published = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
      headers: bearer(host.token),
    });
    expect(published.statusCode).toBe(200);
    const proof = await server.request({ method: 'GET', url: `/api/v1/giveaways/${fixture.slug}/draw` });
    expect(proof.json().commitment).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes no entry before startsAt nor after endsAt', async () => {
    const auth = bearer(host.token);
    const fixture = await liveGiveaway(server, { host, publish: false });
    const project = fixture.projectId;
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${project}/giveaways`,
      headers: auth,
      payload: {
        title: 'Later',
        winnerMode: 'first_come',
        winnerCount: 1,
        startsAt: new Date(server.clock.now + 60_000).toISOString(),
        endsAt: new Date(server.clock.now + 120_000).toISOString(),
        tasks: [],
      },
    });
    const later = res.json();
    await server.request({ method: 'POST', url: `/api/v1/giveaways/${later.id}/publish`, headers: auth });
    const enter = () =>
      server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${later.slug}/entries`,
        payload: { email: `e${server.clock.now}@x.io` },
      });
    const early = await enter();
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'giveaway_not_live',
      message: expect.stringMatching(/not started/),
    });
    server.clock.advance(60_000);
    expect((await enter()).statusCode).toBe(201);
    server.clock.advance(60_000);
    const late = await enter();
    expect(late.json()).toMatchObject({ code: 'giveaway_not_live', message: expect.stringMatching(/ended/) });
    const view = await server.request({ method: 'GET', url: `/api/v1/giveaways/${later.id}`, headers: auth });
    expect(view.json()).toMatchObject({ status: 'ended', stats: { entries: 1, eligible: 1 } });
  });
});

describe('participants and track links', () => {
  it('one entry per email, in any case', async () => {
    const fixture = await liveGiveaway(server, { host });
    await join(server, fixture.slug, 'Fan@Example.com');
    const again = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.slug}/entries`,
      payload: { email: ' fan@example.COM ' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ok: false, code: 'already_entered' });
  });

  it('reuses one track_id per participant and website, and keeps the link query and hash', async () => {
    const fixture = await liveGiveaway(server, {
      host,
      websiteUrls: ['https://shop.example/signup?ref=giveaway#start', 'https://game.example/play'],
      tasks: [{ event: 'sign_up' }, { event: 'deposit' }, { event: 'play_game', website: 1 }],
    });
    const participant = await join(server, fixture.slug);
    const visit = async (taskId: string) =>
      (
        await server.request({
          method: 'POST',
          url: `/api/v1/tasks/${taskId}/visits`,
          headers: bearer(participant.token),
        })
      ).json() as { trackId: string; url: string };
    const first = await visit(fixture.tasks[0].id);
    expect(first.trackId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.url).toBe(
      `https://shop.example/signup?ref=giveaway&track_id=${first.trackId}&send=sign_up#start`,
    );
    expect((await visit(fixture.tasks[0].id)).trackId).toBe(first.trackId);
    const sameSite = await visit(fixture.tasks[1].id);
    expect(sameSite).toEqual({
      trackId: first.trackId,
      url: `https://shop.example/signup?ref=giveaway&track_id=${first.trackId}&send=deposit#start`,
    });
    const otherSite = await visit(fixture.tasks[2].id);
    expect(otherSite.trackId).not.toBe(first.trackId);
    expect(otherSite.url).toBe(`https://game.example/play?track_id=${otherSite.trackId}&send=play_game`);

    const someoneElse = await join(server, fixture.slug);
    expect(await trackIdFor(server, someoneElse, fixture.tasks[0].id)).not.toBe(first.trackId);
  });

  it('GET /go/:taskId redirects the participant by cookie, and explains itself without one', async () => {
    const fixture = await liveGiveaway(server, { host });
    const participant = await join(server, fixture.slug);
    const go = await server.request({
      method: 'GET',
      url: `/go/${fixture.tasks[0].id}`,
      headers: { cookie: participant.cookie },
    });
    expect(go.statusCode).toBe(302);
    const trackId = await trackIdFor(server, participant, fixture.tasks[0].id);
    expect(go.headers.location).toBe(
      `https://shop.example/signup?ref=giveaway&track_id=${trackId}&send=sign_up#start`,
    );

    const anonymous = await server.request({ method: 'GET', url: `/go/${fixture.tasks[0].id}` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/text\/html/);
    expect(anonymous.body).toContain('<h1>Join the giveaway first</h1>');
    expect(anonymous.body).toContain(`<a href="/g/${fixture.slug}">Back to the giveaway</a>`);
    const unknown = await server.request({
      method: 'GET',
      url: '/go/task_nope',
      headers: { cookie: participant.cookie },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('<h1>This task link does not exist</h1>');
    expect(unknown.body).not.toContain('Back to the giveaway');
    const forged = await server.request({
      method: 'GET',
      url: `/go/${fixture.tasks[0].id}`,
      headers: { cookie: participant.cookie.replace(/\.[^.]*$/, '.forged') },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('GET /go/:taskId answered from the cache keeps every rule of the first click', async () => {
    const a = await liveGiveaway(server, { host, endsInMs: 3_000 });
    // A second giveaway of the same project on the same website: a participant of the first has a
    // track_id there, which must not open the second's task.
    const created = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${a.projectId}/giveaways`,
      headers: bearer(host.token),
      payload: {
        title: 'Winter Drop',
        winnerMode: 'lucky_draw',
        winnerCount: 1,
        tasks: [{ websiteId: a.websites[0]?.id, event: 'sign_up', name: 'Sign up' }],
      },
    });
    const b = created.json();
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${b.id}/publish`,
      headers: bearer(host.token),
    });
    const fan = await join(server, a.slug);
    const other = await join(server, b.slug);
    const go = (taskId: string, headers: Record<string, string>) =>
      server.request({ method: 'GET', url: `/go/${taskId}`, headers });
    const redirects = async () =>
      Number(
        /proofdrop_track_links_total\{status="302"\} (\d+)/.exec(
          (await server.request({ method: 'GET', url: '/metrics' })).body,
        )?.[1] ?? 0,
      );
    const before = await redirects();
    // The first clicks read the task, the token, the schedule and the track_id; these are then cached.
    const first = await go(a.tasks[0].id, { cookie: fan.cookie });
    expect((await go(b.tasks[0].id, bearer(other.token))).statusCode).toBe(302);
    for (const headers of [{ cookie: fan.cookie }, bearer(fan.token)]) {
      const again = await go(a.tasks[0].id, headers);
      expect(again.statusCode).toBe(302);
      expect(again.headers.location).toBe(first.headers.location);
    }
    expect(await redirects()).toBe(before + 4);

    // The other giveaway's task, by token and by a cookie that holds no entry of that giveaway.
    for (const headers of [bearer(fan.token), { cookie: fan.cookie }]) {
      const refused = await go(b.tasks[0].id, headers);
      expect(refused.statusCode).toBe(401);
      expect(refused.body).toContain('<h1>Join the giveaway first</h1>');
    }
    // Past its end as the clock reads it, while its schedule is still cached (for 5 s) and open.
    server.clock.now += 3_001;
    const closed = await go(a.tasks[0].id, { cookie: fan.cookie });
    expect(closed.statusCode).toBe(409);
    expect(closed.body).toContain('<h1>This giveaway is not open</h1>');
    expect(await redirects()).toBe(before + 4);
  });

  it("a draft's replaced or deleted tasks are gone from the track links, even after a click read them", async () => {
    const draft = await liveGiveaway(server, { host, publish: false });
    const [replaced] = draft.tasks;
    // A click on the draft's link (the host trying it) reads the task.
    const early = await server.request({ method: 'GET', url: `/go/${replaced?.id}` });
    expect(early.statusCode).toBe(401);
    const edited = await server.request({
      method: 'PATCH',
      url: `/api/v1/giveaways/${draft.giveawayId}`,
      headers: bearer(host.token),
      payload: { tasks: [{ websiteId: draft.websites[0]?.id, event: 'deposit', name: 'Deposit' }] },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const published = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${draft.giveawayId}/publish`,
      headers: bearer(host.token),
    });
    expect(published.statusCode).toBe(200);
    const fan = await join(server, draft.slug);

    const stale = await server.request({
      method: 'GET',
      url: `/go/${replaced?.id}`,
      headers: { cookie: fan.cookie },
    });
    expect(stale.statusCode).toBe(404);
    expect(stale.body).toContain('<h1>This task link does not exist</h1>');
    const [deposit] = edited.json().tasks as { id: string }[];
    const current = await server.request({
      method: 'GET',
      url: `/go/${deposit?.id}`,
      headers: { cookie: fan.cookie },
    });
    expect(current.statusCode).toBe(302);
    expect(current.headers.location).toContain('send=deposit');

    // A deleted draft's link, read by a click before, names nothing either.
    const deleted = await liveGiveaway(server, { host, publish: false });
    const link = `/go/${deleted.tasks[0]?.id}`;
    expect((await server.request({ method: 'GET', url: link })).statusCode).toBe(401);
    const removed = await server.request({
      method: 'DELETE',
      url: `/api/v1/giveaways/${deleted.giveawayId}`,
      headers: bearer(host.token),
    });
    expect(removed.statusCode).toBe(204);
    expect((await server.request({ method: 'GET', url: link })).statusCode).toBe(404);
  });

  it('follows a website link that another process changed within 5 s, should its notice be lost', async () => {
    const fixture = await liveGiveaway(server, { host });
    const fan = await join(server, fixture.slug);
    const go = () =>
      server.request({ method: 'GET', url: `/go/${fixture.tasks[0]?.id}`, headers: bearer(fan.token) });
    expect((await go()).headers.location).toMatch(/^https:\/\/shop\.example\/signup/);
    // Committed as another process would, without the notice this process would hear.
    await server.db
      .updateTable('websites')
      .set({ url: 'https://moved.example/join' })
      .where('id', '=', fixture.websites[0]?.id as string)
      .execute();
    server.clock.now += 5_000;
    const moved = await go();
    expect(moved.statusCode).toBe(302);
    expect(moved.headers.location).toMatch(/^https:\/\/moved\.example\/join\?track_id=/);
  });

  it('entries/me by cookie, and a participant of one giveaway cannot read another', async () => {
    const a = await liveGiveaway(server, { host });
    const b = await liveGiveaway(server, { host });
    const participant = await join(server, a.slug);
    const me = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${a.slug}/entries/me`,
      headers: { cookie: participant.cookie },
    });
    expect(me.json()).toMatchObject({
      participantId: participant.participantId,
      eligible: false,
      tasks: [{ count: 0, completed: false }],
    });
    const cross = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${b.slug}/entries/me`,
      headers: bearer(participant.token),
    });
    expect(cross.statusCode).toBe(401);
  });

  it('a giveaway without tasks makes every entrant eligible', async () => {
    const fixture = await liveGiveaway(server, { host, tasks: [] });
    const participant = await join(server, fixture.slug);
    const me = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.slug}/entries/me`,
      headers: bearer(participant.token),
    });
    expect(me.json()).toMatchObject({ eligible: true, tasks: [] });
  });

  it("tells a first-come entry the place it finished in, which decides whether it wins; a draw's entries, none", async () => {
    const rankOf = async (slug: string, participant: { token: string }) =>
      (
        await server.request({
          method: 'GET',
          url: `/api/v1/giveaways/${slug}/entries/me`,
          headers: bearer(participant.token),
        })
      ).json().finishedRank;
    const firstCome = await liveGiveaway(server, { host, winnerMode: 'first_come' });
    const fans = [await join(server, firstCome.slug), await join(server, firstCome.slug)];
    expect(await rankOf(firstCome.slug, fans[1])).toBeNull();
    for (const fan of [fans[1], fans[0]]) {
      const trackId = await trackIdFor(server, fan, firstCome.tasks[0].id);
      await postCallback(server, signedCallback(firstCome.apiKey, trackId, 'sign_up'));
      server.clock.advance(1000);
    }
    expect(await rankOf(firstCome.slug, fans[1])).toBe(1);
    expect(await rankOf(firstCome.slug, fans[0])).toBe(2);

    const lucky = await liveGiveaway(server, { host, tasks: [] });
    expect(await rankOf(lucky.slug, await join(server, lucky.slug))).toBeNull();
  });
});

describe('participants export', () => {
  it('lists entries with progress as JSON and as CSV with formulas neutralised', async () => {
    const fixture = await liveGiveaway(server, { host, tasks: [{ event: 'sign_up', name: 'Sign, up' }] });
    const hostile = await join(server, fixture.slug, '=HYPERLINK("http://evil.example")@evil.example');
    const trackId = await trackIdFor(server, hostile, fixture.tasks[0].id);
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));

    const json = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/participants`,
      headers: bearer(host.token),
    });
    expect(json.json().participants).toEqual([
      expect.objectContaining({
        participantId: hostile.participantId,
        eligible: true,
        tasks: [expect.objectContaining({ count: 1, completed: true })],
      }),
    ]);

    const csv = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/participants?format=csv`,
      headers: bearer(host.token),
    });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [header, row] = csv.body.split('\r\n');
    expect(header).toBe(
      `participantId,email,joinedAt,eligible,eligibleAt,winnerRank,prize,emailVerified,networkEntries,disposableEmail,"Sign, up (${fixture.tasks[0].id})"`,
    );
    // Emails are stored lowercased; the leading quote stops a spreadsheet from running the formula.
    expect(row).toContain(`"'=hyperlink(""http://evil.example"")@evil.example"`);
  });

  it('refuses an unknown format', async () => {
    const fixture = await liveGiveaway(server, { host });
    const res = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/participants?format=xlsx`,
      headers: bearer(host.token),
    });
    expect(res.statusCode).toBe(400);
  });
});
