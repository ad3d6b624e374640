import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.js';
import {
  bearer,
  join,
  liveGiveaway,
  postCallback,
  signedCallback,
  startServer,
  testEngine,
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
    // Back to before each engine's latest changes (SQLite's one-tree progress; PostgreSQL's units that follow
    // their counts, its batch function's plans and its webhook bodies; the project's key-in-page columns),
    // the other engine's no-ops on it.
    const undone = await migrator.migrateTo('2026-11-28-postgres-write-batch');
    expect(undone.error).toBeUndefined();
    expect(undone.results?.map((r) => r.migrationName)).toEqual([
      '2026-11-30-key-in-page',
      '2026-11-29-postgres-write-batch-plans',
      '2026-11-29-postgres-webhook-bodies',
      '2026-11-29-postgres-units-follow-counts',
      '2026-11-28-sqlite-progress-one-tree',
    ]);
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

  it('leave progress_units and task_progress taking reads and writes as tables', async () => {
    // On SQLite both are views of one table (2026-11-28-sqlite-progress-one-tree); on PostgreSQL, tables.
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server, {
      tasks: [
        { event: 'purchase', requiredAmount: 3 },
        { event: 'signup', requiredAmount: 1 },
      ],
    });
    const participant = await join(server, fixture.slug);
    const { participantId } = participant;
    const [purchase, signup] = fixture.tasks.map((t) => t.id) as [string, string];
    const { db } = server;
    await db
      .insertInto('progress_units')
      .values([
        { task_id: purchase, participant_id: participantId, unit_key: 'r:a', created_at: 1 },
        { task_id: signup, participant_id: participantId, unit_key: 'r:b', created_at: 2 },
      ])
      .execute();
    await db
      .insertInto('task_progress')
      .values([
        { task_id: purchase, participant_id: participantId, count: 1, completed_at: null },
        { task_id: signup, participant_id: participantId, count: 1, completed_at: 5 },
      ])
      .execute();
    await db
      .updateTable('task_progress')
      .set({ count: 2 })
      .where('task_id', '=', purchase)
      .where('participant_id', '=', participantId)
      .execute();
    await db.updateTable('progress_units').set({ created_at: 3 }).where('unit_key', '=', 'r:b').execute();
    await db.deleteFrom('task_progress').where('task_id', '=', signup).execute();

    const progress = await db
      .selectFrom('task_progress')
      .selectAll()
      .where('participant_id', '=', participantId)
      .execute();
    expect(progress).toEqual([
      { task_id: purchase, participant_id: participantId, count: 2, completed_at: null },
    ]);
    const units = await db
      .selectFrom('progress_units')
      .select(['task_id', 'unit_key', 'created_at'])
      .where('participant_id', '=', participantId)
      .orderBy('unit_key')
      .execute();
    expect(units.map((u) => ({ ...u, created_at: Number(u.created_at) }))).toEqual([
      { task_id: purchase, unit_key: 'r:a', created_at: 1 },
      { task_id: signup, unit_key: 'r:b', created_at: 3 },
    ]);

    // The writer counts on from the rows written through the views: 2 of 3, and 'a' is new again.
    await db.deleteFrom('progress_units').where('unit_key', '=', 'r:a').execute();
    const trackId = await trackIdFor(server, participant, purchase);
    const answer = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'purchase', 'a'));
    expect(answer.json()).toMatchObject({ code: 'completed', progress: { count: 3, required: 3 } });
    const counted = await db
      .selectFrom('progress_units')
      .select('unit_key')
      .where('task_id', '=', purchase)
      .where('participant_id', '=', participantId)
      .execute();
    expect(counted).toEqual([{ unit_key: 'r:a' }]);
    await server.close();
  });

  it.runIf(testEngine === 'postgres')(
    "plan the writer's batch function by key, once per connection, and nothing else",
    async () => {
      const server = await startServer();
      const settings = async (name: string) =>
        (
          await sql<{
            proconfig: string[] | null;
          }>`select proconfig from pg_proc where proname = ${name}`.execute(server.db)
        ).rows.map((row) => row.proconfig);
      expect(await settings('proofdrop_write_batch')).toEqual([
        ['plan_cache_mode=force_generic_plan', 'enable_seqscan=off'],
      ]);
      expect(await settings('proofdrop_notify')).toEqual([null]);
      const session = await sql<{ enable_seqscan: string }>`show enable_seqscan`.execute(server.db);
      expect(session.rows).toEqual([{ enable_seqscan: 'on' }]);
      await server.close();
    },
  );

  it('delete the counted units of a deleted participant or task, and no others', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server, {
      tasks: [
        { event: 'purchase', requiredAmount: 3 },
        { event: 'signup', requiredAmount: 2 },
      ],
    });
    const [purchase, signup] = fixture.tasks.map((t) => t.id) as [string, string];
    const gone = await join(server, fixture.slug);
    const kept = await join(server, fixture.slug);
    for (const participant of [gone, kept]) {
      for (const [taskId, event] of [
        [purchase, 'purchase'],
        [signup, 'signup'],
      ] as const) {
        const trackId = await trackIdFor(server, participant, taskId);
        const answer = await postCallback(server, signedCallback(fixture.apiKey, trackId, event, 'x'));
        expect(answer.json().code).toBe('recorded');
      }
    }
    const { db } = server;
    const stored = async (table: 'progress_units' | 'task_progress') =>
      (await db.selectFrom(table).select(['participant_id', 'task_id']).execute())
        .map(
          (row) =>
            `${row.participant_id === kept.participantId ? 'kept' : 'gone'} ${row.task_id === purchase ? 'purchase' : 'signup'}`,
        )
        .sort();

    await db.deleteFrom('participants').where('id', '=', gone.participantId).execute();
    expect(await stored('progress_units')).toEqual(['kept purchase', 'kept signup']);
    expect(await stored('task_progress')).toEqual(['kept purchase', 'kept signup']);

    await db.deleteFrom('tasks').where('id', '=', signup).execute();
    expect(await stored('progress_units')).toEqual(['kept purchase']);
    expect(await stored('task_progress')).toEqual(['kept purchase']);
    await server.close();
  });
});
