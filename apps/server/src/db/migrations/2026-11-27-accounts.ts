import type { Kysely } from 'kysely';
import { textType } from './dialect.js';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  const text = textType(db);
  await db.schema
    .createTable('invites')
    .addColumn('token_hash', text, (c) => c.primaryKey())
    .addColumn('host_id', text, (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('invites_expires_idx').on('invites').column('expires_at').execute();
  // Revoking a host's sessions and purging expired ones would otherwise scan every session.
  await db.schema.createIndex('sessions_host_idx').on('sessions').column('host_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_expires_idx').execute();
  await db.schema.dropIndex('sessions_host_idx').execute();
  await db.schema.dropTable('invites').execute();
}
