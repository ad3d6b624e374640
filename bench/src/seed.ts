/**
 * The bench's data. What a host makes (account, project, website, giveaways) goes through the HTTP API, as a
 * host would make it; the many rows a live giveaway gathers (participants, track_ids, earlier callbacks) go
 * through the server's repositories and its typed database in large transactions, which takes seconds
 * where the API would take minutes. Rows are typed by the server's schema: a migration that changes them
 * fails the bench's typecheck instead of its figures.
 */
import type { Insertable } from 'kysely';
import {
  type CallbackLogTable,
  countMessage,
  type Db,
  hashToken,
  insertParticipant,
  newId,
  newTrackId,
  type ProgressUnitsTable,
  randomToken,
  unitKey,
} from './from-server.js';
import type { Options } from './options.js';

type Task = { id: string; event: string; requiredAmount: number };

export type Project = {
  apiKey: string;
  projectId: string;
  websiteId: string;
  giveaways: { id: string; tasks: Task[] }[];
};

/** A participant of the bench, with what its requests need: a token to sign in, a track_id to count. */
export type Fan = {
  id: string;
  giveawayId: string;
  email: string;
  token: string;
  trackId: string;
  /** The sign-up task, whose track link the track-link load follows. */
  goTaskId: string;
  /** The task the callbacks count on: a like whose required amount no load reaches. */
  like: Task;
};

export const LIKE_EVENT = 'like_article';

/** A host with one project, one website and live giveaways of two tasks each, through the API. */
export async function seedProject(options: Options, base: string): Promise<Project> {
  const { token } = await post<{ token: string }>(base, '/api/v1/auth/signup', {
    email: 'bench@example.com',
    password: 'bench password',
  });
  const project = await post<{ id: string; apiKey: string }>(
    base,
    '/api/v1/projects',
    { name: 'Bench' },
    token,
  );
  const website = await post<{ id: string }>(
    base,
    `/api/v1/projects/${project.id}/websites`,
    { name: 'Shop', url: 'https://shop.example/signup?ref=bench#top' },
    token,
  );
  const giveaways = [];
  for (let g = 0; g < options.giveaways; g++) {
    const giveaway = await post<{ id: string; tasks: Task[] }>(
      base,
      `/api/v1/projects/${project.id}/giveaways`,
      {
        title: `Bench ${g}`,
        winnerMode: 'lucky_draw',
        winnerCount: 10,
        tasks: [
          { websiteId: website.id, event: 'sign_up', name: 'Sign up' },
          { websiteId: website.id, event: LIKE_EVENT, name: 'Like articles', requiredAmount: 1_000_000 },
        ],
      },
      token,
    );
    await post(base, `/api/v1/giveaways/${giveaway.id}/publish`, {}, token);
    giveaways.push(giveaway);
  }
  return { apiKey: project.apiKey, projectId: project.id, websiteId: website.id, giveaways };
}

