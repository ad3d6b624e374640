import type { Kysely } from 'kysely';
import { textType } from './dialect.js';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  const text = textType(db);
  await db.schema
    .alterTable('giveaways')
    .addColumn('entry_challenge', text, (c) => c.notNull().defaultTo('none'))
    .execute();
  // The join address's network (/24 or /48), never the address itself.
  await db.schema.alterTable('participants').addColumn('ip_bucket', text).execute();
  await db.schema
    .createIndex('participants_giveaway_bucket_idx')
    .on('participants')
    .columns(['giveaway_id', 'ip_bucket'])
    .execute();

  await db.schema
    .createTable('spent_challenges')
    .addColumn('nonce', text, (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('spent_challenges_expires_idx')
    .on('spent_challenges')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spent_challenges').execute();
  await db.schema.dropIndex('participants_giveaway_bucket_idx').execute();
  await db.schema.alterTable('participants').dropColumn('ip_bucket').execute();
  await db.schema.alterTable('giveaways').dropColumn('entry_challenge').execute();
}
