import type { Winner } from '@proofdrop/contract';
import { type Db, isPostgres } from '../db/database.js';
import type { GiveawayDrawsTable } from '../db/schema.js';
import { endedAt, giveawayPhase } from '../giveaways/lifecycle.js';
import { enqueueMail } from '../mail/mail.repository.js';
import { enqueueWebhook } from '../webhooks/webhooks.repository.js';

export async function insertDraw(db: Db, draw: GiveawayDrawsTable): Promise<void> {
  await db.insertInto('giveaway_draws').values(draw).execute();
}

export function findDraw(db: Db, giveawayId: string) {
  return db.selectFrom('giveaway_draws').selectAll().where('giveaway_id', '=', giveawayId).executeTakeFirst();
}

/** The draw without its entry list, for callers that hold the frozen list already. */
export function findDrawWithoutEntries(db: Db, giveawayId: string) {
  return db
    .selectFrom('giveaway_draws')
    .select([
      'giveaway_id',
      'version',
      'seed',
      'commitment',
      'committed_at',
      'beacon',
      'frozen_at',
      'list_hash',
      'merkle_root',
      'beacon_round',
      'beacon_signature',
      'beacon_randomness',
      'winners',
      'drawn_at',
    ])
    .where('giveaway_id', '=', giveawayId)
    .executeTakeFirst();
}

/** Eligible entries in the draw's stated order: the time each became eligible, then id. */
export async function listEligibleIds(db: Db, giveawayId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('participants')
    .select('id')
    .where('giveaway_id', '=', giveawayId)
    .where('eligible_at', 'is not', null)
    .orderBy('eligible_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Whether the giveaway's entry list is still open (not frozen), for a transaction about to add to it. On
 * PostgreSQL the draw's row is share-locked, as a count does, so a freeze in progress waits for the
 * transaction, or the transaction sees the freeze: nothing joins or becomes eligible after the list is fixed.
 */
export async function entryListOpen(db: Db, giveawayId: string): Promise<boolean> {
  const draw = db.selectFrom('giveaway_draws').select('frozen_at').where('giveaway_id', '=', giveawayId);
  const found = await (isPostgres(db) ? draw.forShare() : draw).executeTakeFirst();
  return found !== undefined && found.frozen_at === null;
}

/**
 * Freezes once, if the giveaway has ended by `frozenAt`, and queues `giveaway.ended` with it. The claim on
 * frozen_at comes before the eligible entries are read and holds the draw's row: no count or join can
 * commit between the read and the freeze, and a second, concurrent freeze finds frozen_at set and changes
 * nothing.
 */
export async function freezeDraw(
  db: Db,
  giveaway: { id: string; project_id: string },
  frozenAt: number,
  beaconRound: number | null,
  seal: (entries: string[]) => { list_hash: string; merkle_root: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    // The giveaway's row is locked first (the order a count and an edit take them in) and its end read
    // again: an edit that moved the end later, committed meanwhile, means the list stays open. `for no key
    // update` waits for an edit and for counts' share locks, but not for the key-share lock a join's
    // foreign key check takes while it holds the draw's row: `for update` would deadlock with that join.
    const ending = tx
      .selectFrom('giveaways')
      .select(['status', 'starts_at', 'ends_at', 'ended_at'])
      .where('id', '=', giveaway.id);
    const found = await (isPostgres(tx) ? ending.forNoKeyUpdate() : ending).executeTakeFirst();
    const end = found && endedAt(found, giveawayPhase(found, frozenAt));
    if (end === null || end === undefined) return;
    const claimed = await tx
      .updateTable('giveaway_draws')
      .set({ frozen_at: frozenAt, beacon_round: beaconRound })
      .where('giveaway_id', '=', giveaway.id)
      .where('frozen_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;
    const entries = await listEligibleIds(tx, giveaway.id);
    await tx
      .updateTable('giveaway_draws')
      .set({ entries: JSON.stringify(entries), ...seal(entries) })
      .where('giveaway_id', '=', giveaway.id)
      .execute();
    // Queued now (its row dated so, for delivery and retention), saying when it ended, as the API says,
    // not when this freeze (a read, a job's next beat) came to it.
    await enqueueWebhook(tx, giveaway.project_id, 'giveaway.ended', frozenAt, {
      giveawayId: giveaway.id,
      endedAt: new Date(end).toISOString(),
      eligibleCount: entries.length,
    });
  });
}

/** Giveaways whose end has passed but whose entries are not frozen yet. */
export function listUnfrozenEnded(db: Db, now: number) {
  return db
    .selectFrom('giveaways')
    .innerJoin('giveaway_draws', 'giveaway_draws.giveaway_id', 'giveaways.id')
    .selectAll('giveaways')
    .where('giveaway_draws.frozen_at', 'is', null)
    .where((eb) => eb.or([eb('giveaways.status', '=', 'ended'), eb('giveaways.ends_at', '<=', now)]))
    .limit(100)
    .execute();
}

export async function completeDraw(
  db: Db,
  giveaway: { id: string; project_id: string },
  drawn: Pick<GiveawayDrawsTable, 'winners' | 'beacon_signature' | 'beacon_randomness'> & {
    drawn_at: number;
  },
  winners: Winner[],
  notifyWinners: boolean,
): Promise<boolean> {
  // The giveaway's row first, then its draw's: the order in which a count locks them, so a count that
  // arrives during the draw waits for it instead of deadlocking with it.
  return db
    .transaction()
    .execute(async (tx) => {
      await tx.updateTable('giveaways').set({ status: 'drawn' }).where('id', '=', giveaway.id).execute();
      const draw = await tx
        .updateTable('giveaway_draws')
        .set(drawn)
        .where('giveaway_id', '=', giveaway.id)
        .where('drawn_at', 'is', null)
        .executeTakeFirst();
      if (Number(draw.numUpdatedRows) !== 1) throw new AlreadyDrawn();
      await enqueueWebhook(tx, giveaway.project_id, 'giveaway.drawn', drawn.drawn_at, {
        giveawayId: giveaway.id,
        winners,
      });
      if (notifyWinners) {
        for (const winner of winners) {
          await enqueueMail(tx, winner.participantId, 'winner', drawn.drawn_at, { rank: winner.rank });
        }
      }
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof AlreadyDrawn) return false;
      throw error;
    });
}

/** Rolls back the status change when another draw committed first. */
class AlreadyDrawn extends Error {}
