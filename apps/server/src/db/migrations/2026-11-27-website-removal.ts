import type { Kysely } from 'kysely';

// Frozen in time: never import app code here.

/**
 * A removed website stays as a row: the tasks and track_ids of giveaways that used it keep pointing at it,
 * so their history (and a finished giveaway's proof) stays whole.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('websites').addColumn('removed_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('websites').dropColumn('removed_at').execute();
}
