import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DrawProof } from '@proofdrop/contract';
import { roundTime, verifyDrawProof, verifyInclusion } from '@proofdrop/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  type ParticipantFixture,
  postCallback,
  repoRoot,
  sharedDir,
  signedCallback,
  startServer,
  type TestServer,
  tempDir,
  trackIdFor,
} from './support.js';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'apps/server/bin/proofdrop.js');

async function verifyWithCli(proof: unknown): Promise<{ code: number; out: string; err: string }> {
  const file = path.join(tempDir(), 'proof.json');
  fs.writeFileSync(file, JSON.stringify(proof));
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'verify-draw', file]);
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

async function complete(server: TestServer, fixture: GiveawayFixture, participant: ParticipantFixture) {
  const trackId = await trackIdFor(server, participant, fixture.tasks[0].id);
  const res = await postCallback(server, signedCallback(fixture.apiKey, trackId, fixture.tasks[0].event));
  expect(res.json().code).toBe('completed');
}

/** The host's draw, with what the body carries (a pasted beacon), if anything. */
const postDraw = (server: TestServer, fixture: GiveawayFixture, payload?: object) =>
  server.request({
    method: 'POST',
    url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
    headers: bearer(fixture.host.token),
    ...(payload ? { payload } : {}),
  });

const proofOf = async (server: TestServer, slug: string) =>
  (await server.request({ method: 'GET', url: `/api/v1/giveaways/${slug}/draw` })).json() as DrawProof;

describe('a giveaway through its whole life, drawn', () => {
  let server: TestServer;
  let fixture: GiveawayFixture;
  let fans: ParticipantFixture[];
  let proof: DrawProof;

  beforeAll(async () => {
    server = await startServer();
    fixture = await liveGiveaway(server);
    fans = [];
    for (let i = 0; i < 8; i++) fans.push(await join(server, fixture.slug));
    // Six complete the task, one second apart; two never do and must not be in the draw.
    for (const fan of fans.slice(0, 6).reverse()) {
      server.clock.advance(1000);
      await complete(server, fixture, fan);
    }
  });

  it('publishes the commitment at once and keeps the seed secret', async () => {
    const early = await proofOf(server, fixture.slug);
    expect(early).toMatchObject({
      version: 'proofdrop-draw-v1',
      winnerCount: 3,
      seed: null,
      entries: null,
      beacon: null,
    });
    expect(early.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(early.guarantee).toMatch(/could still have tried/);
  });

  it('refuses to draw before the end', async () => {
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
      headers: bearer(fixture.host.token),
    });
    expect(res.statusCode).toBe(409);
  });

  it('freezes the eligible entries at the end, in the order they became eligible', async () => {
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: bearer(fixture.host.token),
    });
    const frozen = await proofOf(server, fixture.slug);
    expect(frozen.entries).toEqual(
      fans
        .slice(0, 6)
        .reverse()
        .map((f) => f.participantId),
    );
    expect(frozen.seed).toBeNull();
    expect(JSON.stringify(frozen)).not.toMatch(/@example\.com/);
  });

  it('gives each participant a Merkle proof of their inclusion', async () => {
    const res = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.slug}/draw/inclusion/${fans[2]?.participantId}`,
    });
    const inclusion = res.json();
    expect(verifyInclusion(inclusion, (await proofOf(server, fixture.slug)).merkleRoot as string)).toBe(true);
    const absent = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.slug}/draw/inclusion/${fans[7]?.participantId}`,
    });
    expect(absent.statusCode).toBe(404);
  });

  it('draws winners among the eligible, reveals the seed, and the proof verifies', async () => {
    // A beacon pasted for a giveaway published without one is refused, not dropped unchecked.
    const pasted = await postDraw(server, fixture, { beacon: { round: 1, signature: 'aa' } });
    expect(pasted.statusCode).toBe(422);
    expect(pasted.json().message).toMatch(/published without a drand beacon/);
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
      headers: bearer(fixture.host.token),
    });
    expect(res.statusCode).toBe(200);
    const { winners } = res.json();
    expect(winners).toHaveLength(3);
    expect(winners.map((w: { rank: number }) => w.rank)).toEqual([1, 2, 3]);
    const eligible = new Set(fans.slice(0, 6).map((f) => f.participantId));
    for (const w of winners) expect(eligible.has(w.participantId)).toBe(true);
    expect(winners[0].email).toMatch(/@example\.com$/);

    proof = await proofOf(server, fixture.slug);
    expect(proof.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(proof.winners?.map((w) => w.entryId)).toEqual(
      winners.map((w: { participantId: string }) => w.participantId),
    );
    expect(verifyDrawProof(proof)).toEqual({ valid: true });
    const again = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
      headers: bearer(fixture.host.token),
    });
    expect(again.statusCode).toBe(409);
    const page = await server.request({ method: 'GET', url: `/api/v1/giveaways/${fixture.slug}` });
    expect(page.json().status).toBe('drawn');
  });

  it('proofdrop verify-draw says VALID, and names the step an alteration breaks', async () => {
    const valid = await verifyWithCli(proof);
    expect(valid).toMatchObject({ code: 0 });
    expect(valid.out).toMatch(/^VALID/);

    const entries = proof.entries as string[];
    const winners = proof.winners as { rank: number; entryId: string }[];
    const altered: [string, DrawProof][] = [
      ['list hash', { ...proof, entries: [...entries.slice(1), 'pt_sneaked_in'] }],
      [
        'commitment',
        {
          ...proof,
          seed:
            `${(proof.seed as string).slice(0, 63)}0` === proof.seed
              ? `${(proof.seed as string).slice(0, 63)}1`
              : `${(proof.seed as string).slice(0, 63)}0`,
        },
      ],
      [
        'winners',
        {
          ...proof,
          winners: [
            { rank: 1, entryId: entries.find((e) => !winners.some((w) => w.entryId === e)) as string },
            ...winners.slice(1),
          ],
        },
      ],
    ];
    for (const [step, broken] of altered) {
      const result = await verifyWithCli(broken);
      expect(result.code, step).toBe(1);
      expect(result.out).toContain(`INVALID at ${step}`);
    }
  });

  it("proofdrop verify-draw reads the proof from the proof page's address, as a person copies it", async () => {
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { stdout } = await run(process.execPath, [
      cli,
      'verify-draw',
      `${address}/g/${fixture.slug}/proof`,
    ]);
    expect(stdout).toMatch(/^VALID/);
  });

  it('proofdrop verify-draw says where a document is not a draw proof at all', async () => {
    const { winnerCount: _dropped, ...withoutCount } = proof;
    const result = await verifyWithCli({ ...withoutCount, winnerMode: 'raffle' });
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain('not a draw proof');
    expect(result.err).toContain('winnerMode');
    expect(result.err).toContain('winnerCount');
  });
});

