import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { WriteResult } from '../src/writer/operations.js';
import { join, liveGiveaway, startServer, type TestServer, testEngine, trackIdFor } from './support.js';

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

describe(`${testEngine}: the writer's group commits`, () => {
  it('answers each operation its own result when batches handed over one a turn commit together', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 1000 }] });
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    const [participant] = await server.db.selectFrom('participants').select('id').execute();
    const before = await writerCounts(server);

    // One operation a turn of the event loop, most of them while an earlier one commits.
    const answers: Promise<WriteResult>[] = [];
    for (let n = 1; n <= HAND_OFFS; n++) {
      answers.push(
        server.services.writer.submit({
          kind: 'count',
          taskId: fixture.tasks[0].id,
          participantId: participant.id,
          giveawayId: fixture.giveawayId,
          requiredAmount: 1000,
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
        }),
      );
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
});
