import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import app code here.

/**
 * A count writes one b-tree on SQLite instead of two. A counted unit and its task's count went to
 * `progress_units` and `task_progress`, two random leaves a count, and a group commit's WAL frames and
 * fsync grow with the leaves it writes. Both now live in `progress`, keyed (task_id, participant_id,
 * unit_key): a unit is a row with its key, the count a row with the empty key, which no unit has (units
 * are `r:…` or `n:…`), so it sorts first beside its units and a count usually writes one leaf.
 *
 * `progress_units` and `task_progress` stay, as views of the same columns and rows, so every read and the
 * PostgreSQL schema keep one shape. The writer writes `progress` itself; triggers make the views take
 * inserts, updates and deletes for anything else (an upsert must name `progress`: SQLite cannot upsert a
 * view). Deleting a task or a participant still cascades to its rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  // The migrator runs every migration inside its transaction (db/database.ts): a rebuild stopped halfway
  // leaves nothing.
  await sql`create table progress (
      task_id text not null references tasks (id) on delete cascade,
      participant_id text not null references participants (id) on delete cascade,
      unit_key text not null,
      created_at bigint,
      count integer,
      completed_at bigint,
      constraint progress_pk primary key (task_id, participant_id, unit_key)
    ) without rowid`.execute(db);
  await sql`insert into progress (task_id, participant_id, unit_key, created_at)
      select task_id, participant_id, unit_key, created_at from progress_units`.execute(db);
  await sql`insert into progress (task_id, participant_id, unit_key, count, completed_at)
      select task_id, participant_id, '', count, completed_at from task_progress`.execute(db);
  await db.schema.dropTable('progress_units').execute();
  await db.schema.dropTable('task_progress').execute();
  for (const statement of VIEWS) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  // Dropping a view drops its triggers.
  await db.schema.dropView('progress_units').execute();
  await db.schema.dropView('task_progress').execute();
  // As 2026-11-27-writer-lean-tables left them.
  await db.schema
    .createTable('progress_units')
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('unit_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('progress_units_pk', ['task_id', 'participant_id', 'unit_key'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema
    .createTable('task_progress')
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addPrimaryKeyConstraint('task_progress_pk', ['participant_id', 'task_id'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into progress_units (task_id, participant_id, unit_key, created_at)
      select task_id, participant_id, unit_key, created_at from progress where unit_key <> ''`.execute(db);
  await sql`insert into task_progress (task_id, participant_id, count, completed_at)
      select task_id, participant_id, count, completed_at from progress where unit_key = ''`.execute(db);
  await db.schema.dropTable('progress').execute();
}

const VIEWS = [
  sql`create view progress_units as
      select task_id, participant_id, unit_key, created_at from progress where unit_key <> ''`,
  sql`create view task_progress as
      select task_id, participant_id, count, completed_at from progress where unit_key = ''`,
  sql`create trigger progress_units_insert instead of insert on progress_units begin
      insert into progress (task_id, participant_id, unit_key, created_at)
      values (new.task_id, new.participant_id, new.unit_key, new.created_at);
    end`,
  sql`create trigger progress_units_update instead of update on progress_units begin
      update progress set task_id = new.task_id, participant_id = new.participant_id,
        unit_key = new.unit_key, created_at = new.created_at
      where task_id = old.task_id and participant_id = old.participant_id and unit_key = old.unit_key;
    end`,
  sql`create trigger progress_units_delete instead of delete on progress_units begin
      delete from progress
      where task_id = old.task_id and participant_id = old.participant_id and unit_key = old.unit_key;
    end`,
  sql`create trigger task_progress_insert instead of insert on task_progress begin
      insert into progress (task_id, participant_id, unit_key, count, completed_at)
      values (new.task_id, new.participant_id, '', new.count, new.completed_at);
    end`,
  sql`create trigger task_progress_update instead of update on task_progress begin
      update progress set task_id = new.task_id, participant_id = new.participant_id,
        count = new.count, completed_at = new.completed_at
      where task_id = old.task_id and participant_id = old.participant_id and unit_key = '';
    end`,
  sql`create trigger task_progress_delete instead of delete on task_progress begin
      delete from progress where task_id = old.task_id and participant_id = old.participant_id and unit_key = '';
    end`,
];
