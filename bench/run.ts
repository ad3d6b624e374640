/**
 * `npm run bench`: Proofdrop's callback and track link against a bare Fastify server, measured in the same
 * run on the same machine with the same client settings, printed as ratios. Figures go to bench/results.json.
 *
 *   npm run bench                       # 10 s per load after a 3 s warm-up
 *   npm run bench -- --duration 20
 *   npm run bench -- --profile          # also writes CPU profiles of the Proofdrop server to bench/profiles/
 *   npm run bench -- --db postgres      # the callback on PostgreSQL, with one and with two server processes
 *
 * PostgreSQL runs need a server that lets BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
 * create and drop a database of the bench's own.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const DURATION = option('duration', 10);
const WARMUP = option('warmup', 3);
const CONNECTIONS = 32;
const PARTICIPANTS = option('participants', 12_000);
const GIVEAWAYS = 4;
const EARLIER_CALLBACKS = 100_000;
const LARGE_CALLBACKS = option('large', 1_000_000);
const PROFILE_DIR = args.includes('--profile') ? path.join(root, 'bench/profiles') : undefined;
const ENGINE = args.includes('--db') ? args[args.indexOf('--db') + 1] : 'sqlite';
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Load = {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rssMb?: number;
};

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofdrop-bench-'));
const dbFile = path.join(workDir, 'bench.db');
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function waitForHealth(base: string, route: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(base + route);
      if (res.status < 500) return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${base} did not start`);
}

async function startProcess(
  script: string,
  env: Record<string, string>,
  route: string,
  execArgv: string[] = [],
) {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const child = fork(script, [], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'inherit',
    execArgv,
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, route);
  return { child, base };
}

function startProofdrop(databaseUrl = `sqlite:${dbFile}`) {
  return startProcess(
    path.join(root, 'apps/server/dist/main.js'),
    {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      CALLBACK_RATE_PER_PROJECT: '0',
      CALLBACK_RATE_PER_TRACK: '0',
    },
    '/healthz',
    PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
  );
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * One load: a warm-up, then the measured run. With several servers (processes sharing one database), each
 * gets an equal share of the connections and its own request source; their rates add up and the worst
 * latencies stand for all.
 */
async function load(
  name: string,
  bases: string | string[],
  request: autocannon.Request | ((server: number) => autocannon.Request),
  pid?: number,
): Promise<Load> {
  const servers = typeof bases === 'string' ? [bases] : bases;
  const run = (duration: number) =>
    Promise.all(
      servers.map((url, i) =>
        autocannon({
          url,
          connections: CONNECTIONS / servers.length,
          requests: [typeof request === 'function' ? request(i) : request],
          duration,
        }),
      ),
    );
  await run(WARMUP);
  let peak = 0;
  const sampler = pid
    ? setInterval(() => {
        peak = Math.max(peak, rssMb(pid));
      }, 200)
    : undefined;
  const results = await run(DURATION);
  if (sampler) clearInterval(sampler);
  const sum = (pick: (r: autocannon.Result) => number) => results.reduce((total, r) => total + pick(r), 0);
  const worst = (pick: (r: autocannon.Result) => number) => Math.max(...results.map(pick));
  const figures: Load = {
    name,
    reqPerSec: Math.round(sum((r) => r.requests.average)),
    p50: worst((r) => r.latency.p50),
    p99: worst((r) => r.latency.p99),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors + r.timeouts),
    ...(pid ? { rssMb: Math.round(peak) } : {}),
  };
  console.log(`  ${name}: ${figures.reqPerSec} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms`);
  return figures;
}

