import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  liveGiveaway,
  solveEntryChallenge,
  startServer,
  type TestServer,
  testEngine,
  uniqueEmail,
} from './support.js';

const joinAs = (server: TestServer, slug: string, payload: Record<string, unknown>, remoteAddress?: string) =>
  server.request({
    method: 'POST',
    url: `/api/v1/giveaways/${slug}/entries`,
    payload,
    ...(remoteAddress ? { remoteAddress } : {}),
  });

describe(`${testEngine}: a giveaway that asks for a proof of work`, () => {
  let server: TestServer;
  let giveaway: GiveawayFixture;

  beforeAll(async () => {
    server = await startServer();
    giveaway = await liveGiveaway(server, { settings: { entryChallenge: 'pow' } });
  });

  it('says so in its public view and hands out a challenge bound to it', async () => {
    const view = await server.request({ method: 'GET', url: `/api/v1/giveaways/${giveaway.slug}` });
    expect(view.json().entryChallenge).toBe('pow');
    const res = await server.request({ method: 'GET', url: `/api/v1/giveaways/${giveaway.slug}/challenge` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().parameters).toMatchObject({
      algorithm: 'PBKDF2/SHA-256',
      data: { giveawayId: giveaway.giveawayId },
    });
    expect(res.json().signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a join without a solution, saying what is missing', async () => {
    const res = await joinAs(server, giveaway.slug, { email: uniqueEmail('fan') });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(res.json().message).toMatch(/proof of work.*altcha/);
  });

  it('refuses a wrong solution, a forged challenge and garbage', async () => {
    const altcha = await solveEntryChallenge(server, giveaway.slug);
    const payload = JSON.parse(Buffer.from(altcha, 'base64').toString());
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

    const wrong = encode({
      ...payload,
      solution: { ...payload.solution, counter: payload.solution.counter + 1 },
    });
    let res = await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha: wrong });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/not a correct solution/);

    const forged = encode({
      ...payload,
      challenge: { ...payload.challenge, parameters: { ...payload.challenge.parameters, keyPrefix: '0' } },
    });
    res = await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha: forged });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/did not issue/);

    res = await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha: 'bm90IGpzb24=' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/not a challenge solution/);
  });

  it('takes a solved challenge once: the same solution again is refused as used', async () => {
    const altcha = await solveEntryChallenge(server, giveaway.slug);
    expect((await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha })).statusCode).toBe(201);
    const again = await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha });
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toMatch(/already used/);
  });

  it('lets exactly one of two joins racing with one solution in', async () => {
    const altcha = await solveEntryChallenge(server, giveaway.slug);
    const answers = await Promise.all(
      [1, 2].map(() => joinAs(server, giveaway.slug, { email: uniqueEmail('racer'), altcha })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 400]);
  });

  it('refuses an expired challenge, and one solved for another giveaway', async () => {
    const other = await liveGiveaway(server, { settings: { entryChallenge: 'pow' } });
    const foreign = await solveEntryChallenge(server, other.slug);
    let res = await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha: foreign });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/another giveaway/);

    const altcha = await solveEntryChallenge(server, giveaway.slug);
    server.clock.advance(11 * 60_000);
    res = await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/expired/);

    // Spent solutions are kept only while their challenge could still be used.
    const spent = () => server.db.selectFrom('spent_challenges').select('nonce').execute();
    expect((await spent()).length).toBeGreaterThan(0);
    await server.services.deleteExpiredRows();
    expect(await spent()).toHaveLength(0);
  });

  it('still refuses a used solution after a restart, and from another server sharing the database', async () => {
    const altcha = await solveEntryChallenge(server, giveaway.slug);
    expect((await joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha })).statusCode).toBe(201);
    const other = await startServer({}, server.databaseUrl);
    other.clock.now = server.clock.now;
    const res = await joinAs(other, giveaway.slug, { email: uniqueEmail('fan'), altcha });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/already used/);
    await other.close();
    if (testEngine === 'sqlite') return;
    // On PostgreSQL both run at once: the other server is a second process's view of the same rows.
    const second = await startServer({}, server.databaseUrl);
    second.clock.now = server.clock.now;
    const fresh = await solveEntryChallenge(server, giveaway.slug);
    const [a, b] = await Promise.all([
      joinAs(server, giveaway.slug, { email: uniqueEmail('fan'), altcha: fresh }),
      joinAs(second, giveaway.slug, { email: uniqueEmail('fan'), altcha: fresh }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400]);
  });

  it('hands out no challenge for a giveaway that asks for none, and joins it without one', async () => {
    const plain = await liveGiveaway(server);
    const view = await server.request({ method: 'GET', url: `/api/v1/giveaways/${plain.slug}` });
    expect(view.json().entryChallenge).toBe('none');
    const res = await server.request({ method: 'GET', url: `/api/v1/giveaways/${plain.slug}/challenge` });
    expect(res.statusCode).toBe(409);
    expect((await joinAs(server, plain.slug, { email: uniqueEmail('fan') })).statusCode).toBe(201);
  });
});

