import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, LISTENER_NAME } from '../src/cluster/cluster-bus.js';
import { type Db, openDatabase } from '../src/db/database.js';
import {
  type Event,
  followEvents,
  freshDatabaseUrl,
  readEvents,
  signedCallback,
  spawnServer,
  step,
  uniqueEmail,
} from './support.js';

/**
 * Two server processes on two ports, one PostgreSQL database: what a load balancer in front of several
 * processes gives. Counts must stay exact when the very same callback reaches both in the same instant,
 * and what one process changes or takes must be seen by the other at once.
 */

const FANS = 32;
const children: ChildProcess[] = [];
let databaseUrl: string;
let db: Db;
let a: string;
let b: string;

async function startProcess(): Promise<string> {
  const { child, base } = await spawnServer(databaseUrl);
  children.push(child);
  return base;
}

type Answer = { status: number; body: { code?: string; [key: string]: unknown } };

async function call(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<Answer> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

type Setup = {
  token: string;
  projectId: string;
  apiKey: string;
  giveawayId: string;
  slug: string;
  signUp: string;
  deposit: string;
};

/** A host's first_come giveaway with a sign-up and three deposits, made through process A. */
async function giveaway(): Promise<Setup> {
  const { body: host } = await call(a, 'POST', '/api/v1/auth/signup', {
    email: uniqueEmail(),
    password: 'correct horse battery',
  });
  const token = host.token as string;
  const { body: project } = await call(a, 'POST', '/api/v1/projects', { name: 'Shop' }, token);
  const projectId = project.id as string;
  const { body: website } = await call(
    a,
    'POST',
    `/api/v1/projects/${projectId}/websites`,
    { name: 'Shop', url: 'https://shop.example/' },
    token,
  );
  const { body: created } = await call(
    a,
    'POST',
    `/api/v1/projects/${projectId}/giveaways`,
    {
      title: 'Two processes',
      winnerMode: 'first_come',
      winnerCount: 3,
      tasks: [
        { websiteId: website.id, event: 'sign_up', name: 'Sign up' },
        { websiteId: website.id, event: 'deposit', name: 'Deposit three times', requiredAmount: 3 },
      ],
    },
    token,
  );
  const published = await call(a, 'POST', `/api/v1/giveaways/${created.id}/publish`, undefined, token);
  expect(published.status).toBe(200);
  const tasks = created.tasks as { id: string; event: string }[];
  return {
    token,
    projectId,
    apiKey: project.apiKey as string,
    giveawayId: created.id as string,
    slug: created.slug as string,
    signUp: tasks.find((t) => t.event === 'sign_up')?.id as string,
    deposit: tasks.find((t) => t.event === 'deposit')?.id as string,
  };
}

/** A participant who joined through one process and got their track_id through the other. */
async function participant(setup: Setup, via: [string, string]) {
  const joined = await call(via[0], 'POST', `/api/v1/giveaways/${setup.slug}/entries`, {
    email: uniqueEmail('fan'),
  });
  const token = joined.body.token as string;
  const visit = await call(via[1], 'POST', `/api/v1/tasks/${setup.signUp}/visits`, undefined, token);
  return { id: joined.body.participantId as string, token, trackId: visit.body.trackId as string };
}

const postCallback = (base: string, body: unknown) => call(base, 'POST', '/api/callback', body);

/**
 * Rotates the key through A with no grace; B must refuse the old key as soon as A's notification reaches
 * it. That is asynchronous: on two busy cores, the test's next request to B can beat B's listening
 * connection by a few milliseconds, so B is asked again for half a second. Half a second is a tenth of the
 * caches' own expiry (5 s): a process that never heard the notification would fail this nine times in ten.
 * The probe carries `counted`, a deposit's remark already counted, so that an answer from before the
 * notification changes no count. Answers the new key.
 */
async function rotateThroughAThenOldKeyToB(
  setup: Setup,
  trackId: string,
  counted: string,
  to = b,
): Promise<string> {
  const rotated = await call(
    a,
    'POST',
    `/api/v1/projects/${setup.projectId}/api-key/rotate`,
    { graceHours: 0 },
    setup.token,
  );
  expect(rotated.status).toBe(200);
  await expect
    .poll(
      async () =>
        (await postCallback(to, signedCallback(setup.apiKey, trackId, 'deposit', counted))).body.code,
      { timeout: 500, interval: 20 },
    )
    .toBe('invalid_signature');
  return rotated.body.apiKey as string;
}

/**
 * A TCP relay to PostgreSQL that can go silent on the connections that LISTEN, as a NAT or a firewall that
 * forgets an idle flow does: their bytes stop both ways, and neither end is told.
 */
async function silenceableRelay(target: URL) {
  const flows: { listens: boolean; silent: boolean; sockets: net.Socket[] }[] = [];
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    const flow = { listens: false, silent: false, sockets: [inbound, outbound] };
    flows.push(flow);
    inbound.on('data', (chunk: Buffer) => {
      if (chunk.includes(`listen ${CHANNEL}`)) flow.listens = true;
      if (!flow.silent) outbound.write(chunk);
    });
    outbound.on('data', (chunk: Buffer) => {
      if (!flow.silent) inbound.write(chunk);
    });
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      from.on('end', () => flow.silent || to.end());
      from.on('error', () => flow.silent || to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: Object.assign(new URL(target), { port: String((server.address() as net.AddressInfo).port) }),
    /** Silences the flows listening now; answers how many. */
    silenceListeners: () => {
      const listening = flows.filter((flow) => flow.listens && !flow.silent);
      for (const flow of listening) flow.silent = true;
      return listening.length;
    },
    /** Flows listening and not silenced. */
    listeners: () => flows.filter((flow) => flow.listens && !flow.silent).length,
    close: () => {
      for (const socket of flows.flatMap((flow) => flow.sockets)) socket.destroy();
      server.close();
    },
  };
}

beforeAll(async () => {
  databaseUrl = await freshDatabaseUrl('postgres');
  db = await openDatabase({ engine: 'postgres', url: databaseUrl, poolSize: 2 });
  [a, b] = await Promise.all([startProcess(), startProcess()]);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(null)))),
  );
  await db?.destroy();
});