async function api<T>(base: string, url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(base + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Seeded = { apiKey: string; trackIds: string[]; tokens: string[]; goTaskIds: string[]; event: string };

/** Giveaways through the API (as a host would make them), then participants and history in bulk. */
async function seed(base: string): Promise<
  Omit<Seeded, 'trackIds' | 'tokens' | 'goTaskIds'> & {
    giveaways: { id: string; tasks: { id: string; event: string }[] }[];
    projectId: string;
    websiteId: string;
  }
> {
  const { token } = await api<{ token: string }>(base, '/api/v1/auth/signup', {
    email: 'bench@example.com',
    password: 'bench password',
  });
  const project = await api<{ id: string; apiKey: string }>(
    base,
    '/api/v1/projects',
    { name: 'Bench' },
    token,
  );
  const website = await api<{ id: string }>(
    base,
    `/api/v1/projects/${project.id}/websites`,
    { name: 'Shop', url: 'https://shop.example/signup?ref=bench#top' },
    token,
  );
  const giveaways = [];
  for (let g = 0; g < GIVEAWAYS; g++) {
    const giveaway = await api<{ id: string; tasks: { id: string; event: string }[] }>(
      base,
      `/api/v1/projects/${project.id}/giveaways`,
      {
        title: `Bench ${g}`,
        winnerMode: 'lucky_draw',
        winnerCount: 10,
        tasks: [
          { websiteId: website.id, event: 'sign_up', name: 'Sign up' },
          { websiteId: website.id, event: 'like_article', name: 'Like articles', requiredAmount: 1_000_000 },
        ],
      },
      token,
    );
    await api(base, `/api/v1/giveaways/${giveaway.id}/publish`, {}, token);
    giveaways.push(giveaway);
  }
  return {
    apiKey: project.apiKey,
    event: 'like_article',
    giveaways,
    projectId: project.id,
    websiteId: website.id,
  };
}

type Fan = {
  id: string;
  giveawayId: string;
  email: string;
  token: string;
  trackId: string;
  goTaskId: string;
};

/** The bench's participants, each with a track_id and a token the bench can sign in with. */
function benchFans(seeded: Awaited<ReturnType<typeof seed>>): Fan[] {
  return Array.from({ length: PARTICIPANTS }, (_, i) => {
    const giveaway = seeded.giveaways[i % GIVEAWAYS];
    return {
      id: `pt_bench${i}`,
      giveawayId: giveaway.id,
      email: `fan${i}@example.com`,
      token: `pdp_bench_token_${i}_${createHash('sha256').update(String(i)).digest('hex').slice(0, 16)}`,
      trackId: createHash('sha256').update(`track ${i}`).digest('base64url').slice(0, 24),
      goTaskId: giveaway.tasks[0].id,
    };
  });
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

function bulkParticipants(seeded: Awaited<ReturnType<typeof seed>>) {
  const db = new SQLite(dbFile);
  const now = Date.now();
  const fans = benchFans(seeded);
  const participant = db.prepare(
    'insert into participants (id, giveaway_id, email, token_hash, created_at, eligible_at) values (?, ?, ?, ?, ?, null)',
  );
  const track = db.prepare(
    'insert into track_ids (track_id, project_id, website_id, giveaway_id, participant_id, created_at) values (?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const fan of fans) {
      participant.run(fan.id, fan.giveawayId, fan.email, tokenHash(fan.token), now);
      track.run(fan.trackId, seeded.projectId, seeded.websiteId, fan.giveawayId, fan.id, now);
    }
  })();
  db.close();
  return {
    trackIds: fans.map((f) => f.trackId),
    tokens: fans.map((f) => f.token),
    goTaskIds: fans.map((f) => f.goTaskId),
  };
}

/** Earlier callbacks: counted units, their counters and their log rows, as the writer would have left them. */
function bulkCallbacks(
  seeded: Awaited<ReturnType<typeof seed>>,
  trackIds: string[],
  count: number,
  tag: string,
) {
  const db = new SQLite(dbFile);
  const now = Date.now();
  const unit = db.prepare(
    'insert into progress_units (task_id, participant_id, unit_key, created_at) values (?, ?, ?, ?)',
  );
  const progress = db.prepare(
    `insert into task_progress (task_id, participant_id, count, completed_at) values (?, ?, 1, null)
     on conflict (participant_id, task_id) do update set count = task_progress.count + 1`,
  );
  const log = db.prepare(
    `insert into callback_log (project_id, received_at, track_id, event, remark, code, detail, expected_canonical, hint)
     values (?, ?, ?, 'like_article', ?, 'recorded', 'counted', null, null)`,
  );
  const batch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const i = n % PARTICIPANTS;
      const task = seeded.giveaways[i % GIVEAWAYS].tasks[1].id;
      unit.run(task, `pt_bench${i}`, `r:${tag}-${n}`, now);
      progress.run(task, `pt_bench${i}`);
      log.run(seeded.projectId, now, trackIds[i], `${tag}-${n}`);
    }
  });
  for (let from = 0; from < count; from += 50_000) batch(from, Math.min(count, from + 50_000));
  db.close();
}

function callbackRequest(apiKey: string, trackIds: string[], tag: string): autocannon.Request {
  let seq = 0;
  return {
    method: 'POST',
    path: '/api/callback',
    headers: { 'content-type': 'application/json' },
    setupRequest: (request) => {
      const n = seq++;
      const trackId = trackIds[n % trackIds.length];
      const remark = `${tag}-${n}`;
      const sign = createHmac('sha256', apiKey)
        .update(`track_id=${trackId}&event=like_article&remark=${remark}`)
        .digest('hex');
      return { ...request, body: JSON.stringify({ track_id: trackId, event: 'like_article', remark, sign }) };
    },
  };
}

