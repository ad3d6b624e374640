import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compiledOnce } from './compiled-query.js';

type Schema = { t: { id: number; name: string; kind: string } };

function database() {
  const sqlite = new SQLite(':memory:');
  sqlite.exec(
    "create table t (id integer primary key, name text, kind text); insert into t values (1, 'a', 'x'), (2, 'b', 'y'), (3, 'c', 'x')",
  );
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
}

describe('compiledOnce', () => {
  it('compiles once, then runs each call with its own parameters', async () => {
    const db = database();
    let built = 0;
    const named = compiledOnce((d: Kysely<Schema>, kind: string, above: number) => {
      built++;
      return d.selectFrom('t').select('name').where('kind', '=', kind).where('id', '>', above).orderBy('id');
    });
    expect(await named(db, 'x', 0)).toEqual([{ name: 'a' }, { name: 'c' }]);
    expect(await named(db, 'x', 1)).toEqual([{ name: 'c' }]);
    expect(await named(db, 'y', 0)).toEqual([{ name: 'b' }]);
    expect(await named(db, 'z', 0)).toEqual([]);
    expect(built).toBe(1);
    await db.destroy();
  });

  it('refuses a query whose parameters are not its arguments, in order', async () => {
    const db = database();
    const swapped = compiledOnce((d: Kysely<Schema>, kind: string, above: number) =>
      d.selectFrom('t').select('name').where('id', '>', above).where('kind', '=', kind),
    );
    await expect(swapped(db, 'x', 0)).rejects.toThrow(/each parameter once, in the order given/);
    const constant = compiledOnce((d: Kysely<Schema>, kind: string) =>
      d.selectFrom('t').select('name').where('kind', '=', kind).where('id', '>', 1),
    );
    await expect(constant(db, 'x')).rejects.toThrow(/each parameter once/);
    await db.destroy();
  });
});
