import type { Kysely } from 'kysely';

// Frozen in time: never import app code here.

/**
 * The latest callback signed with a project's key that came from a web page (it carried Origin): the page
 * and when. Kept on the project, not found in its log, so no flood of newer log rows can hide it, and a
 * key rotation clears it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('key_in_page_origin', 'text').execute();
  await db.schema.alterTable('projects').addColumn('key_in_page_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projects').dropColumn('key_in_page_at').execute();
  await db.schema.alterTable('projects').dropColumn('key_in_page_origin').execute();
}