function trackLinkRequest(tokens: string[], taskIds: string[]): autocannon.Request {
  let seq = 0;
  return {
    method: 'GET',
    setupRequest: (request) => {
      const i = seq++ % tokens.length;
      return { ...request, path: `/go/${taskIds[i]}`, headers: { authorization: `Bearer ${tokens[i]}` } };
    },
  };
}

const ratio = (a: Load, b: Load) => Math.round((a.reqPerSec / b.reqPerSec) * 100) / 100;

/** The bare server's twin of a callback: a JSON body of the same size, parsed and answered. */
function barePostRequest(trackId: string): autocannon.Request {
  return {
    method: 'POST',
    path: '/json',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ track_id: trackId, event: 'like_article', remark: 'x', sign: 'f'.repeat(64) }),
  };
}

function printTable(bare: Load[], rows: (Load & { ratio: number; vs: string; target?: string })[]): void {
  console.log('\n| load | req/s | p50 ms | p99 ms | non-2xx | errors | peak RSS MB | ratio | target |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const l of bare) {
    console.log(`| ${l.name} | ${l.reqPerSec} | ${l.p50} | ${l.p99} | ${l.non2xx} | ${l.errors} | | | |`);
  }
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.rssMb ?? ''} | ${r.ratio}× ${r.vs} | ${r.target ?? ''} |`,
    );
  }
}

function settings(extra: Record<string, number> = {}) {
  return {
    connections: CONNECTIONS,
    warmupSeconds: WARMUP,
    durationSeconds: DURATION,
    participants: PARTICIPANTS,
    ...extra,
  };
}

function machine() {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.version,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** PostgreSQL: participants and earlier callbacks in bulk, like the SQLite seed, in a few statements. */
async function bulkPostgres(databaseUrl: string, seeded: Awaited<ReturnType<typeof seed>>) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const now = Date.now();
  const fans = benchFans(seeded);
  await client.query(
    `insert into participants (id, giveaway_id, email, token_hash, created_at)
     select *, $5::bigint from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [
      fans.map((f) => f.id),
      fans.map((f) => f.giveawayId),
      fans.map((f) => f.email),
      fans.map((f) => tokenHash(f.token)),
      now,
    ],
  );
  await client.query(
    `insert into track_ids (track_id, project_id, website_id, giveaway_id, participant_id, created_at)
     select t, $3, $4, g, p, $5::bigint from unnest($1::text[], $2::text[], $6::text[]) as u(t, g, p)`,
    [
      fans.map((f) => f.trackId),
      fans.map((f) => f.giveawayId),
      seeded.projectId,
      seeded.websiteId,
      now,
      fans.map((f) => f.id),
    ],
  );
  // Earlier callbacks: callback n is participant n mod PARTICIPANTS's unit on its giveaway's second task.
  const likeTasks = seeded.giveaways.map((g) => g.tasks[1].id);
  const earlier = `select n, n % ${PARTICIPANTS} as i from generate_series(0, ${EARLIER_CALLBACKS - 1}) as n`;
  await client.query(
    `insert into progress_units (task_id, participant_id, unit_key, created_at)
     select ($1::text[])[i % ${GIVEAWAYS} + 1], 'pt_bench' || i, 'r:seed-' || n, $2::bigint from (${earlier}) e`,
    [likeTasks, now],
  );
  await client.query(
    `insert into task_progress (task_id, participant_id, count, completed_at)
     select task_id, participant_id, count(*), null from progress_units group by task_id, participant_id`,
  );
  await client.query(
    `insert into callback_log (project_id, received_at, track_id, event, remark, code, detail)
     select $1, $2::bigint, ($3::text[])[i + 1], 'like_article', 'seed-' || n, 'recorded', 'counted' from (${earlier}) e`,
    [seeded.projectId, now, fans.map((f) => f.trackId)],
  );
  await client.query('analyze');
  await client.end();
  return fans.map((f) => f.trackId);
}

async function administer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

