import { type Compilable, CompiledQuery, type Kysely } from 'kysely';

/**
 * A query Kysely builds and compiles once per database, then runs with each call's parameters. Building and
 * compiling cost two thirds of a lookup whose statement is already prepared (19 µs against 7 µs, measured on
 * SQLite), which every cache miss on the hot path pays. `build` must put each parameter into the query once,
 * in the order given, and nothing else that varies: the first call checks that the compiled query's
 * parameters are exactly its arguments.
 */
export function compiledOnce<DB, Params extends unknown[], Row>(
  build: (db: Kysely<DB>, ...params: Params) => Compilable<Row>,
): (db: Kysely<DB>, ...params: Params) => Promise<Row[]> {
  const sqlOf = new WeakMap<Kysely<DB>, string>();
  return async (db, ...params) => {
    let text = sqlOf.get(db);
    if (text === undefined) {
      const compiled = build(db, ...params).compile();
      const same =
        compiled.parameters.length === params.length &&
        compiled.parameters.every((parameter, i) => parameter === params[i]);
      if (!same) throw new Error('compiledOnce: the query must use each parameter once, in the order given');
      text = compiled.sql;
      sqlOf.set(db, text);
    }
    return (await db.executeQuery<Row>(CompiledQuery.raw(text, params))).rows;
  };
}
