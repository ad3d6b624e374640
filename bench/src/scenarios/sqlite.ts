import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../from-server.js';
import { bracket, runLoad } from '../load.js';
import type { Options } from '../options.js';
import { startBare, startCeiling, startProofdrop, stop } from '../processes.js';
import { against, printSeeded, printTable, writeResults } from '../report.js';
import { bareGetRequest, barePostRequest, callbackRequest, trackLinkRequest } from '../requests.js';
import { addCallbacks, makeFans, seedParticipants, seedProject, storedCallbacks } from '../seed.js';

/**
 * SQLite, the default engine: the callback and the track link against the bare server's POST and GET,
 * then the callback again once the database holds over a million callbacks. The callback is also set
 * against the disk's ceiling: the bare POST with an insert-only group commit on the same disk, which on a
 * slow fsync is what bounds it, whatever the code does.
 */
export async function benchSqlite(options: Options): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofdrop-bench-'));
  try {
    await run(options, path.join(workDir, 'bench.db'));
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function run(options: Options, file: string): Promise<void> {
  const databaseUrl = `sqlite:${file}`;
  const database = () => openDatabase({ engine: 'sqlite', file });

  console.log('seeding…');
  let proofdrop = await startProofdrop(options, databaseUrl);
  const project = await seedProject(options, proofdrop.base);
  await stop(proofdrop);
  const fans = makeFans(options, project);
  let db = await database();
  await seedParticipants(db, project, fans);
  await addCallbacks(db, project, fans, options.earlierCallbacks, 'seed');
  await db.destroy();
  printSeeded(options);

  // The bare server stays up, idle, between its loads: each yardstick is measured right before and right
  // after the loads it measures (load.ts, bracket).
  const bare = await startBare();
  const barePostLoad = () => runLoad(options, 'bare Fastify POST /json', [bare], () => barePostRequest());
  const bareGetLoad = () => runLoad(options, 'bare Fastify GET /hello', [bare], () => bareGetRequest(fans));
  const postBefore = await barePostLoad();
  const ceilingServer = await startCeiling(path.join(path.dirname(file), 'ceiling.db'));
  const ceiling = await runLoad(options, 'disk ceiling: bare POST + group commit', [ceilingServer], () =>
    barePostRequest(),
  );
  await stop(ceilingServer);

  proofdrop = await startProofdrop(options, databaseUrl);
  const callback = await runLoad(
    options,
    'POST /api/callback',
    [proofdrop],
    () => callbackRequest(project.apiKey, fans, 'small'),
    proofdrop,
  );
  const barePost = bracket(postBefore, await barePostLoad());
  const getBefore = await bareGetLoad();
  const trackLink = await runLoad(
    options,
    'GET /go/:taskId (302)',
    [proofdrop],
    () => trackLinkRequest(fans),
    proofdrop,
    undefined,
    302,
  );
  const bareGet = bracket(getBefore, await bareGetLoad());
  await Promise.all([stop(proofdrop), stop(bare)]);

  console.log(`\nadding ${options.largeCallbacks} stored callbacks…`);
  db = await database();
  await addCallbacks(db, project, fans, options.largeCallbacks, 'large');
  const stored = await storedCallbacks(db);
  await db.destroy();
  proofdrop = await startProofdrop(options, databaseUrl);
  const large = await runLoad(
    options,
    `POST /api/callback at ${stored} stored`,
    [proofdrop],
    () => callbackRequest(project.apiKey, fans, 'big'),
    proofdrop,
  );
  await stop(proofdrop);

  const ceilingRow = against(ceiling, barePost, 'bare POST');
  const callbackRow = against(callback, barePost, 'bare POST', '≥ 0.6×, p99 ≤ 5 ms', ceiling);
  const trackLinkRow = against(trackLink, bareGet, 'bare GET', '≥ 0.8×');
  const largeRow = against(large, callback, 'small dataset', '≥ 0.9×');
  printTable([barePost, bareGet], [ceilingRow, callbackRow, trackLinkRow, largeRow]);
  writeResults(options, {
    settings: { storedCallbacks: stored },
    loads: { barePost, bareGet, ceiling, callback, trackLink, large },
    ratios: {
      ceiling: ceilingRow.ratio,
      callback: callbackRow.ratio,
      callbackVsCeiling: callbackRow.vsCeiling as number,
      trackLink: trackLinkRow.ratio,
      trackLinkByCpu: trackLinkRow.cpuRatio,
      largeVsSmall: largeRow.ratio,
    },
  });
}
