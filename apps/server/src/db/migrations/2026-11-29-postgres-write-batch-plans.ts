import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.js';

// Frozen in time: never import app code here.

const WRITE_BATCH = sql.raw('proofdrop_write_batch(jsonb, integer[], text[], text, text)');

/**
 * How the writer's batch function plans its statements. Every one of them reaches its rows by key, and
 * two defaults made each call pay for more than that:
 *
 * - PL/pgSQL's statements go through the plan cache, which planned several of them afresh at every call
 *   (custom plans for each count's values) where one generic plan per connection serves every value.
 * - The few-row tables (giveaways, giveaway_draws, tasks) fit in one page, so the planner scanned them
 *   whole rather than by their primary keys, and each whole scan starts by asking the kernel for the
 *   table's size: a system call per table per count.
 *
 * Set on the function, both hold for its statements alone (and for what it calls), not for the server's
 * other queries. A later `create or replace` of the function drops them unless it repeats both `set`
 * clauses. Called alone on a copy of the bench's database (runs alternating), the backend's CPU for
 * a batch of 15 counts was lower with them in each of four pairs (1,590–2,010 µs → 1,430–1,980; the median
 * pair −11%), and for a batch of one in each of three (500–537 µs → 413–460, −13 to −17%).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter function ${WRITE_BATCH} set plan_cache_mode = force_generic_plan`.execute(db);
  await sql`alter function ${WRITE_BATCH} set enable_seqscan = off`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter function ${WRITE_BATCH} reset plan_cache_mode`.execute(db);
  await sql`alter function ${WRITE_BATCH} reset enable_seqscan`.execute(db);
}
