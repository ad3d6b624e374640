import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statement-cache.js';

type Schema = { t: { id: number; name: string } };

function database() {
  const sqlite = new SQLite(':memory:');
  sqlite.exec(
    "create table t (id integer primary key, name text); insert into t values (1, 'a'), (2, 'b'), (3, 'c')",
  );
  let prepared = 0;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    prepared++;
    return prepare(source);
  }) as typeof sqlite.prepare;
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, prepared: () => prepared };
}

describe('withStatementCache', () => {
  it('prepares a statement once and runs it with each call’s parameters', async () => {
    const { db, prepared } = database();
    const name = (id: number) => db.selectFrom('t').select('name').where('id', '=', id).executeTakeFirst();
    expect(await name(1)).toEqual({ name: 'a' });
    expect(await name(2)).toEqual({ name: 'b' });
    await db.updateTable('t').set({ name: 'z' }).where('id', '=', 3).execute();
    await db.updateTable('t').set({ name: 'y' }).where('id', '=', 3).execute();
    expect(await name(3)).toEqual({ name: 'y' });
    expect(prepared()).toBe(2);
    await db.destroy();
  });

  it('gives a stream its own statement, so one left half read does not block the same query', async () => {
    const { db } = database();
    const query = db.selectFrom('t').select('id').orderBy('id');
    for await (const row of query.stream()) {
      expect(row).toEqual({ id: 1 });
      break;
    }
    expect(await query.execute()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const rows: unknown[] = [];
    for await (const row of query.stream()) rows.push(row);
    expect(rows).toHaveLength(3);
    await db.destroy();
  });
});
