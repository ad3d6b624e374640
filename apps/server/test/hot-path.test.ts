import { describe, expect, it } from 'vitest';
import {
  bearer,
  join,
  liveGiveaway,
  postCallback,
  sign,
  signedCallback,
  startServer,
  type TestServer,
  trackIdFor,
} from './support.js';

async function counted(server: Awaited<ReturnType<typeof startServer>>) {
  const units = await server.db
    .selectFrom('progress_units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(units.n);
}

describe('group commit', () => {
  it('counts the very same unit once when copies arrive in the same batch', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'purchase', requiredAmount: 5 }] });
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    const body = signedCallback(fixture.apiKey, trackId, 'purchase', 'order-1');
    const answers = await Promise.all(Array.from({ length: 20 }, () => postCallback(server, body)));
    const codes = answers.map((a) => a.json().code).sort();
    expect(codes.filter((c) => c === 'recorded')).toHaveLength(1);
    expect(codes.filter((c) => c === 'duplicate')).toHaveLength(19);
    expect(await counted(server)).toBe(1);
  });

  it('answers completed exactly once when concurrent units finish a task', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'like_article', requiredAmount: 3 }] });
    const participant = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, participant, fixture.tasks[0].id);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postCallback(server, signedCallback(fixture.apiKey, trackId, 'like_article', `a${i}`)),
      ),
    );
    const codes = answers.map((a) => a.json().code);
    expect(codes.filter((c) => c === 'recorded')).toHaveLength(2);
    expect(codes.filter((c) => c === 'completed')).toHaveLength(1);
    expect(codes.filter((c) => c === 'duplicate')).toHaveLength(7);
    expect(await counted(server)).toBe(3);
    const me = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.slug}/entries/me`,
      headers: bearer(participant.token),
    });
    expect(me.json()).toMatchObject({ eligible: true, tasks: [{ count: 3, completed: true }] });
  });

  it('creates one track_id when a participant clicks twice at once', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    const participant = await join(server, fixture.slug);
    const visits = await Promise.all(
      Array.from({ length: 5 }, () =>
        server.request({
          method: 'POST',
          url: `/api/v1/tasks/${fixture.tasks[0].id}/visits`,
          headers: bearer(participant.token),
        }),
      ),
    );
    expect(new Set(visits.map((v) => v.json().trackId)).size).toBe(1);
  });
});

/** proofdrop_lookup_reads_total by `what`, from /metrics. */
async function lookupReads(server: TestServer): Promise<Record<string, number>> {
  const text = (await server.request({ method: 'GET', url: '/metrics' })).body;
  return Object.fromEntries(
    [...text.matchAll(/^proofdrop_lookup_reads_total\{what="([a-z_]+)"\} (\d+)$/gm)].map(([, what, n]) => [
      what as string,
      Number(n),
    ]),
  );
}

function readsBetween(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([what, n]) => [what, n - (before[what] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

describe('what a join and a first click leave in the caches', () => {
  it("reads nothing for a participant's first callback after their first click, but whether they had a track_id", async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'purchase', requiredAmount: 5 }] });
    // The first callback on the giveaway reads its tasks on the website, once for every participant.
    const first = await join(server, fixture.slug);
    const firstTrack = await trackIdFor(server, first, fixture.tasks[0].id);
    await postCallback(server, signedCallback(fixture.apiKey, firstTrack, 'purchase', 'order-1'));
    const before = await lookupReads(server);

    const fan = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, fan, fixture.tasks[0].id);
    const answer = await postCallback(server, signedCallback(fixture.apiKey, trackId, 'purchase', 'order-2'));
    expect(answer.json()).toMatchObject({ ok: true, code: 'recorded', progress: { count: 1, required: 5 } });
    const go = await server.request({
      method: 'GET',
      url: `/go/${fixture.tasks[0].id}`,
      headers: bearer(fan.token),
    });
    expect(go.statusCode).toBe(302);
    expect(go.headers.location).toContain(trackId);

    expect(readsBetween(before, await lookupReads(server))).toEqual({ track_id: 1 });
  });
});

describe('the end of a giveaway under load', () => {
  it('counts nothing after the end: exactly the participants answered completed are in the frozen list', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server);
    const fans = [];
    for (let i = 0; i < 30; i++) {
      const fan = await join(server, fixture.slug);
      fans.push({ fan, trackId: await trackIdFor(server, fan, fixture.tasks[0].id) });
    }
    const callbacks = fans.map(
      ({ trackId }) =>
        () =>
          postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up')),
    );
    const end = () =>
      server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
        headers: bearer(fixture.host.token),
      });
    const answers = await Promise.all([
      ...callbacks.slice(0, 15).map((c) => c()),
      end(),
      ...callbacks.slice(15).map((c) => c()),
    ]);
    const codes = answers.filter((_, i) => i !== 15).map((a) => a.json().code as string);
    expect(codes.every((c) => c === 'completed' || c === 'giveaway_not_live')).toBe(true);
    const completed = fans.filter((_, i) => codes[i] === 'completed').map(({ fan }) => fan.participantId);
    const proof = (
      await server.request({ method: 'GET', url: `/api/v1/giveaways/${fixture.slug}/draw` })
    ).json();
    expect([...proof.entries].sort()).toEqual([...completed].sort());
    expect(await counted(server)).toBe(completed.length);
  });
});

describe('back-pressure and rate limits', () => {
  it('answers 429 with Retry-After when the writer queue is full, and counts only what it acknowledged', async () => {
    const server = await startServer({ WRITER_MAX_QUEUE: '2', CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'deposit', requiredAmount: 1000 }] });
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    const before = await counted(server);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        postCallback(server, signedCallback(fixture.apiKey, trackId, 'deposit', `d${i}`)),
      ),
    );
    const limited = answers.filter((a) => a.statusCode === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].headers['retry-after']).toBe('1');
    expect(limited[0].json()).toMatchObject({ ok: false, code: 'rate_limited' });
    const recorded = answers.filter((a) => a.statusCode === 200 && a.json().code === 'recorded');
    expect(recorded.length + limited.length).toBe(40);
    expect(await counted(server)).toBe(before + recorded.length);
  });

  it('limits one noisy track_id without touching another, and shows it in the callback log', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '2', REPLAY_WINDOW_S: '0' });
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'click', requiredAmount: 1000 }] });
    const noisy = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    const quiet = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await postCallback(server, signedCallback(fixture.apiKey, noisy, 'click'))).json().code);
    }
    // A burst of twice the rate passes, then the bucket is empty until the clock moves.
    expect(codes).toEqual(['recorded', 'recorded', 'recorded', 'recorded', 'rate_limited', 'rate_limited']);
    const refused = await postCallback(server, signedCallback(fixture.apiKey, noisy, 'click'));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().message).toBe('too many callbacks for this track_id; retry after a second');
    expect((await postCallback(server, signedCallback(fixture.apiKey, quiet, 'click'))).json().code).toBe(
      'recorded',
    );
    server.clock.advance(1000);
    expect((await postCallback(server, signedCallback(fixture.apiKey, noisy, 'click'))).json().code).toBe(
      'recorded',
    );
    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=20`,
      headers: bearer(fixture.host.token),
    });
    const limitedRows = log.json().callbacks.filter((c: { code: string }) => c.code === 'rate_limited');
    expect(limitedRows).toHaveLength(1);
  });

  it('counts every verified callback of a project by default, and limits the project when set to', async () => {
    const unlimited = await startServer({ CALLBACK_RATE_PER_TRACK: '0' });
    const open = await liveGiveaway(unlimited, { tasks: [{ event: 'click', requiredAmount: 1000 }] });
    const openTrack = await trackIdFor(unlimited, await join(unlimited, open.slug), open.tasks[0].id);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        postCallback(unlimited, signedCallback(open.apiKey, openTrack, 'click', `c${i}`)),
      ),
    );
    expect(answers.map((a) => a.json().code)).toEqual(Array(50).fill('recorded'));

    const limited = await startServer({ CALLBACK_RATE_PER_TRACK: '0', CALLBACK_RATE_PER_PROJECT: '2' });
    const fixture = await liveGiveaway(limited, { tasks: [{ event: 'click', requiredAmount: 1000 }] });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const trackId = await trackIdFor(limited, await join(limited, fixture.slug), fixture.tasks[0].id);
      codes.push((await postCallback(limited, signedCallback(fixture.apiKey, trackId, 'click'))).json().code);
    }
    // Five track_ids of one project: the project's burst of twice its rate passes, then it is over.
    expect(codes).toEqual(['recorded', 'recorded', 'recorded', 'recorded', 'rate_limited']);
    const trackId = await trackIdFor(limited, await join(limited, fixture.slug), fixture.tasks[0].id);
    const refused = await postCallback(limited, signedCallback(fixture.apiKey, trackId, 'click'));
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().message).toBe('too many callbacks for this project; retry after a second');
  });

  it('logs rejections one by one within REJECTION_LOG_RATE, then one counted row a second, answering each truthfully', async () => {
    const server = await startServer({ REJECTION_LOG_RATE: '4', CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server);
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    // The key and the message swapped: a mistake the diagnosis names, when it runs.
    const canonical = `track_id=${trackId}&event=sign_up`;
    const swapped = { track_id: trackId, event: 'sign_up', sign: sign(canonical, fixture.apiKey) };
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await postCallback(server, swapped));
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json().code).toBe('invalid_signature');
    }
    expect(answers[0]?.json().message).toMatch(/swapped/);
    // Beyond the budget the costly diagnosis is skipped.
    expect(answers[29]?.json().message).toBe(
      "sign does not verify with this project's API key: check the key, and if you signed a remark, send it in the body too",
    );

    server.clock.advance(1000);
    await postCallback(server, swapped);
    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=100`,
      headers: bearer(fixture.host.token),
    });
    const rows: { code: string; detail: string; expectedCanonical: string | null }[] = log.json().callbacks;
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.expectedCanonical !== null)).toHaveLength(5);
    expect(rows.filter((r) => r.detail.startsWith('… and 26 more invalid_signature'))).toHaveLength(1);
  });

  it('logs every rejection when REJECTION_LOG_RATE is 0', async () => {
    const server = await startServer({ REJECTION_LOG_RATE: '0', CALLBACK_RATE_PER_TRACK: '0' });
    const fixture = await liveGiveaway(server);
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    for (let i = 0; i < 25; i++) {
      const forged = await postCallback(server, signedCallback('f'.repeat(64), trackId, 'sign_up', `${i}`));
      expect(forged.statusCode).toBe(401);
    }
    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=100`,
      headers: bearer(fixture.host.token),
    });
    expect(log.json().callbacks.filter((c: { code: string }) => c.code === 'invalid_signature')).toHaveLength(
      25,
    );
  });

  it('spends no rate on callbacks whose signature fails', async () => {
    const server = await startServer({ CALLBACK_RATE_PER_TRACK: '1' });
    const fixture = await liveGiveaway(server, { tasks: [{ event: 'click', requiredAmount: 1000 }] });
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    for (let i = 0; i < 5; i++) {
      const forged = await postCallback(server, {
        ...signedCallback('f'.repeat(64), trackId, 'click'),
        remark: undefined,
      });
      expect(forged.json().code).toBe('invalid_signature');
    }
    expect((await postCallback(server, signedCallback(fixture.apiKey, trackId, 'click'))).json().code).toBe(
      'recorded',
    );
  });
});
