import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import app code here.

/**
 * A shorter SQLite commit. The two composite-key tables every count writes become WITHOUT ROWID: a unit or
 * a count is then one entry in one b-tree, where a rowid table keeps the row and a copy of its key in the
 * primary key's index. The callback log's index drops its own copy of the id: SQLite ends every index entry
 * with the rowid, which the id is, so `(project_id)` orders a project's rows by id just the same.
 * PostgreSQL keeps every table in a heap and orders an index by its columns only: nothing changes there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  // The migrator runs every migration inside its transaction (db/database.ts): a rebuild stopped halfway
  // leaves nothing.
  await rebuildProgressUnits(db, true);
  await rebuildTaskProgress(db, true);
  await db.schema.dropIndex('callback_log_project_idx').execute();
  await db.schema.createIndex('callback_log_project_idx').on('callback_log').column('project_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await rebuildProgressUnits(db, false);
  await rebuildTaskProgress(db, false);
  await db.schema.dropIndex('callback_log_project_idx').execute();
  await db.schema
    .createIndex('callback_log_project_idx')
    .on('callback_log')
    .columns(['project_id', 'id'])
    .execute();
}

const withoutRowid = (lean: boolean) => (lean ? sql`without rowid` : sql``);

async function rebuildProgressUnits(db: Kysely<any>, lean: boolean): Promise<void> {
  await db.schema
    .createTable('progress_units_rebuilt')
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('unit_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('progress_units_pk', ['task_id', 'participant_id', 'unit_key'])
    .modifyEnd(withoutRowid(lean))
    .execute();
  await replace(db, 'progress_units', ['task_id', 'participant_id', 'unit_key', 'created_at']);
}

async function rebuildTaskProgress(db: Kysely<any>, lean: boolean): Promise<void> {
  await db.schema
    .createTable('task_progress_rebuilt')
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addPrimaryKeyConstraint('task_progress_pk', ['participant_id', 'task_id'])
    .modifyEnd(withoutRowid(lean))
    .execute();
  await replace(db, 'task_progress', ['task_id', 'participant_id', 'count', 'completed_at']);
}

/** Moves the rows of `table` into its rebuilt twin, which then takes its name. */
async function replace(db: Kysely<any>, table: string, columns: string[]): Promise<void> {
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(`${table}_rebuilt`)} (${list}) select ${list} from ${sql.table(table)}`.execute(
    db,
  );
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(`${table}_rebuilt`).renameTo(table).execute();
}
