import { describe, expect, it } from 'vitest';
import {
  type GiveawayFixture,
  liveGiveaway,
  signupHost,
  startServer,
  type TestServer,
  testEngine,
} from './support.js';

/** A browser that enters many giveaways keeps one participant cookie, and it works on every path. */

/** The browser's own pages send their origin with every write (the same-origin check wants it). */
const ORIGIN = 'http://localhost:3000';

/** Joins as a browser does: sends the cookie it holds, keeps the one it gets back. */
async function joinWithCookie(server: TestServer, slug: string, cookie: string, email: string) {
  const res = await server.request({
    method: 'POST',
    url: `/api/v1/giveaways/${slug}/entries`,
    payload: { email },
    headers: cookie ? { cookie, origin: ORIGIN } : { origin: ORIGIN },
  });
  expect(res.statusCode, res.body).toBe(201);
  const setCookies = [res.headers['set-cookie'] ?? []].flat();
  expect(setCookies).toHaveLength(1);
  const [pair, ...attributes] = (setCookies[0] as string).split('; ');
  return { cookie: pair as string, attributes, participantId: res.json().participantId as string };
}

const me = (server: TestServer, slug: string, cookie: string) =>
  server.request({ url: `/api/v1/giveaways/${slug}/entries/me`, headers: { cookie } });

describe(`participant cookies (${testEngine})`, () => {
  it('one cookie holds every entry of the browser; each giveaway, visit and track link reads its own', async () => {
    const server = await startServer();
    const host = await signupHost(server);
    const giveaways: GiveawayFixture[] = [];
    for (let i = 0; i < 3; i++) giveaways.push(await liveGiveaway(server, { host }));

    let cookie = '';
    const participants: string[] = [];
    for (const [i, giveaway] of giveaways.entries()) {
      const joined = await joinWithCookie(server, giveaway.slug, cookie, `fan${i}@example.com`);
      expect(joined.cookie).toMatch(/^pd_p=/);
      expect(joined.attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
      cookie = joined.cookie;
      participants.push(joined.participantId);
    }
    for (const [i, giveaway] of giveaways.entries()) {
      const res = await me(server, giveaway.slug, cookie);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().participantId).toBe(participants[i]);
      const visit = await server.request({
        method: 'POST',
        url: `/api/v1/tasks/${giveaway.tasks[0]?.id}/visits`,
        headers: { cookie, origin: ORIGIN },
      });
      expect(visit.statusCode).toBe(200);
      const go = await server.request({ url: `/go/${giveaway.tasks[0]?.id}`, headers: { cookie } });
      expect(go.statusCode).toBe(302);
      expect(go.headers.location).toContain(`track_id=${visit.json().trackId}`);
    }
  });

  it("answers a page asking for this browser's entry with it, or null before a join, never a 401", async () => {
    const server = await startServer();
    const host = await signupHost(server);
    const [first, second] = [
      await liveGiveaway(server, { host }),
      await liveGiveaway(server, { host }),
    ] as const;
    const mine = (slug: string, cookie: string) =>
      server.request({ url: `/api/v1/giveaways/${slug}/entries/mine`, headers: cookie ? { cookie } : {} });
    const before = await mine(first.slug, '');
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ entry: null });
    expect(before.headers['cache-control']).toBe('no-store');

    const { cookie, participantId } = await joinWithCookie(server, first.slug, '', 'fan@example.com');
    const joined = await mine(first.slug, cookie);
    expect(joined.json().entry).toEqual((await me(server, first.slug, cookie)).json());
    expect(joined.json().entry.participantId).toBe(participantId);
    // The same browser has no entry of the other giveaway, and a giveaway that is not there is a 404.
    expect((await mine(second.slug, cookie)).json()).toEqual({ entry: null });
    expect((await mine('no-such-giveaway', cookie)).statusCode).toBe(404);
  });

  it('a forged or altered cookie reads as no entry', async () => {
    const server = await startServer();
    const giveaway = await liveGiveaway(server);
    const { cookie } = await joinWithCookie(server, giveaway.slug, '', 'fan@example.com');
    const value = decodeURIComponent(cookie.slice('pd_p='.length));
    const unsigned = value.slice(0, value.lastIndexOf('.'));
    expect((await me(server, giveaway.slug, `pd_p=${encodeURIComponent(unsigned)}`)).statusCode).toBe(401);
    const other = `${unsigned}~gw_other.pdp_guess${value.slice(value.lastIndexOf('.'))}`;
    expect((await me(server, giveaway.slug, `pd_p=${encodeURIComponent(other)}`)).statusCode).toBe(401);
  });

  it('stays under the 4 KB a browser keeps, the oldest entries giving way', async () => {
    const server = await startServer();
    const host = await signupHost(server);
    let cookie = '';
    let first: GiveawayFixture | undefined;
    let last: GiveawayFixture | undefined;
    for (let i = 0; i < 41; i++) {
      last = await liveGiveaway(server, { host });
      first ??= last;
      cookie = (await joinWithCookie(server, last.slug, cookie, `fan${i}@example.com`)).cookie;
    }
    expect(cookie.length).toBeLessThan(4000);
    expect((await me(server, (last as GiveawayFixture).slug, cookie)).statusCode).toBe(200);
    expect((await me(server, (first as GiveawayFixture).slug, cookie)).statusCode).toBe(401);
  }, 120_000);
});
