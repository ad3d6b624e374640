import type { Kysely } from 'kysely';
import { textType } from './dialect.js';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  const text = textType(db);
  await db.schema
    .alterTable('giveaways')
    .addColumn('require_verified_email', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('participants').addColumn('email_verified_at', 'bigint').execute();

  // Sign-ins by emailed link: a participant may be signed in on several browsers.
  await db.schema
    .createTable('participant_tokens')
    .addColumn('token_hash', text, (c) => c.primaryKey())
    .addColumn('participant_id', text, (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('participant_tokens_participant_idx')
    .on('participant_tokens')
    .column('participant_id')
    .execute();

  await db.schema
    .createTable('email_links')
    .addColumn('token_hash', text, (c) => c.primaryKey())
    .addColumn('participant_id', text, (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('email_links_expires_idx').on('email_links').column('expires_at').execute();

  await db.schema
    .createTable('mail_messages')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('participant_id', text, (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('payload', text, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('state', text, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', text)
    .execute();
  await db.schema
    .createIndex('mail_messages_due_idx')
    .on('mail_messages')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('mail_messages_participant_idx')
    .on('mail_messages')
    .columns(['participant_id', 'kind', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_messages').execute();
  await db.schema.dropTable('email_links').execute();
  await db.schema.dropTable('participant_tokens').execute();
  await db.schema.alterTable('participants').dropColumn('email_verified_at').execute();
  await db.schema.alterTable('giveaways').dropColumn('require_verified_email').execute();
}
