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

/** A participant's track_id on a task that needs three units. */
async function counter(server: TestServer): Promise<{ fixture: GiveawayFixture; trackId: string }> {
  const fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 3 }] });
  const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
  return { fixture, trackId };
}

async function countOf(server: TestServer, fixture: GiveawayFixture): Promise<number> {
  const rows = await server.db
    .selectFrom('task_progress')
    .select('count')
    .where('task_id', '=', fixture.tasks[0].id)
    .execute();
  return rows[0]?.count ?? 0;
}

describe(`${testEngine}: callbacks that cannot be replayed`, () => {
  it('counts the same remark-less body once within the window, and again after it', async () => {
    const server = await startServer();
    const { fixture, trackId } = await counter(server);
    const body = signedCallback(fixture.apiKey, trackId, 'like_article');
    const first = await postCallback(server, body);
    expect(first.json()).toMatchObject({ code: 'recorded', progress: { count: 1, required: 3 } });
    const again = await postCallback(server, { ...body, sign: body.sign.toUpperCase() });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ ok: true, code: 'duplicate', progress: { count: 1, required: 3 } });
    expect(again.json().message).toMatch(/replay window/);

    server.clock.advance(299_000);
    expect((await postCallback(server, body)).json().code).toBe('duplicate');
    server.clock.advance(2_000);
    expect((await postCallback(server, body)).json()).toMatchObject({
      code: 'recorded',
      progress: { count: 2 },
    });

    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=10`,
      headers: bearer(fixture.host.token),
    });
    expect(log.json().callbacks.map((c: { code: string }) => c.code)).toEqual([
      'recorded',
      'duplicate',
      'duplicate',
      'recorded',
    ]);
  });

  it('treats an empty remark as none, and leaves callbacks with a remark to their unit', async () => {
    const server = await startServer();
    const { fixture, trackId } = await counter(server);
    const empty = signedCallback(fixture.apiKey, trackId, 'like_article', '');
    expect((await postCallback(server, empty)).json().code).toBe('recorded');
    expect((await postCallback(server, empty)).json().code).toBe('duplicate');
    const named = signedCallback(fixture.apiKey, trackId, 'like_article', 'article-7');
    expect((await postCallback(server, named)).json().code).toBe('recorded');
    expect((await postCallback(server, named)).json().code).toBe('duplicate');
    expect(await countOf(server, fixture)).toBe(2);
  });

  it('counts every remark-less body with REPLAY_WINDOW_S=0', async () => {
    const server = await startServer({ REPLAY_WINDOW_S: '0' });
    const { fixture, trackId } = await counter(server);
    const body = signedCallback(fixture.apiKey, trackId, 'like_article');
    for (const count of [1, 2]) {
      expect((await postCallback(server, body)).json()).toMatchObject({
        code: 'recorded',
        progress: { count },
      });
    }
  });

  it('counts once when the same body arrives many times at once', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const { fixture, trackId } = await counter(server);
    const body = signedCallback(fixture.apiKey, trackId, 'like_article');
    const answers = await Promise.all(Array.from({ length: 8 }, () => postCallback(server, body)));
    expect(answers.map((a) => a.json().code).sort()).toEqual([...Array(7).fill('duplicate'), 'recorded']);
    expect(await countOf(server, fixture)).toBe(1);
  });

  it('counts once when the same body is twice in one writer batch', async () => {
    const server = await startServer();
    const { fixture, trackId } = await counter(server);
    const [participant] = await server.db.selectFrom('participants').select('id').execute();
    const op = {
      kind: 'count' as const,
      taskId: fixture.tasks[0].id,
      participantId: participant.id,
      giveawayId: fixture.giveawayId,
      requiredAmount: 3,
      replay: { sign: 'ab'.repeat(32), expiresAt: server.clock.now + 300_000 },
      log: {
        project_id: fixture.projectId,
        received_at: server.clock.now,
        track_id: trackId,
        event: 'like_article',
        remark: null,
        expected_canonical: null,
        hint: null,
      },
    };
    const batchesBefore = server.services.writer.stats.batches;
    // Submitted in one turn of the event loop: the writer commits them as one batch.
    const results = await Promise.all([
      server.services.writer.submit({ ...op, unitKey: 'n:one' }),
      server.services.writer.submit({ ...op, unitKey: 'n:two' }),
    ]);
    expect(server.services.writer.stats.batches).toBe(batchesBefore + 1);
    expect(results.map((r) => (r as { code: string }).code)).toEqual(['recorded', 'duplicate']);
    expect(await countOf(server, fixture)).toBe(1);
  });

  it('remembers a counted body across a restart', async () => {
    const server = await startServer();
    const { fixture, trackId } = await counter(server);
    const body = signedCallback(fixture.apiKey, trackId, 'like_article');
    expect((await postCallback(server, body)).json().code).toBe('recorded');
    const now = server.clock.now;
    await server.close();
    const restarted = await startServer({}, server.databaseUrl);
    restarted.clock.now = now + 60_000;
    expect((await postCallback(restarted, body)).json().code).toBe('duplicate');
    expect(await countOf(restarted, fixture)).toBe(1);
  });

  it('clears what the window no longer needs', async () => {
    const server = await startServer({ REPLAY_WINDOW_S: '60' });
    const { fixture, trackId } = await counter(server);
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article'));
    const remembered = () => server.db.selectFrom('callback_replays').select('sign').execute();
    expect(await remembered()).toHaveLength(1);
    server.clock.advance(59_000);
    await server.services.deleteExpiredRows();
    expect(await remembered()).toHaveLength(1);
    server.clock.advance(1_000);
    await server.services.deleteExpiredRows();
    expect(await remembered()).toHaveLength(0);
  });

  it('keeps the check order: a replay of a body for an ended giveaway is still not live', async () => {
    const server = await startServer();
    const { fixture, trackId } = await counter(server);
    const body = signedCallback(fixture.apiKey, trackId, 'like_article');
    expect((await postCallback(server, body)).json().code).toBe('recorded');
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: bearer(fixture.host.token),
    });
    expect((await postCallback(server, body)).statusCode).toBe(409);
    const forged = await postCallback(server, { ...body, sign: 'f'.repeat(64) });
    expect(forged.statusCode).toBe(401);
  });
});
