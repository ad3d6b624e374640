import type { DrawProof } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import { entryListOpen, freezeDraw } from '../src/draws/draws.repository.js';
import { insertParticipant } from '../src/participants/participants.repository.js';
import {
  bearer,
  type GiveawayFixture,
  liveGiveaway,
  startServer,
  type TestServer,
  testEngine,
  uniqueEmail,
} from './support.js';

/**
 * The entry list is frozen when the giveaway ends, by whichever request or background pass comes first,
 * while joins and edits that checked the giveaway live a moment before may still be on their way. Each
 * case below is the moment of such a race, taken apart: the freeze lands between a request's check and its
 * write. Nothing may join the list, or reopen the giveaway, once it is fixed.
 */
describe(`${testEngine}: the entry list once frozen`, () => {
  const ENDS_IN = 60_000;

  async function frozenJustBeforeItsEnd(): Promise<{
    server: TestServer;
    fixture: GiveawayFixture;
    endsAt: number;
  }> {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { tasks: [], endsInMs: ENDS_IN });
    const endsAt = server.clock.now + ENDS_IN;
    // A freeze at the end, as another process whose clock has reached it makes it; this one's is 1 s short.
    await freezeAt(server, fixture.giveawayId, endsAt);
    server.clock.now = endsAt - 1000;
    return { server, fixture, endsAt };
  }

  /** The freeze as the server makes it at `at`, whatever the server's clock says. */
  async function freezeAt(server: TestServer, giveawayId: string, at: number): Promise<void> {
    const giveaway = await server.db
      .selectFrom('giveaways')
      .selectAll()
      .where('id', '=', giveawayId)
      .executeTakeFirstOrThrow();
    await freezeDraw(server.db, giveaway, at, null, () => ({ list_hash: 'h', merkle_root: 'r' }));
  }

  const proofOf = async (server: TestServer, slug: string) =>
    (await server.request({ method: 'GET', url: `/api/v1/giveaways/${slug}/draw` })).json() as DrawProof;

  it('refuses a join that checked the giveaway live just before the freeze, rather than taking an entry that can never win', async () => {
    const { server, fixture } = await frozenJustBeforeItsEnd();
    const late = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.slug}/entries`,
      payload: { email: uniqueEmail('late') },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      ok: false,
      code: 'giveaway_not_live',
      message: expect.stringMatching(/ended/),
    });
    const count = await server.db
      .selectFrom('participants')
      .select('id')
      .where('giveaway_id', '=', fixture.giveawayId)
      .execute();
    expect(count).toHaveLength(0);
  });

  it('refuses to move the end of a giveaway whose list is frozen: it would reopen a giveaway that cannot take entries', async () => {
    const { server, fixture, endsAt } = await frozenJustBeforeItsEnd();
    const moved = await server.request({
      method: 'PATCH',
      url: `/api/v1/giveaways/${fixture.giveawayId}`,
      headers: bearer(fixture.host.token),
      payload: { endsAt: new Date(endsAt + 3_600_000).toISOString() },
    });
    expect(moved.statusCode).toBe(409);
    const stored = await server.db
      .selectFrom('giveaways')
      .select('ends_at')
      .where('id', '=', fixture.giveawayId)
      .executeTakeFirstOrThrow();
    expect(Number(stored.ends_at)).toBe(endsAt);
  });

  it('does not freeze a list whose end was moved later meanwhile', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { tasks: [], endsInMs: ENDS_IN });
    const endsAt = server.clock.now + ENDS_IN;
    const moved = await server.request({
      method: 'PATCH',
      url: `/api/v1/giveaways/${fixture.giveawayId}`,
      headers: bearer(fixture.host.token),
      payload: { endsAt: new Date(endsAt + 3_600_000).toISOString() },
    });
    expect(moved.statusCode).toBe(200);
    // A freeze that read the old end before the edit committed.
    await freezeAt(server, fixture.giveawayId, endsAt);
    expect((await proofOf(server, fixture.slug)).frozenAt).toBeNull();
    const joined = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.slug}/entries`,
      payload: { email: uniqueEmail('on-time') },
    });
    expect(joined.statusCode).toBe(201);
  });

  // The interleaving a deadlock needs, held in place: on SQLite transactions run one at a time.
  it.runIf(testEngine === 'postgres')(
    'lets a join holding the list open and a freeze arriving meanwhile both commit, the join in the list',
    async () => {
      const server = await startServer();
      const fixture = await liveGiveaway(server, { tasks: [], endsInMs: ENDS_IN });
      const endsAt = server.clock.now + ENDS_IN;
      let freezing: Promise<void> | undefined;
      await server.db.transaction().execute(async (tx) => {
        // The join has the list open (the draw's row share-locked)…
        expect(await entryListOpen(tx, fixture.giveawayId)).toBe(true);
        // …when the freeze takes the giveaway's row and waits for the draw's…
        freezing = freezeAt(server, fixture.giveawayId, endsAt);
        await new Promise((resolve) => setTimeout(resolve, 300));
        // …and the join's foreign key then checks the giveaway's row.
        await insertParticipant(tx, {
          id: 'pt_raced',
          giveaway_id: fixture.giveawayId,
          email: uniqueEmail('raced'),
          token_hash: 'raced',
          created_at: endsAt - 1,
          eligible_at: endsAt - 1,
          ip_bucket: null,
          email_verified_at: null,
        });
      });
      await freezing;
      const proof = await proofOf(server, fixture.slug);
      expect(proof.frozenAt).not.toBeNull();
      expect(proof.entries).toEqual(['pt_raced']);
    },
  );
});