async function mainPostgres(): Promise<void> {
  const name = `proofdrop_bench_${process.pid}`;
  await administer(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    console.log('seeding…');
    let proofdrop = await startProofdrop(databaseUrl);
    const seeded = await seed(proofdrop.base);
    await stop(proofdrop.child);
    const trackIds = await bulkPostgres(databaseUrl, seeded);
    console.log(
      `  ${PARTICIPANTS} participants in ${GIVEAWAYS} giveaways, ${EARLIER_CALLBACKS} earlier callbacks\n`,
    );

    const bare = await startProcess(path.join(root, 'bench/bare-server.mjs'), {}, '/hello');
    const barePost = await load('bare Fastify POST /json', bare.base, barePostRequest(trackIds[0]));
    await stop(bare.child);

    proofdrop = await startProofdrop(databaseUrl);
    const one = await load(
      'POST /api/callback, 1 process',
      proofdrop.base,
      callbackRequest(seeded.apiKey, trackIds, 'one'),
      proofdrop.child.pid,
    );
    const second = await startProofdrop(databaseUrl);
    const two = await load('POST /api/callback, 2 processes', [proofdrop.base, second.base], (server) =>
      callbackRequest(seeded.apiKey, trackIds, `two-${server}`),
    );
    await Promise.all([stop(proofdrop.child), stop(second.child)]);

    const rows = [
      { ...one, ratio: ratio(one, barePost), vs: 'bare POST' },
      { ...two, ratio: ratio(two, barePost), vs: `bare POST (${ratio(two, one)}× 1 process)` },
    ];
    printTable([barePost], rows);
    const results = {
      at: new Date().toISOString(),
      engine: 'postgres',
      machine: machine(),
      settings: settings(),
      loads: { barePost, oneProcess: one, twoProcesses: two },
      ratios: { oneProcess: rows[0].ratio, twoProcesses: rows[1].ratio, twoVsOne: ratio(two, one) },
    };
    fs.writeFileSync(path.join(root, 'bench/results-postgres.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await administer(`drop database if exists ${name} with (force)`);
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(root, 'apps/server/dist/main.js')))
    throw new Error('build first: npm run build');
  console.log(
    `Proofdrop bench: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  );
  console.log(`${CONNECTIONS} connections, ${WARMUP} s warm-up, ${DURATION} s measured per load\n`);

  console.log('seeding…');
  let proofdrop = await startProofdrop();
  const seeded = await seed(proofdrop.base);
  await stop(proofdrop.child);
  const { trackIds, tokens, goTaskIds } = bulkParticipants(seeded);
  bulkCallbacks(seeded, trackIds, EARLIER_CALLBACKS, 'seed');
  console.log(
    `  ${PARTICIPANTS} participants in ${GIVEAWAYS} giveaways, ${EARLIER_CALLBACKS} earlier callbacks\n`,
  );

  const bare = await startProcess(path.join(root, 'bench/bare-server.mjs'), {}, '/hello');
  const barePost = await load('bare Fastify POST /json', bare.base, barePostRequest(trackIds[0]));
  const bareGet = await load('bare Fastify GET /hello', bare.base, { method: 'GET', path: '/hello' });
  await stop(bare.child);

  proofdrop = await startProofdrop();
  const pid = proofdrop.child.pid as number;
  const callback = await load(
    'POST /api/callback',
    proofdrop.base,
    callbackRequest(seeded.apiKey, trackIds, 'small'),
    pid,
  );
  const trackLink = await load('GET /go/:taskId', proofdrop.base, trackLinkRequest(tokens, goTaskIds), pid);
  await stop(proofdrop.child);

  console.log(`\nadding ${LARGE_CALLBACKS} stored callbacks…`);
  bulkCallbacks(seeded, trackIds, LARGE_CALLBACKS, 'large');
  const stored = (() => {
    const db = new SQLite(dbFile, { readonly: true });
    const n = (db.prepare('select count(*) as n from callback_log').get() as { n: number }).n;
    db.close();
    return n;
  })();
  proofdrop = await startProofdrop();
  const large = await load(
    `POST /api/callback at ${stored} stored`,
    proofdrop.base,
    callbackRequest(seeded.apiKey, trackIds, 'big'),
    proofdrop.child.pid,
  );
  await stop(proofdrop.child);

  const rows = [
    { ...callback, vs: 'bare POST', ratio: ratio(callback, barePost), target: '≥ 0.6×, p99 ≤ 5 ms' },
    { ...trackLink, vs: 'bare GET', ratio: ratio(trackLink, bareGet), target: '≥ 0.8×' },
    { ...large, vs: 'small dataset', ratio: ratio(large, callback), target: '≥ 0.9×' },
  ];
  printTable([barePost, bareGet], rows);
  const results = {
    at: new Date().toISOString(),
    machine: machine(),
    settings: settings({ storedCallbacks: stored }),
    loads: { barePost, bareGet, callback, trackLink, large },
    ratios: { callback: rows[0].ratio, trackLink: rows[1].ratio, largeVsSmall: rows[2].ratio },
  };
  fs.writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.rmSync(workDir, { recursive: true, force: true });
}

if (ENGINE !== 'sqlite' && ENGINE !== 'postgres')
  throw new Error(`--db takes sqlite or postgres, got ${ENGINE}`);
(ENGINE === 'postgres' ? mainPostgres() : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
