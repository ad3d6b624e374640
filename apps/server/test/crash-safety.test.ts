import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, tempDir } from './support.js';

/**
 * A 200 means committed and fsync'd: the real server is killed with SIGKILL under load from 32 clients,
 * restarted on the same file, and every acknowledged callback must be there, none counted twice.
 */

const dbFile = path.join(tempDir(), 'crash.db');
const CLIENTS = 32;
const PARTICIPANTS = 8;
let child: ChildProcess | undefined;
afterAll(() => child?.kill('SIGKILL'));

async function startServer(): Promise<string> {
  const started = await spawnServer(`sqlite:${dbFile}`);
  child = started.child;
  return started.base;
}

async function post<T = { id: string }>(
  base: string,
  url: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

async function setup(base: string) {
  const { token } = (await post(base, '/api/v1/auth/signup', {
    email: 'crash@example.com',
    password: 'long enough',
  })) as {
    token: string;
  } & Record<string, unknown>;
  const project = (await post(base, '/api/v1/projects', { name: 'Crash' }, token)) as {
    id: string;
    apiKey: string;
  };
  const website = await post(
    base,
    `/api/v1/projects/${project.id}/websites`,
    { name: 'S', url: 'https://s.example/' },
    token,
  );
  const giveaway = await post<{ id: string; slug: string; tasks: { id: string }[] }>(
    base,
    `/api/v1/projects/${project.id}/giveaways`,
    {
      title: 'Crash',
      winnerMode: 'first_come',
      winnerCount: 1,
      tasks: [{ websiteId: website.id, event: 'like_article', name: 'Like', requiredAmount: 1_000_000 }],
    },
    token,
  );
  await post(base, `/api/v1/giveaways/${giveaway.id}/publish`, {}, token);
  const trackIds: string[] = [];
  for (let i = 0; i < PARTICIPANTS; i++) {
    const fan = (await post(base, `/api/v1/giveaways/${giveaway.slug}/entries`, {
      email: `fan${i}@example.com`,
    })) as {
      token: string;
    } & Record<string, unknown>;
    const visit = (await post(base, `/api/v1/tasks/${giveaway.tasks[0].id}/visits`, {}, fan.token)) as {
      trackId: string;
    } & Record<string, unknown>;
    trackIds.push(visit.trackId);
  }
  return { apiKey: project.apiKey, trackIds };
}

/**
 * 32 clients send distinct units until the server dies, killed `killAfterMs` after the first answer (not after
 * the start, so a slow machine still has acknowledged callbacks to lose); returns the units that were acknowledged.
 */
async function loadUntilKilled(
  base: string,
  apiKey: string,
  trackIds: string[],
  round: number,
  killAfterMs: number,
) {
  const acknowledged: { trackId: string; remark: string }[] = [];
  let sent = 0;
  let killer: NodeJS.Timeout | undefined;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const trackId = trackIds[client % trackIds.length];
      for (let n = 0; ; n++) {
        const remark = `r${round}-c${client}-${n}`;
        const canonical = `track_id=${trackId}&event=like_article&remark=${remark}`;
        const sign = createHmac('sha256', apiKey).update(canonical).digest('hex');
        try {
          sent++;
          const res = await fetch(`${base}/api/callback`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ track_id: trackId, event: 'like_article', remark, sign }),
          });
          const body = (await res.json()) as { code: string };
          if (res.status !== 200 || body.code !== 'recorded')
            throw new Error(`unexpected ${res.status} ${body.code}`);
          acknowledged.push({ trackId, remark });
          killer ??= setTimeout(() => child?.kill('SIGKILL'), killAfterMs);
        } catch (error) {
          if (String(error).includes('unexpected')) throw error;
          return;
        }
      }
    }),
  );
  clearTimeout(killer);
  return { acknowledged, sent };
}

describe('crash safety', () => {
  it('keeps every acknowledged callback, counted once, across SIGKILLs at different moments', async () => {
    let base = await startServer();
    const { apiKey, trackIds } = await setup(base);
    const everAcknowledged: { trackId: string; remark: string }[] = [];

    for (const [round, killAfterMs] of [150, 400, 900].entries()) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      const { acknowledged, sent } = await loadUntilKilled(base, apiKey, trackIds, round, killAfterMs);
      await exited;
      expect(
        acknowledged.length,
        `round ${round}: some callbacks acknowledged before the kill`,
      ).toBeGreaterThan(0);
      expect(sent).toBeGreaterThan(acknowledged.length);
      everAcknowledged.push(...acknowledged);
      base = await startServer();

      const db = new SQLite(dbFile, { readonly: true });
      try {
        const units = new Set(
          db
            .prepare<[], { track_id: string; unit_key: string }>(
              `select t.track_id, u.unit_key from progress_units u
               join track_ids t on t.participant_id = u.participant_id`,
            )
            .all()
            .map((u) => `${u.track_id} ${u.unit_key}`),
        );
        const missing = everAcknowledged.filter((a) => !units.has(`${a.trackId} r:${a.remark}`));
        expect(missing, `round ${round}: acknowledged but lost`).toEqual([]);
        const mismatched = db
          .prepare(
            `select p.participant_id, p.count, (select count(*) from progress_units u
               where u.participant_id = p.participant_id and u.task_id = p.task_id) as units
             from task_progress p where p.count != units`,
          )
          .all();
        expect(mismatched, `round ${round}: counter differs from its units`).toEqual([]);
        const logged = db
          .prepare<[], { n: number }>("select count(*) as n from callback_log where code = 'recorded'")
          .get();
        expect(logged?.n).toBe(units.size);
      } finally {
        db.close();
      }
    }

    // The restarted server answers with what was committed, and a retry of an acknowledged unit is a duplicate.
    const first = everAcknowledged[0];
    const sign = createHmac('sha256', apiKey)
      .update(`track_id=${first.trackId}&event=like_article&remark=${first.remark}`)
      .digest('hex');
    const retry = await post<{ code: string }>(base, '/api/callback', {
      track_id: first.trackId,
      event: 'like_article',
      remark: first.remark,
      sign,
    });
    expect(retry.code).toBe('duplicate');
  }, 120_000);
});
