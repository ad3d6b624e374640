import type { Kysely } from 'kysely';
import { textType } from './dialect.js';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  const text = textType(db);
  // Remark-less callbacks seen within the replay window, by signature: the same body again is a duplicate.
  await db.schema
    .createTable('callback_replays')
    .addColumn('track_id', text, (c) => c.notNull())
    .addColumn('sign', text, (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('callback_replays_pk', ['track_id', 'sign'])
    .execute();
  await db.schema
    .createIndex('callback_replays_expires_idx')
    .on('callback_replays')
    .column('expires_at')
    .execute();
  await db.schema
    .alterTable('projects')
    .addColumn('signature_version', text, (c) => c.notNull().defaultTo('v1'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').dropColumn('signature_version').execute();
  await db.schema.dropTable('callback_replays').execute();
}
