import type { Db } from '../db/database.js';
import type { GiveawayDrawsTable } from '../db/schema.js';
import { enqueueWebhook } from '../webhooks/webhooks.repository.js';

export async function insertDraw(db: Db, draw: GiveawayDrawsTable): Promise<void> {
  await db.insertInto('giveaway_draws').values(draw).execute();
}

export function findDraw(db: Db, giveawayId: string) {
  return db.selectFrom('giveaway_draws').selectAll().where('giveaway_id', '=', giveawayId).executeTakeFirst();
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
 * Freezes once, and queues `giveaway.ended` with it: a second, concurrent freeze finds frozen_at set and
 * changes nothing.
 */
export async function freezeDraw(
  db: Db,
  giveaway: { id: string; project_id: string },
  frozen: Pick<GiveawayDrawsTable, 'entries' | 'list_hash' | 'merkle_root' | 'beacon_round'> & {
    frozen_at: number;
  },
  eligibleCount: number,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('giveaway_draws')
      .set(frozen)
      .where('giveaway_id', '=', giveaway.id)
      .where('frozen_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return;
    await enqueueWebhook(tx, giveaway.project_id, 'giveaway.ended', frozen.frozen_at, {
      giveawayId: giveaway.id,
      endedAt: new Date(frozen.frozen_at).toISOString(),
      eligibleCount,
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
  winners: { participantId: string; rank: number; email: string }[],
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const draw = await tx
      .updateTable('giveaway_draws')
      .set(drawn)
      .where('giveaway_id', '=', giveaway.id)
      .where('drawn_at', 'is', null)
      .executeTakeFirst();
    if (Number(draw.numUpdatedRows) !== 1) return false;
    await tx.updateTable('giveaways').set({ status: 'drawn' }).where('id', '=', giveaway.id).execute();
    await enqueueWebhook(tx, giveaway.project_id, 'giveaway.drawn', drawn.drawn_at, {
      giveawayId: giveaway.id,
      winners,
    });
    return true;
  });
}

export function findParticipantEmails(db: Db, giveawayId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('participants')
    .select(['id', 'email'])
    .where('giveaway_id', '=', giveawayId)
    .where('id', 'in', ids)
    .execute();
}
