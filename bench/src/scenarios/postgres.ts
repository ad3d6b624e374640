import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../from-server.js';
import { bracket, runLoad } from '../load.js';
import type { Options } from '../options.js';
import { startBare, startProofdrop, stop } from '../processes.js';
import { against, printSeeded, printTable, ratio, writeResults } from '../report.js';
import { barePostRequest, callbackRequest } from '../requests.js';
import { addCallbacks, makeFans, seedParticipants, seedProject } from '../seed.js';

/**
 * PostgreSQL: the callback against the bare server's POST, with one server process and then with two
 * sharing the database, in a database of the bench's own that is dropped afterwards.
 */
export async function benchPostgres(options: Options): Promise<void> {
  const name = `proofdrop_bench_${process.pid}`;
  await administer(options, `create database ${name}`);
  const url = new URL(options.postgresAdminUrl);
  url.pathname = `/${name}`;
  try {
    await run(options, url.toString());
  } finally {
    await administer(options, `drop database if exists ${name} with (force)`);
  }
}

async function administer<Row extends object = object>(
  options: Options,
  statement: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const admin = new pg.Client({ connectionString: options.postgresAdminUrl });
  await admin.connect();
  try {
    return (await admin.query<Row>(statement, values)).rows;
  } finally {
    await admin.end();
  }
}

/** The PostgreSQL server's processes serving the bench's database: its connections' backends. */
function backendsOf(options: Options, database: string): () => Promise<number[]> {
  return async () => {
    const rows = await administer<{ pid: number }>(
      options,
      'select pid from pg_stat_activity where datname = $1',
      [database],
    );
    return rows.map((row) => row.pid);
  };
}

async function run(options: Options, databaseUrl: string): Promise<void> {
  const backends = backendsOf(options, new URL(databaseUrl).pathname.slice(1));
  console.log('seeding…');
  let proofdrop = await startProofdrop(options, databaseUrl);
  const project = await seedProject(options, proofdrop.base);
  await stop(proofdrop);
  const fans = makeFans(options, project);
  const db = await openDatabase({ engine: 'postgres', url: databaseUrl, poolSize: 2 });
  try {
    await seedParticipants(db, project, fans);
    await addCallbacks(db, project, fans, options.earlierCallbacks, 'seed');
    // Fresh statistics, as autovacuum would have them on a database that grew over time.
    await sql`analyze`.execute(db);
  } finally {
    await db.destroy();
  }
  printSeeded(options);

  // The bare server stays up, idle, between its two loads: measured right before and right after the
  // callback's, as one (load.ts, bracket).
  const bare = await startBare();
  const barePostLoad = () => runLoad(options, 'bare Fastify POST /json', [bare], () => barePostRequest());
  const postBefore = await barePostLoad();

  proofdrop = await startProofdrop(options, databaseUrl);
  const one = await runLoad(
    options,
    'POST /api/callback, 1 process',
    [proofdrop],
    () => callbackRequest(project.apiKey, fans, 'one'),
    proofdrop,
    backends,
  );
  const second = await startProofdrop(options, databaseUrl);
  const two = await runLoad(
    options,
    'POST /api/callback, 2 processes',
    [proofdrop, second],
    (server) => callbackRequest(project.apiKey, fans, `two-${server}`),
    undefined,
    backends,
  );
  await Promise.all([stop(proofdrop), stop(second)]);
  const barePost = bracket(postBefore, await barePostLoad());
  await stop(bare);

  const twoVsOne = ratio(two, one);
  const oneRow = against(one, barePost, 'bare POST');
  const twoRow = against(two, barePost, `bare POST (${twoVsOne}× 1 process)`);
  printTable([barePost], [oneRow, twoRow]);
  writeResults(options, {
    engine: 'postgres',
    loads: { barePost, oneProcess: one, twoProcesses: two },
    ratios: { oneProcess: oneRow.ratio, twoProcesses: twoRow.ratio, twoVsOne },
  });
}
