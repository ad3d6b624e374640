import type { Kysely } from 'kysely';
import { textType } from './dialect.js';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  const text = textType(db);
  await db.schema
    .createTable('giveaway_draws')
    .addColumn('giveaway_id', text, (c) => c.primaryKey().references('giveaways.id').onDelete('cascade'))
    .addColumn('version', text, (c) => c.notNull())
    .addColumn('seed', text, (c) => c.notNull())
    .addColumn('commitment', text, (c) => c.notNull())
    .addColumn('committed_at', 'bigint', (c) => c.notNull())
    .addColumn('beacon', text)
    .addColumn('frozen_at', 'bigint')
    .addColumn('entries', text)
    .addColumn('list_hash', text)
    .addColumn('merkle_root', text)
    .addColumn('beacon_round', 'integer')
    .addColumn('beacon_signature', text)
    .addColumn('beacon_randomness', text)
    .addColumn('winners', text)
    .addColumn('drawn_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('giveaway_draws').execute();
}
