import type { Kysely } from 'kysely';
import { serialId, serialIdType, textType } from './dialect.js';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  const text = textType(db);
  await db.schema
    .createTable('hosts')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('email', text, (c) => c.notNull().unique())
    .addColumn('password_hash', text, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', text, (c) => c.primaryKey())
    .addColumn('host_id', text, (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('server_secrets')
    .addColumn('name', text, (c) => c.primaryKey())
    .addColumn('value', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('host_id', text, (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('api_key', text, (c) => c.notNull().unique())
    .addColumn('previous_api_key', text)
    .addColumn('previous_key_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('projects_host_idx')
    .on('projects')
    .columns(['host_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('websites')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('project_id', text, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('url', text, (c) => c.notNull())
    .addColumn('origin', text, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('websites_project_idx').on('websites').column('project_id').execute();
  await db.schema.createIndex('websites_origin_idx').on('websites').column('origin').execute();

  await db.schema
    .createTable('giveaways')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('project_id', text, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('slug', text, (c) => c.notNull().unique())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('description', text, (c) => c.notNull())
    .addColumn('starts_at', 'bigint')
    .addColumn('ends_at', 'bigint')
    .addColumn('winner_mode', text, (c) => c.notNull())
    .addColumn('winner_count', 'integer', (c) => c.notNull())
    .addColumn('prizes', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('giveaways_project_idx')
    .on('giveaways')
    .columns(['project_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('giveaway_id', text, (c) => c.notNull().references('giveaways.id').onDelete('cascade'))
    .addColumn('website_id', text, (c) => c.notNull().references('websites.id'))
    .addColumn('event', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('required_amount', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('tasks_giveaway_website_event_uq', ['giveaway_id', 'website_id', 'event'])
    .execute();

  await db.schema
    .createTable('participants')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('giveaway_id', text, (c) => c.notNull().references('giveaways.id').onDelete('cascade'))
    .addColumn('email', text, (c) => c.notNull())
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('eligible_at', 'bigint')
    .addUniqueConstraint('participants_giveaway_email_uq', ['giveaway_id', 'email'])
    .execute();
  await db.schema
    .createIndex('participants_giveaway_created_idx')
    .on('participants')
    .columns(['giveaway_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('track_ids')
    .addColumn('track_id', text, (c) => c.primaryKey())
    .addColumn('project_id', text, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('website_id', text, (c) => c.notNull().references('websites.id'))
    .addColumn('giveaway_id', text)
    .addColumn('participant_id', text, (c) => c.references('participants.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('track_ids_participant_website_uq', ['participant_id', 'website_id'])
    .execute();

  await db.schema
    .createTable('progress_units')
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('participant_id', text, (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('unit_key', text, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('progress_units_pk', ['task_id', 'participant_id', 'unit_key'])
    .execute();

  await db.schema
    .createTable('task_progress')
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('participant_id', text, (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addPrimaryKeyConstraint('task_progress_pk', ['participant_id', 'task_id'])
    .execute();

  await db.schema
    .createTable('callback_log')
    .addColumn('id', serialIdType(db), serialId(db))
    .addColumn('project_id', text, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('track_id', text)
    .addColumn('event', text)
    .addColumn('remark', text)
    .addColumn('code', text, (c) => c.notNull())
    .addColumn('detail', text, (c) => c.notNull())
    .addColumn('expected_canonical', text)
    .addColumn('hint', text)
    .execute();
  await db.schema
    .createIndex('callback_log_project_idx')
    .on('callback_log')
    .columns(['project_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'callback_log',
    'task_progress',
    'progress_units',
    'track_ids',
    'participants',
    'tasks',
    'giveaways',
    'websites',
    'projects',
    'server_secrets',
    'sessions',
    'hosts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
