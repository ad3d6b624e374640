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

async function project(server: TestServer, fixture: GiveawayFixture) {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}`,
    headers: bearer(fixture.host.token),
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function hints(server: TestServer, fixture: GiveawayFixture): Promise<(string | null)[]> {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}/callbacks`,
    headers: bearer(fixture.host.token),
  });
  return res.json().callbacks.map((c: { hint: string | null }) => c.hint);
}

describe(`${testEngine}: an API key signing in a web page`, () => {
  it('shows on the callback and on the project for a week, for callbacks that verified', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 5 }] });
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    expect((await project(server, fixture)).keyInPage).toBeNull();

    const fromServer = await postCallback(
      server,
      signedCallback(fixture.apiKey, trackId, 'like_article', 'a'),
    );
    expect(fromServer.json().code).toBe('recorded');
    expect((await project(server, fixture)).keyInPage).toBeNull();

    const fromPage = await postCallback(
      server,
      signedCallback(fixture.apiKey, trackId, 'like_article', 'b'),
      {
        origin: PAGE,
      },
    );
    expect(fromPage.json().code).toBe('recorded');
    const [hint] = await hints(server, fixture);
    expect(hint).toBe(
      `signed in a web page (${PAGE}): anyone who opens it can read your API key; sign on your server, then rotate the key`,
    );
    expect((await project(server, fixture)).keyInPage).toEqual({
      page: PAGE,
      lastAt: new Date(server.clock.now).toISOString(),
    });

    server.clock.advance(8 * 86_400_000);
    expect((await project(server, fixture)).keyInPage).toBeNull();
  });

  it('does not take a callback that failed its signature for one signed in the page', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    const forged = { ...signedCallback(fixture.apiKey, trackId, 'sign_up'), sign: 'ab'.repeat(32) };
    expect((await postCallback(server, forged, { origin: PAGE })).statusCode).toBe(401);
    expect(await hints(server, fixture)).toEqual([null]);
    expect((await project(server, fixture)).keyInPage).toBeNull();

    // A verified callback refused later (an event that is no task) proves the key is in the page all the same.
    const unknown = signedCallback(fixture.apiKey, trackId, 'deposit');
    expect((await postCallback(server, unknown, { origin: 'null' })).statusCode).toBe(422);
    expect((await project(server, fixture)).keyInPage).toMatchObject({
      page: 'a page without a web address: a local file or a sandboxed frame',
    });
  });
});