describe('a draw refused for what it was given', () => {
  it('refuses a beacon pasted for a giveaway published without one before freezing anything', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { endsInMs: 60_000 });
    server.clock.advance(61_000);
    const pasted = await postDraw(server, fixture, { beacon: { round: 1, signature: 'aa' } });
    expect(pasted.statusCode).toBe(422);
    const draw = await server.db
      .selectFrom('giveaway_draws')
      .select('frozen_at')
      .where('giveaway_id', '=', fixture.giveawayId)
      .executeTakeFirstOrThrow();
    expect(draw.frozen_at).toBeNull();
  });
});

describe('a draw with a drand beacon', () => {
  const recorded = JSON.parse(fs.readFileSync(path.join(sharedDir, 'vectors/drand-quicknet.json'), 'utf8'));
  const { round, signature } = recorded.valid.find((b: { round: number }) => b.round === 32285085);
  const beacon = { round: round as number, signature: signature as string };

  it('is refused for a first-come giveaway, which draws nothing at random, and the draft stays a draft', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { publish: false, winnerMode: 'first_come' });
    const auth = bearer(fixture.host.token);
    const refused = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
      headers: auth,
      payload: { beacon: true },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({
      ok: false,
      code: 'unprocessable',
      message: expect.stringMatching(/^a first-come giveaway takes no drand beacon/),
    });
    const after = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}`,
      headers: auth,
    });
    expect(after.json()).toMatchObject({ status: 'draft' });
  });

  it('fixes the first round after the freeze, waits for it, verifies it and uses it', async () => {
    const server = await startServer();
    server.clock.now = roundTime(beacon.round) - 60_000;
    const fixture = await liveGiveaway(server, { publish: false, winnerMode: 'lucky_draw' });
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
      headers: bearer(fixture.host.token),
      payload: { beacon: true },
    });
    for (let i = 0; i < 4; i++) await complete(server, fixture, await join(server, fixture.slug));
    server.clock.now = roundTime(beacon.round) - 1500;
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: bearer(fixture.host.token),
    });
    const frozen = await proofOf(server, fixture.slug);
    expect(frozen.beacon).toMatchObject({ chain: 'quicknet', round: beacon.round, signature: null });
    expect(frozen.guarantee).toMatch(/nobody, the operator included/);

    const draw = (payload?: object) => postDraw(server, fixture, payload);
    const waiting = await draw();
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().message).toContain(String(beacon.round));
    const other = recorded.valid.find((b: { round: number }) => b.round !== beacon.round);
    expect((await draw({ beacon: { round: other.round, signature: other.signature } })).statusCode).toBe(422);
    const forged = {
      round: beacon.round,
      signature: `${beacon.signature.slice(0, 95)}${beacon.signature.endsWith('0') ? '1' : '0'}`,
    };
    expect((await draw({ beacon: forged })).statusCode).toBe(422);

    const drawn = await draw({ beacon });
    expect(drawn.statusCode).toBe(200);
    const proof = await proofOf(server, fixture.slug);
    expect(proof.beacon?.signature).toBe(beacon.signature);
    expect(verifyDrawProof(proof)).toEqual({ valid: true });
    expect(
      verifyDrawProof({
        ...proof,
        beacon: { ...(proof.beacon as NonNullable<DrawProof['beacon']>), round: beacon.round + 1 },
      }),
    ).toMatchObject({
      valid: false,
      step: 'beacon',
    });
  });
});

describe('endsAt without anyone pressing end', () => {
  it('freezes the list when the proof is first read after the end, and first_come takes the earliest', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { endsInMs: 3_600_000, winnerMode: 'first_come' });
    const fans = [];
    for (let i = 0; i < 4; i++) {
      const fan = await join(server, fixture.slug);
      server.clock.advance(1000);
      await complete(server, fixture, fan);
      fans.push(fan);
    }
    server.clock.advance(3_600_000);
    expect((await proofOf(server, fixture.slug)).entries).toEqual(fans.map((f) => f.participantId));
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
      headers: bearer(fixture.host.token),
    });
    expect(res.json().winners.map((w: { participantId: string }) => w.participantId)).toEqual(
      fans.slice(0, 3).map((f) => f.participantId),
    );
    expect(verifyDrawProof(await proofOf(server, fixture.slug))).toEqual({ valid: true });
  });
});

describe('a beacon fetched from the configured relay', () => {
  it('draws with the round the relay serves, verified like a pasted one', async () => {
    const recorded = JSON.parse(fs.readFileSync(path.join(sharedDir, 'vectors/drand-quicknet.json'), 'utf8'));
    const beacon = recorded.valid.find((b: { round: number }) => b.round === 32281667) as {
      round: number;
      signature: string;
    };
    const requested: string[] = [];
    const relay = createServer((req, res) => {
      requested.push(req.url ?? '');
      const round = Number(req.url?.split('/').at(-1));
      if (round !== beacon.round) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(beacon));
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const server = await startServer({
        DRAND_RELAY_URL: `http://127.0.0.1:${(relay.address() as AddressInfo).port}/`,
      });
      const features = await server.request({ method: 'GET', url: '/api/v1/features' });
      expect(features.json()).toMatchObject({ fetchesBeacons: true });
      server.clock.now = roundTime(beacon.round) - 60_000;
      const fixture = await liveGiveaway(server, { publish: false });
      const auth = bearer(fixture.host.token);
      await server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${fixture.giveawayId}/publish`,
        headers: auth,
        payload: { beacon: true },
      });
      await complete(server, fixture, await join(server, fixture.slug));
      server.clock.now = roundTime(beacon.round) - 2000;
      await server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
        headers: auth,
      });
      const drawn = await server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
        headers: auth,
      });
      expect(drawn.statusCode).toBe(200);
      expect(requested).toEqual([
        `/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/${beacon.round}`,
      ]);
      expect(verifyDrawProof(await proofOf(server, fixture.slug))).toEqual({ valid: true });
    } finally {
      relay.close();
    }
  });
});

describe('the public draw endpoints of a frozen giveaway', () => {
  it('parse the frozen list and build its Merkle tree once, then answer from memory', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    const fans = [await join(server, fixture.slug), await join(server, fixture.slug)];
    for (const fan of fans) await complete(server, fixture, fan);
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: bearer(fixture.host.token),
    });
    const frozen = await proofOf(server, fixture.slug);
    expect(frozen.entries).toHaveLength(2);

    // Were the list read again, these requests would see the stored text changed under them.
    await server.db
      .updateTable('giveaway_draws')
      .set({ entries: JSON.stringify(['someone-else']) })
      .where('giveaway_id', '=', fixture.giveawayId)
      .execute();
    expect((await proofOf(server, fixture.slug)).entries).toEqual(frozen.entries);
    const inclusion = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.slug}/draw/inclusion/${fans[1]?.participantId}`,
    });
    expect(inclusion.statusCode).toBe(200);
    expect(verifyInclusion(inclusion.json(), frozen.merkleRoot as string)).toBe(true);

    // Drawing still reveals the seed and winners: only the list is final at the freeze.
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
      headers: bearer(fixture.host.token),
    });
    const drawn = await proofOf(server, fixture.slug);
    expect(drawn.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(drawn.entries).toEqual(frozen.entries);
  });
});
