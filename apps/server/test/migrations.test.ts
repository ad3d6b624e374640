import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.js';
import {
  bearer,
  join,
  liveGiveaway,
  postCallback,
  signedCallback,
  startServer,
  trackIdFor,
} from './support.js';

describe('migrations', () => {
  it('keep every count and log row when the latest is undone and run again', async () => {
    const first = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(first, { tasks: [{ event: 'purchase', requiredAmount: 3 }] });
    const participant = await join(first, fixture.slug);
    const trackId = await trackIdFor(first, participant, fixture.tasks[0].id);
    for (const remark of ['a', 'b']) {
      const answer = await postCallback(first, signedCallback(fixture.apiKey, trackId, 'purchase', remark));
      expect(answer.json().code).toBe('recorded');
    }
    const migrator = new Migrator({ db: first.db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateDown()).error).toBeUndefined();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    await first.close();

    const again = await startServer({ CALLBACK_RATE_PER_TRACK: '0' }, first.databaseUrl);
    // The unit counted before is still known, and the count goes on from 2.
    const repeat = await postCallback(again, signedCallback(fixture.apiKey, trackId, 'purchase', 'a'));
    expect(repeat.json().code).toBe('duplicate');
    const last = await postCallback(again, signedCallback(fixture.apiKey, trackId, 'purchase', 'c'));
    expect(last.json()).toMatchObject({ code: 'completed', progress: { count: 3, required: 3 } });
    const log = await again.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=10`,
      headers: bearer(fixture.host.token),
    });
    expect(log.json().callbacks.map((c: { code: string }) => c.code)).toEqual([
      'completed',
      'duplicate',
      'recorded',
      'recorded',
    ]);
  });
});
