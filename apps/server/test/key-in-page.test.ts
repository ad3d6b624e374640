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
} from './support.js';

const PAGE = 'https://shop.example';

async function keyInPage(server: TestServer, fixture: GiveawayFixture) {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}`,
    headers: bearer(fixture.host.token),
  });
  expect(res.statusCode).toBe(200);
  return res.json().keyInPage;
}

async function hints(server: TestServer, fixture: GiveawayFixture): Promise<(string | null)[]> {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}/callbacks`,
    headers: bearer(fixture.host.token),
  });
  return res.json().callbacks.map((c: { hint: string | null }) => c.hint);
}

/** A live giveaway whose one task counts up to 20 units, and a participant's track_id on it. */
async function counted(server: TestServer) {
  const fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 20 }] });
  const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
  const send = (remark: string, headers: Record<string, string> = {}) =>
    postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', remark), headers);
  return { fixture, trackId, send };
}

describe(`${testEngine}: an API key used in a web page`, () => {
  it('shows on the callback and on the project for a week once a callback from a page counts', async () => {
    const server = await startServer();
    const { fixture, send } = await counted(server);
    expect(await keyInPage(server, fixture)).toBeNull();

    expect((await send('a')).json().code).toBe('recorded');
    expect(await hints(server, fixture)).toEqual([null]);

    expect((await send('b', { origin: PAGE })).json().code).toBe('recorded');
    expect((await hints(server, fixture))[0]).toBe(
      `sent from a web page (${PAGE}): if the page signed it, anyone who opens it can read your API key; sign on your server, then rotate the key`,
    );
    const at = new Date(server.clock.now).toISOString();
    // Written beside the answer, not before it.
    await expect.poll(() => keyInPage(server, fixture)).toEqual({ page: PAGE, lastAt: at });

    // Within the minute the project keeps what it noted; after it, the latest page.
    server.clock.advance(30_000);
    await send('c', { origin: 'http://localhost:5173' });
    server.clock.advance(60_000);
    await send('d', { origin: 'null' });
    await expect
      .poll(() => keyInPage(server, fixture))
      .toEqual({
        page: 'a page without a web address: a local file or a sandboxed frame',
        lastAt: new Date(server.clock.now).toISOString(),
      });

    server.clock.advance(8 * 86_400_000);
    expect(await keyInPage(server, fixture)).toBeNull();
  });

  it('is not raised by a callback that failed its signature, nor by a replay with a made-up Origin', async () => {
    const server = await startServer();
    const { fixture, trackId, send } = await counted(server);
    const forged = { ...signedCallback(fixture.apiKey, trackId, 'like_article'), sign: 'ab'.repeat(32) };
    expect((await postCallback(server, forged, { origin: PAGE })).statusCode).toBe(401);
    expect(await hints(server, fixture)).toEqual([null]);

    expect((await send('x')).json().code).toBe('recorded');
    expect((await send('x', { origin: 'https://evil.example' })).json().code).toBe('duplicate');
    // Noted, the replay would hold the project's note for a minute: the next page, in that minute, shows it was not.
    expect((await send('y', { origin: PAGE })).json().code).toBe('recorded');
    await expect.poll(() => keyInPage(server, fixture)).toMatchObject({ page: PAGE });
  });

  it('is cleared by a key rotation: the new key is in no page yet', async () => {
    const server = await startServer();
    const { fixture, trackId, send } = await counted(server);
    await send('a', { origin: PAGE });
    await expect.poll(() => keyInPage(server, fixture)).not.toBeNull();
    const rotated = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/api-key/rotate`,
      headers: bearer(fixture.host.token),
      payload: { graceHours: 0 },
    });
    expect(rotated.statusCode).toBe(200);
    expect(await keyInPage(server, fixture)).toBeNull();

    // A page that holds the new key shows at once, not a minute after the last note of the old one.
    const apiKey = rotated.json().apiKey as string;
    const signed = signedCallback(apiKey, trackId, 'like_article', 'b');
    expect((await postCallback(server, signed, { origin: 'https://other.example' })).json().code).toBe(
      'recorded',
    );
    await expect.poll(() => keyInPage(server, fixture)).toMatchObject({ page: 'https://other.example' });
  });
});
