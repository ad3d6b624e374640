import { describe, expect, it } from 'vitest';
import { bearer, join, liveGiveaway, startServer } from './support.js';

describe('website links', () => {
  it('are stored as the URL parser reads them: tabs and newlines dropped, unsafe characters encoded', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/websites`,
      headers: bearer(fixture.host.token),
      payload: { name: 'Shop', url: 'https://Shop.example:443/sign\tup\n?ref=a b#top' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().url).toBe('https://shop.example/signup?ref=a%20b#top');
  });

  it('redirect even when stored raw by an older version, without a 500', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { publish: false });
    await server.db
      .updateTable('websites')
      .set({ url: 'https://shop.example/sign\tup\n?ref=a b#top' })
      .where('id', '=', fixture.websites[0]?.id as string)
      .execute();
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
      headers: bearer(fixture.host.token),
    });
    const fan = await join(server, fixture.slug);
    const res = await server.request({
      method: 'GET',
      url: `/go/${fixture.tasks[0]?.id}`,
      headers: { cookie: fan.cookie },
    });
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toMatch(
      /^https:\/\/shop\.example\/signup\?ref=a%20b&track_id=[\w-]+&send=sign_up#top$/,
    );
  });
});