describe('two processes on one PostgreSQL database', () => {
  it('count the very same remark-less body once, sent to both at once within the replay window', async () => {
    const setup = await giveaway();
    const fan = await participant(setup, [a, b]);
    const visit = await call(b, 'POST', `/api/v1/tasks/${setup.deposit}/visits`, undefined, fan.token);
    const body = signedCallback(setup.apiKey, visit.body.trackId as string, 'deposit');
    const answers = await Promise.all([a, b, a, b].map((base) => postCallback(base, body)));
    expect(answers.map((x) => x.body.code).sort()).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'recorded',
    ]);
    const progress = await db
      .selectFrom('task_progress')
      .select('count')
      .where('participant_id', '=', fan.id)
      .where('task_id', '=', setup.deposit)
      .executeTakeFirstOrThrow();
    expect(progress.count).toBe(1);
  });

  it('count every unit once and answer completed once, with the same callback sent to both at once', async () => {
    const setup = await giveaway();
    const groups: Awaited<ReturnType<typeof participant>>[][] = [[], []];
    for (let i = 0; i < FANS; i++) {
      groups[i < FANS / 2 ? 0 : 1].push(await participant(setup, i % 2 ? [a, b] : [b, a]));
    }

    const answers = new Map<string, Answer[]>();
    // The same sign-up goes to both processes in the same instant, twice each. Of four deposit remarks (one
    // more than the task needs) the first goes to both, the others to one process or the other, so that the
    // two writers count different units of the same task at once.
    const plan: [event: string, remark: string, bases: string[]][] = [
      ['sign_up', 'account', [a, b, a, b]],
      ['deposit', 'tx-1', [a, b]],
      ['deposit', 'tx-2', [a]],
      ['deposit', 'tx-3', [b]],
      ['deposit', 'tx-4', [b]],
    ];
    // One participant's callbacks at a time: both processes then batch the same participant's units together.
    async function send(fans: (typeof groups)[number]) {
      for (const fan of fans) await burst(fan);
    }
    async function burst(fan: (typeof groups)[number][number]) {
      const sends: Promise<void>[] = [];
      for (const [event, remark, bases] of plan) {
        const body = signedCallback(setup.apiKey, fan.trackId, event, remark);
        for (const base of bases) {
          sends.push(
            postCallback(base, body).then((answer) => {
              const key = `${fan.id} ${event}`;
              answers.set(key, [...(answers.get(key) ?? []), answer]);
            }),
          );
        }
      }
      await Promise.all(sends);
    }
    await send(groups[0]);
    await send(groups[1]);

    const everyone = groups.flat();
    for (const fan of everyone) {
      for (const event of ['sign_up', 'deposit']) {
        const got = answers.get(`${fan.id} ${event}`) ?? [];
        expect(got.map((x) => x.status).every((s) => s === 200)).toBe(true);
        expect(got.filter((x) => x.body.code === 'completed')).toHaveLength(1);
      }
    }
    const progress = await db
      .selectFrom('task_progress')
      .select(['participant_id', 'task_id', 'count', 'completed_at'])
      .where(
        'participant_id',
        'in',
        everyone.map((f) => f.id),
      )
      .execute();
    expect(progress).toHaveLength(FANS * 2);
    for (const row of progress) expect(row.count).toBe(row.task_id === setup.deposit ? 3 : 1);
    const units = await db
      .selectFrom('progress_units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(
        'participant_id',
        'in',
        everyone.map((f) => f.id),
      )
      .executeTakeFirstOrThrow();
    expect(Number(units.n)).toBe(FANS * 4);

    // Eligible when the last task completed, and in the order the callbacks came: the first group's
    // callbacks were all answered before the second group's were sent.
    const entrants = await db
      .selectFrom('participants')
      .select(['id', 'eligible_at'])
      .where('giveaway_id', '=', setup.giveawayId)
      .execute();
    const eligibleAt = new Map(entrants.map((p) => [p.id, p.eligible_at]));
    for (const fan of everyone) {
      const completed = progress
        .filter((p) => p.participant_id === fan.id)
        .map((p) => p.completed_at as number);
      expect(eligibleAt.get(fan.id)).toBe(Math.max(...completed));
    }
    const latestFirst = Math.max(...groups[0].map((f) => eligibleAt.get(f.id) as number));
    const earliestSecond = Math.min(...groups[1].map((f) => eligibleAt.get(f.id) as number));
    expect(latestFirst).toBeLessThan(earliestSecond);

    // Every callback is in the log once, and both processes' rows share one id sequence.
    const logged = await db
      .selectFrom('callback_log')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('id').distinct().as('ids')])
      .where('project_id', '=', setup.projectId)
      .executeTakeFirstOrThrow();
    expect(Number(logged.n)).toBe(FANS * 9);
    expect(Number(logged.ids)).toBe(FANS * 9);
  });

  it('stream to a client of one process what the other took', async () => {
    const setup = await giveaway();
    const fan = await participant(setup, [a, b]);
    const entries = await call(a, 'POST', `/api/v1/giveaways/${setup.slug}/entries`, {
      email: uniqueEmail('watcher'),
    });
    expect(entries.status).toBe(201);
    const log = readEvents(
      `${b}/api/v1/projects/${setup.projectId}/callbacks/events`,
      { authorization: `Bearer ${setup.token}` },
      (events) => events.some((e) => e.event === 'callback'),
    );
    const progress = readEvents(
      `${b}/api/v1/giveaways/${setup.slug}/entries/me/events`,
      { authorization: `Bearer ${fan.token}` },
      (events) => events.filter((e) => e.event === 'progress').length >= 2,
    );
    // The streams are open once the first progress state arrives; give the log stream the same moment.
    await new Promise((r) => setTimeout(r, 300));
    const answer = await postCallback(a, signedCallback(setup.apiKey, fan.trackId, 'sign_up'));
    expect(answer.body.code).toBe('completed');

    const [logged, progressed] = await Promise.all([log, progress]);
    expect(logged.status).toBe(200);
    expect(logged.events.find((e) => e.event === 'callback')?.data).toMatchObject({
      trackId: fan.trackId,
      event: 'sign_up',
      code: 'completed',
    });
    const [before, after] = progressed.events.filter((e) => e.event === 'progress');
    expect(JSON.stringify(after?.data)).not.toBe(JSON.stringify(before?.data));
  });

  it("tell a participant's stream on one process at once that the host ended, then drew, through the other", async () => {
    const setup = await giveaway();
    const fan = await participant(setup, [a, b]);
    const stream = await followEvents(`${b}/api/v1/giveaways/${setup.slug}/entries/me/events`, {
      authorization: `Bearer ${fan.token}`,
    });
    const phase = (status: string) => (event: Event) =>
      event.event === 'giveaway' && (event.data as { status: string }).status === status;
    await stream.next('the current state on B', phase('live'));

    const ended = await call(a, 'POST', `/api/v1/giveaways/${setup.giveawayId}/end`, undefined, setup.token);
    expect(ended.status).toBe(200);
    await stream.next("A's end, on B's stream", phase('ended'));
    const drawn = await call(a, 'POST', `/api/v1/giveaways/${setup.giveawayId}/draw`, undefined, setup.token);
    expect(drawn.status).toBe(200);
    await stream.next("A's draw, on B's stream", phase('drawn'));
    stream.close();
  });

  it("end a host's live log on one process when the host signs out everywhere through the other", async () => {
    const setup = await giveaway();
    const stream = await followEvents(`${b}/api/v1/projects/${setup.projectId}/callbacks/events`, {
      authorization: `Bearer ${setup.token}`,
    });
    expect(stream.status).toBe(200);
    const revoked = await fetch(`${a}/api/v1/auth/sessions/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${setup.token}` },
    });
    expect(revoked.status).toBe(204);
    await step("B's stream ends", stream.ended);
    const again = await call(
      b,
      'GET',
      `/api/v1/projects/${setup.projectId}/callbacks`,
      undefined,
      setup.token,
    );
    expect(again.status).toBe(401);
  });

  it('honour in one process, as soon as it hears, a key rotated or a giveaway ended through the other', async () => {
    const setup = await giveaway();
    const fan = await participant(setup, [a, b]);
    // Both processes have the old key and the live schedule in their caches.
    for (const base of [a, b]) {
      expect(
        (await postCallback(base, signedCallback(setup.apiKey, fan.trackId, 'deposit', `warm-${base}`)))
          .status,
      ).toBe(200);
    }

    const newKey = await rotateThroughAThenOldKeyToB(setup, fan.trackId, `warm-${b}`);
    const fresh = await postCallback(b, signedCallback(newKey, fan.trackId, 'deposit', 'new-key'));
    expect(fresh.body.code).toBe('completed');

    const ended = await call(a, 'POST', `/api/v1/giveaways/${setup.giveawayId}/end`, undefined, setup.token);
    expect(ended.status).toBe(200);
    const late = await postCallback(b, signedCallback(newKey, fan.trackId, 'sign_up'));
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('giveaway_not_live');
    // The track link is decided on B's cached schedule alone, without the writer's re-check.
    const visit = await call(b, 'POST', `/api/v1/tasks/${setup.deposit}/visits`, undefined, fan.token);
    expect(visit.status).toBe(409);
    expect(visit.body.code).toBe('giveaway_not_live');
  });

  it('give a live log client of one process every row both commit, in id order, and resume after any', async () => {
    const setup = await giveaway();
    const fans = [await participant(setup, [a, b]), await participant(setup, [b, a])];
    const total = 40;
    const url = `${b}/api/v1/projects/${setup.projectId}/callbacks/events`;
    const auth = { authorization: `Bearer ${setup.token}` };
    const live = readEvents(url, auth, (events) => events.length >= total);
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(
      Array.from({ length: total }, (_, n) =>
        postCallback(
          n % 2 ? a : b,
          signedCallback(setup.apiKey, fans[n % 4 < 2 ? 0 : 1].trackId, 'deposit', `live-${n}`),
        ),
      ),
    );
    const logged = (
      await db
        .selectFrom('callback_log')
        .select('id')
        .where('project_id', '=', setup.projectId)
        .orderBy('id')
        .execute()
    ).map((r) => String(r.id));
    expect(logged).toHaveLength(total);
    const received = (await live).events.map((e) => e.id);
    expect(received).toEqual(logged);

    const resumed = await readEvents(
      url,
      { ...auth, 'last-event-id': logged[9] },
      (events) => events.length >= total - 10,
    );
    expect(resumed.events.map((e) => e.id)).toEqual(logged.slice(10));
  });

  it('reconnect a listener whose connection was cut, and hear changes again', async () => {
    const setup = await giveaway();
    const fan = await participant(setup, [a, b]);
    const cut = await sql<{ pid: number }>`select pid, pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and application_name = ${LISTENER_NAME}`.execute(db);
    expect(cut.rows).toHaveLength(2);
    // Each process listens again on a connection of its own. /readyz alone could answer before a process
    // has even noticed the cut, and a change made then would be missed.
    const cutPids = cut.rows.map((row) => row.pid);
    await expect
      .poll(
        async () =>
          (
            await sql<{ pid: number }>`select pid from pg_stat_activity
              where datname = current_database() and application_name = ${LISTENER_NAME}`.execute(db)
          ).rows.filter((row) => !cutPids.includes(row.pid)).length,
        { timeout: 10_000 },
      )
      .toBe(2);
    for (const base of [a, b]) {
      let ready = false;
      for (let i = 0; i < 200 && !ready; i++) {
        ready = (await fetch(`${base}/readyz`)).ok;
        if (!ready) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ready).toBe(true);
    }

    const warm = await postCallback(
      b,
      signedCallback(setup.apiKey, fan.trackId, 'deposit', 'after-reconnect'),
    );
    expect(warm.status).toBe(200);
    await rotateThroughAThenOldKeyToB(setup, fan.trackId, 'after-reconnect');
  });

  it('notice a listener that the network silently cut, listen again, and hear changes again', async () => {
    const relay = await silenceableRelay(new URL(databaseUrl));
    const { child, base: c } = await spawnServer(relay.url.toString(), {}, { log: 'pipe' });
    children.push(child);
    let log = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    try {
      const setup = await giveaway();
      const fan = await participant(setup, [a, c]);
      expect(relay.silenceListeners()).toBe(1);

      // No error comes from a silent connection: C must find out by itself, and listen on a new one.
      await expect.poll(() => relay.listeners(), { timeout: 20_000, interval: 100 }).toBe(1);
      expect(log).toContain('the listening connection did not answer');
      await expect.poll(async () => (await fetch(`${c}/readyz`)).status, { timeout: 5_000 }).toBe(200);

      const warm = await postCallback(c, signedCallback(setup.apiKey, fan.trackId, 'deposit', 'warm-c'));
      expect(warm.status).toBe(200);
      await rotateThroughAThenOldKeyToB(setup, fan.trackId, 'warm-c', c);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      relay.close();
    }
  });
});
