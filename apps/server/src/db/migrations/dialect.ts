import { type ColumnDefinitionBuilder, type Expression, type Kysely, PostgresAdapter, sql } from 'kysely';

// The few places where the two engines' DDL differs. Frozen with the migrations: never import app code here.

export const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Text that sorts by code point on both engines. SQLite compares text bytewise already; PostgreSQL would
 * use the database's locale, and ids mix cases, so the draw's entry order would depend on the server.
 */
export function textType(db: Kysely<any>): 'text' | Expression<unknown> {
  return isPostgres(db) ? sql`text collate "C"` : 'text';
}

/** A row id the database numbers: SQLite's rowid alias, PostgreSQL's identity column. */
export function serialId(db: Kysely<any>) {
  return (column: ColumnDefinitionBuilder) =>
    isPostgres(db) ? column.generatedByDefaultAsIdentity().primaryKey() : column.primaryKey().autoIncrement();
}

/** The id column's type to go with serialId: PostgreSQL's identity wants a 64-bit integer to last. */
export function serialIdType(db: Kysely<any>): 'integer' | 'bigint' {
  return isPostgres(db) ? 'bigint' : 'integer';
}
