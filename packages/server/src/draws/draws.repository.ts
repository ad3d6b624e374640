import type { Db } from '../db/database.js';
import type { GiveawayDrawsTable } from '../db/schema.js';

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

/** Freezes once: a second, concurrent freeze finds frozen_at set and changes nothing. */
export async function freezeDraw(
  db: Db,
  giveawayId: string,
  frozen: Pick<GiveawayDrawsTable, 'frozen_at' | 'entries' | 'list_hash' | 'merkle_root' | 'beacon_round'>,
): Promise<void> {
  await db
    .updateTable('giveaway_draws')
    .set(frozen)
    .where('giveaway_id', '=', giveawayId)
    .where('frozen_at', 'is', null)
    .execute();
}

export async function completeDraw(
  db: Db,
  giveawayId: string,
  drawn: Pick<GiveawayDrawsTable, 'winners' | 'drawn_at' | 'beacon_signature' | 'beacon_randomness'>,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const draw = await tx
      .updateTable('giveaway_draws')
      .set(drawn)
      .where('giveaway_id', '=', giveawayId)
      .where('drawn_at', 'is', null)
      .executeTakeFirst();
    if (Number(draw.numUpdatedRows) !== 1) return false;
    await tx.updateTable('giveaways').set({ status: 'drawn' }).where('id', '=', giveawayId).execute();
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