describe(`${testEngine}: joins per client address`, () => {
  it('limits joins a minute from one address (JOIN_RATE_PER_IP), others unaffected, and refills', async () => {
    const server = await startServer({ JOIN_RATE_PER_IP: '2' });
    const { slug } = await liveGiveaway(server);
    for (let i = 0; i < 2; i++) {
      expect((await joinAs(server, slug, { email: uniqueEmail('fan') }, '203.0.113.7')).statusCode).toBe(201);
    }
    const third = await joinAs(server, slug, { email: uniqueEmail('fan') }, '203.0.113.7');
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(third.headers['retry-after']).toBeDefined();
    expect((await joinAs(server, slug, { email: uniqueEmail('fan') }, '198.51.100.1')).statusCode).toBe(201);
    server.clock.advance(30_000);
    expect((await joinAs(server, slug, { email: uniqueEmail('fan') }, '203.0.113.7')).statusCode).toBe(201);
  });

  it('does not limit joins with JOIN_RATE_PER_IP=0', async () => {
    const server = await startServer({ JOIN_RATE_PER_IP: '0' });
    const { slug } = await liveGiveaway(server);
    for (let i = 0; i < 25; i++) {
      expect((await joinAs(server, slug, { email: uniqueEmail('fan') }, '203.0.113.7')).statusCode).toBe(201);
    }
  });
});

describe(`${testEngine}: signals in the participants export`, () => {
  it('counts entries per join network and flags disposable addresses, without keeping addresses', async () => {
    const server = await startServer();
    const giveaway = await liveGiveaway(server);
    const joins = [
      ['a@mailinator.com', '203.0.113.5'],
      [uniqueEmail('b'), '203.0.113.200'],
      [uniqueEmail('c'), '198.51.100.1'],
      [uniqueEmail('d'), '2001:db8:7:1::1'],
      [uniqueEmail('e'), '2001:db8:7:ffff::2'],
    ];
    for (const [email, address] of joins) {
      expect((await joinAs(server, giveaway.slug, { email }, address)).statusCode).toBe(201);
    }
    const auth = bearer(giveaway.host.token);
    const json = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${giveaway.giveawayId}/participants`,
      headers: auth,
    });
    const rows = json.json().participants as {
      email: string;
      networkEntries: number;
      disposableEmail: boolean;
    }[];
    const signals = Object.fromEntries(rows.map((r) => [r.email, [r.networkEntries, r.disposableEmail]]));
    expect(joins.map(([email]) => signals[email])).toEqual([
      [2, true],
      [2, false],
      [1, false],
      [2, false],
      [2, false],
    ]);
    const csv = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${giveaway.giveawayId}/participants?format=csv`,
      headers: auth,
    });
    const [header, ...lines] = csv.body.split('\r\n');
    expect(header).toContain('networkEntries,disposableEmail');
    expect(lines.find((line) => line.includes('a@mailinator.com'))).toMatch(/,2,true(,|$)/);

    const stored = await server.db.selectFrom('participants').select('ip_bucket').execute();
    expect(stored.map((r) => r.ip_bucket).sort()).toEqual([
      '198.51.100.0/24',
      '2001:db8:7::/48',
      '2001:db8:7::/48',
      '203.0.113.0/24',
      '203.0.113.0/24',
    ]);
  });
});

describe(`${testEngine}: a draft's entry protection`, () => {
  it('changes with an edit while a draft, is kept by other edits, and is fixed once published', async () => {
    const server = await startServer();
    const draft = await liveGiveaway(server, { publish: false });
    const auth = bearer(draft.host.token);
    const url = `/api/v1/giveaways/${draft.giveawayId}`;
    const patch = (payload: Record<string, unknown>) =>
      server.request({ method: 'PATCH', url, headers: auth, payload });
    const view = async () => (await server.request({ method: 'GET', url, headers: auth })).json();
    expect((await view()).editable).toEqual(
      expect.arrayContaining(['entryChallenge', 'requireVerifiedEmail']),
    );

    const unknown = await patch({ entryChallenge: 'captcha', winnerMode: 'raffle' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toBe(
      'winnerMode must be lucky_draw or first_come; entryChallenge must be none or pow',
    );
    expect((await patch({ entryChallenge: 'pow' })).statusCode).toBe(200);
    expect((await view()).entryChallenge).toBe('pow');
    expect((await patch({ title: 'Renamed' })).statusCode).toBe(200);
    expect(await view()).toMatchObject({
      title: 'Renamed',
      entryChallenge: 'pow',
      requireVerifiedEmail: false,
    });

    // This server sends no mail: the draft is refused the setting, by its field, and stays as it was.
    const verified = await patch({ requireVerifiedEmail: true, entryChallenge: 'none' });
    expect(verified.statusCode).toBe(422);
    expect(verified.json().fields).toEqual([
      { field: 'requireVerifiedEmail', message: expect.stringMatching(/needs outgoing mail/) },
    ]);
    expect((await view()).entryChallenge).toBe('pow');
    // Given verified emails while the server still sent mail, a draft keeps taking its other edits.
    await server.db
      .updateTable('giveaways')
      .set({ require_verified_email: 1 })
      .where('id', '=', draft.giveawayId)
      .execute();
    expect((await patch({ title: 'Still editable' })).statusCode).toBe(200);
    await server.db
      .updateTable('giveaways')
      .set({ require_verified_email: 0 })
      .where('id', '=', draft.giveawayId)
      .execute();

    await server.request({ method: 'POST', url: `${url}/publish`, headers: auth });
    const fixed = await patch({ entryChallenge: 'none' });
    expect(fixed.statusCode).toBe(409);
    expect(fixed.json().message).toMatch(/^entryChallenge cannot change once the giveaway is published/);
    expect((await view()).entryChallenge).toBe('pow');
  });
});
