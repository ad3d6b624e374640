import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { WriteOp, WriteResult } from '../src/writer/operations.js';
import {
  type GiveawayFixture,
  join,
  liveGiveaway,
  startServer,
  type TestServer,
  testEngine,
  trackIdFor,
} from './support.js';

const HAND_OFFS = 60;

/** The writer's own account, from /metrics: transactions committed and batches handed over. */
async function writerCounts(server: TestServer): Promise<{ commits: number; handOffs: number }> {
  const text = (await server.request({ method: 'GET', url: '/metrics' })).body;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return {
    commits: value('proofdrop_writer_batch_size_count'),
    handOffs: value('proofdrop_writer_commit_seconds_count'),
  };
}

async function oneEntry(server: TestServer) {
  const fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 5000 }] });
  const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
  const [participant] = await server.db.selectFrom('participants').select('id').execute();
  return { fixture, participantId: participant?.id as string, trackId };
}

/** The n-th unit of the entry's task, as the callbacks service submits a counted callback. */
function unitOf(server: TestServer, fixture: GiveawayFixture, participantId: string, trackId: string) {
  return (n: number): WriteOp => ({
    kind: 'count',
    taskId: fixture.tasks[0].id,
    participantId,
    giveawayId: fixture.giveawayId,
    requiredAmount: 5000,
    unitKey: `r:unit ${n}`,
    log: {
      project_id: fixture.projectId,
      received_at: server.clock.now,
      track_id: trackId,
      event: 'like_article',
      remark: `unit ${n}`,
      expected_canonical: null,
      hint: null,
    },
  });
}

