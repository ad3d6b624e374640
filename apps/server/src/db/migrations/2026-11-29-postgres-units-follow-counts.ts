import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import app code here.

/**
 * On PostgreSQL a counted unit's foreign keys to its task and its participant cost the writer two
 * referential checks a count, about a tenth of the CPU of its backend, the busiest PostgreSQL process of
 * a callback load. What they check is already held: a unit is only written in the statement that writes
 * or raises its task's count row, whose own keys reference the same task and participant, after the batch
 * has locked that participant. What they did on delete, triggers now do: a deleted task or participant
 * takes its units along, as before. The participant's goes by the key's own order (its giveaway's tasks,
 * then the participant), where the old cascade, keyed by the participant alone, read every unit stored;
 * a unit's task is always one of its participant's giveaway, since the writer takes the tasks of the
 * track_id's giveaway, which is the participant's. SQLite keeps both keys on its one `progress` table,
 * where a count and its units are rows of one b-tree.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`
    create function proofdrop_delete_task_units() returns trigger language plpgsql as $fn$
    begin
      delete from progress_units u using gone where u.task_id = gone.id;
      return null;
    end
    $fn$`.execute(db);
  await sql`
    create function proofdrop_delete_participant_units() returns trigger language plpgsql as $fn$
    begin
      delete from progress_units u using gone, tasks t
      where t.giveaway_id = gone.giveaway_id and u.task_id = t.id and u.participant_id = gone.id;
      return null;
    end
    $fn$`.execute(db);
  await sql`
    create trigger tasks_delete_units after delete on tasks
    referencing old table as gone for each statement execute function proofdrop_delete_task_units()`.execute(
    db,
  );
  await sql`
    create trigger participants_delete_units after delete on participants
    referencing old table as gone for each statement
    execute function proofdrop_delete_participant_units()`.execute(db);
  await sql`alter table progress_units drop constraint progress_units_task_id_fkey`.execute(db);
  await sql`alter table progress_units drop constraint progress_units_participant_id_fkey`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`
    alter table progress_units add constraint progress_units_task_id_fkey
    foreign key (task_id) references tasks (id) on delete cascade`.execute(db);
  await sql`
    alter table progress_units add constraint progress_units_participant_id_fkey
    foreign key (participant_id) references participants (id) on delete cascade`.execute(db);
  await sql`drop trigger participants_delete_units on participants`.execute(db);
  await sql`drop trigger tasks_delete_units on tasks`.execute(db);
  await sql`drop function proofdrop_delete_participant_units()`.execute(db);
  await sql`drop function proofdrop_delete_task_units()`.execute(db);
}