async function post<T>(base: string, url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(base + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The options' participants, spread evenly over the project's giveaways, with ids and tokens of their own. */
export function makeFans(options: Options, project: Project): Fan[] {
  return Array.from({ length: options.participants }, (_, i) => {
    const giveaway = project.giveaways[i % project.giveaways.length] as Project['giveaways'][number];
    return {
      id: newId('pt'),
      giveawayId: giveaway.id,
      email: `fan${i}@example.com`,
      token: `pdp_${randomToken(32)}`,
      trackId: newTrackId(),
      goTaskId: taskOf(giveaway, 'sign_up').id,
      like: taskOf(giveaway, LIKE_EVENT),
    };
  });
}

function taskOf(giveaway: { id: string; tasks: Task[] }, event: string): Task {
  const task = giveaway.tasks.find((t) => t.event === event);
  if (!task) throw new Error(`giveaway ${giveaway.id} has no ${event} task`);
  return task;
}

/** Each participant as a join leaves it, with the track_id its first track link would have made. */
export async function seedParticipants(db: Db, project: Project, fans: Fan[]): Promise<void> {
  const now = Date.now();
  await db.transaction().execute(async (tx) => {
    for (const fan of fans) {
      const row = {
        id: fan.id,
        giveaway_id: fan.giveawayId,
        email: fan.email,
        token_hash: hashToken(fan.token),
        created_at: now,
        eligible_at: null,
        ip_bucket: null,
        email_verified_at: null,
      };
      if (!(await insertParticipant(tx, row))) throw new Error(`participant ${fan.id} already exists`);
    }
    for (const chunk of chunks(fans)) {
      await tx
        .insertInto('track_ids')
        .values(
          chunk.map((fan) => ({
            track_id: fan.trackId,
            project_id: project.projectId,
            website_id: project.websiteId,
            giveaway_id: fan.giveawayId,
            participant_id: fan.id,
            created_at: now,
          })),
        )
        .execute();
    }
  });
}

/**
 * Callbacks stored as the writer leaves a counted one: its unit, its participant's count, and its log row.
 * Callback n is the like of participant n mod the number of fans, with the remark `${tag}-${n}`; counts go
 * on from what the database holds, including what earlier loads counted.
 */
export async function addCallbacks(
  db: Db,
  project: Project,
  fans: Fan[],
  callbacks: number,
  tag: string,
): Promise<void> {
  const now = Date.now();
  const counts = await likeCounts(db, fans);
  const perTransaction = 50_000;
  for (let from = 0; from < callbacks; from += perTransaction) {
    const to = Math.min(callbacks, from + perTransaction);
    const units: ProgressUnitsTable[] = [];
    const logs: Insertable<CallbackLogTable>[] = [];
    for (let n = from; n < to; n++) {
      const fan = fans[n % fans.length] as Fan;
      const remark = `${tag}-${n}`;
      const count = (counts.get(fan.id) ?? 0) + 1;
      counts.set(fan.id, count);
      units.push({
        task_id: fan.like.id,
        participant_id: fan.id,
        unit_key: unitKey(remark, () => newId('u')),
        created_at: now,
      });
      logs.push({
        project_id: project.projectId,
        received_at: now,
        track_id: fan.trackId,
        event: LIKE_EVENT,
        remark,
        code: 'recorded',
        detail: countMessage({ code: 'recorded', count, eligible: false }, fan.like.requiredAmount),
        expected_canonical: null,
        hint: null,
      });
    }
    await db.transaction().execute(async (tx) => {
      for (const chunk of chunks(units)) await tx.insertInto('progress_units').values(chunk).execute();
      for (const chunk of chunks(logs)) await tx.insertInto('callback_log').values(chunk).execute();
    });
  }
  const progress = fans
    .filter((fan) => counts.has(fan.id))
    .map((fan) => ({
      task_id: fan.like.id,
      participant_id: fan.id,
      count: counts.get(fan.id) as number,
      completed_at: null,
    }));
  // Replaced, not upserted: on SQLite task_progress is a view, which takes inserts and deletes but no upsert.
  await db.transaction().execute(async (tx) => {
    for (const chunk of chunks(progress)) {
      await tx
        .deleteFrom('task_progress')
        .where('task_id', 'in', [...new Set(chunk.map((row) => row.task_id))])
        .where(
          'participant_id',
          'in',
          chunk.map((row) => row.participant_id),
        )
        .execute();
      await tx.insertInto('task_progress').values(chunk).execute();
    }
  });
}

/** Each fan's count on its like task, by participant id; none before its first unit. */
async function likeCounts(db: Db, fans: Fan[]): Promise<Map<string, number>> {
  const tasks = [...new Set(fans.map((fan) => fan.like.id))];
  if (tasks.length === 0) return new Map();
  const rows = await db
    .selectFrom('task_progress')
    .select(['participant_id', 'count'])
    .where('task_id', 'in', tasks)
    .execute();
  return new Map(rows.map((row) => [row.participant_id, Number(row.count)]));
}

/** Rows per insert: well under both engines' limit on a statement's parameters. */
const ROWS_PER_INSERT = 1_000;

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) yield rows.slice(at, at + ROWS_PER_INSERT);
}

/** The callbacks the database holds, whoever stored them. */
export async function storedCallbacks(db: Db): Promise<number> {
  const row = await db
    .selectFrom('callback_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