describe(`${testEngine}: the writer's group commits`, () => {
  it('answers each operation its own result when batches handed over one a turn commit together', async () => {
    const server = await startServer();
    const { fixture, participantId, trackId } = await oneEntry(server);
    const before = await writerCounts(server);

    const unit = unitOf(server, fixture, participantId, trackId);

    // One operation a turn of the event loop, most of them while an earlier one commits.
    const answers: Promise<WriteResult>[] = [];
    for (let n = 1; n <= HAND_OFFS; n++) {
      answers.push(server.services.writer.submit(unit(n)));
      await nextTurn();
    }
    const results = (await Promise.all(answers)) as Extract<WriteResult, { kind: 'count' }>[];

    // Counted in the order handed over, each answer its own count and log row, ids growing in that order.
    expect(results.map((r) => [r.code, r.count])).toEqual(
      Array.from({ length: HAND_OFFS }, (_, i) => ['recorded', i + 1]),
    );
    const ids = results.map((r) => r.logId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const logged = await server.db
      .selectFrom('callback_log')
      .select(['id', 'remark'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(logged.map((row) => row.remark)).toEqual(results.map((_, i) => `unit ${i + 1}`));

    const after = await writerCounts(server);
    const commits = after.commits - before.commits;
    const handOffs = after.handOffs - before.handOffs;
    if (testEngine === 'sqlite') {
      // Handed over every turn; the writer thread takes what waited for a commit into the next one.
      expect(handOffs).toBe(HAND_OFFS);
      expect(commits).toBeLessThan(HAND_OFFS);
    } else {
      // PostgreSQL's writer gathers the next batch while one commits, and commits each as it was handed over.
      expect(handOffs).toBeLessThan(HAND_OFFS);
      expect(commits).toBe(handOffs);
    }
  });

  it("decides each count of one group of participants on that participant's rows alone", async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, {
      tasks: [
        { event: 'like_article', requiredAmount: 2 },
        { event: 'sign_up', requiredAmount: 1 },
      ],
    });
    const [like, signUp] = fixture.tasks.map((task) => task.id) as [string, string];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await join(server, fixture.slug)).participantId);
    const [fresh, repeats, completes, full, elsewhere] = ids as [string, string, string, string, string];
    const count = (
      participantId: string,
      unit: string,
      taskId = like,
      giveawayId = fixture.giveawayId,
    ): WriteOp => ({
      kind: 'count',
      taskId,
      participantId,
      giveawayId,
      requiredAmount: taskId === like ? 2 : 1,
      unitKey: `r:${unit}`,
      log: {
        project_id: fixture.projectId,
        received_at: server.clock.now,
        track_id: `trk_${participantId}`,
        event: taskId === like ? 'like_article' : 'sign_up',
        remark: unit,
        expected_canonical: null,
        hint: null,
      },
    });
    const submit = (ops: WriteOp[]) =>
      Promise.all(ops.map((op) => server.services.writer.submit(op))) as Promise<
        Extract<WriteResult, { kind: 'count' }>[]
      >;
    await submit([
      count(repeats, 'x'),
      count(completes, 'a'),
      count(completes, 's', signUp),
      count(full, 'a'),
    ]);
    await submit([count(full, 'b')]);

    // One turn, so one group (one call of the batch function on PostgreSQL), a participant at most once.
    const before = await writerCounts(server);
    const results = await submit([
      count(fresh, 'a'),
      count(repeats, 'x'),
      count(completes, 'b'),
      count(full, 'c'),
      count(elsewhere, 'a', like, 'gw_not_theirs'),
    ]);
    expect(results.map(({ code, count, eligible }) => ({ code, count, eligible }))).toEqual([
      { code: 'recorded', count: 1, eligible: false },
      { code: 'duplicate', count: 1, eligible: false },
      { code: 'completed', count: 2, eligible: true },
      { code: 'duplicate', count: 2, eligible: false },
      { code: 'giveaway_not_live', count: 0, eligible: false },
    ]);
    const after = await writerCounts(server);
    expect({ commits: after.commits - before.commits, handOffs: after.handOffs - before.handOffs }).toEqual({
      commits: 1,
      handOffs: 1,
    });
    const likes = await server.db
      .selectFrom('task_progress')
      .select(['participant_id', 'count'])
      .where('task_id', '=', like)
      .execute();
    expect(Object.fromEntries(likes.map((row) => [row.participant_id, Number(row.count)]))).toEqual({
      [fresh]: 1,
      [repeats]: 1,
      [completes]: 2,
      [full]: 2,
    });
    const eligible = await server.db
      .selectFrom('participants')
      .select('id')
      .where('eligible_at', 'is not', null)
      .execute();
    expect(eligible.map((row) => row.id)).toEqual([completes]);
    const logged = await server.db
      .selectFrom('callback_log')
      .select(['remark', 'code'])
      .where(
        'id',
        'in',
        results.map((r) => r.logId),
      )
      .orderBy('id')
      .execute();
    expect(logged.map((row) => `${row.remark} ${row.code}`)).toEqual([
      'a recorded',
      'x duplicate',
      'b completed',
      'c duplicate',
      'a giveaway_not_live',
    ]);
  });

  it('commits a burst larger than a batch in groups of at most a thousand, each answered its own', async () => {
    const server = await startServer();
    const { fixture, participantId, trackId } = await oneEntry(server);
    const unit = unitOf(server, fixture, participantId, trackId);
    const bucket = async (le: string) => {
      const text = (await server.request({ method: 'GET', url: '/metrics' })).body;
      return Number(
        new RegExp(
          `^proofdrop_writer_batch_size_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\S+)$`,
          'm',
        ).exec(text)?.[1],
      );
    };
    const over1024Before = (await bucket('+Inf')) - (await bucket('1024'));

    // In one turn: handed over a thousand at a time, and on SQLite the later ones while the first commits.
    const results = (await Promise.all(
      Array.from({ length: 2500 }, (_, i) => server.services.writer.submit(unit(i + 1))),
    )) as Extract<WriteResult, { kind: 'count' }>[];

    expect(results.map((r) => r.count)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect((await bucket('+Inf')) - (await bucket('1024')) - over1024Before).toBe(0);
  });
});
