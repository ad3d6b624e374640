import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type ParsedMail, simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { type AppOptions, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import type { Alarm } from '../src/lib/clock.js';
import type { Services } from '../src/services.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** shared/ sits beside the repository, in CI as here. */
export const sharedDir = path.resolve(repoRoot, '../shared');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'proofdrop-test-'));
}

/**
 * A clock the test moves by hand, so schedules are tested without waiting. Its alarms ring when it is moved
 * to or past their time, as the system's ring when the time comes.
 */
export class TestClock {
  private time: number;
  private readonly alarms = new Set<{ at: number; callback: () => void }>();

  constructor(now = Date.parse('2030-01-01T00:00:00Z')) {
    this.time = now;
  }

  get now(): number {
    return this.time;
  }

  set now(time: number) {
    this.time = time;
    for (const alarm of this.alarms) {
      // Rings once, unless cancelled before it does.
      if (alarm.at <= time) setImmediate(() => this.alarms.delete(alarm) && alarm.callback());
    }
  }

  readonly read = () => this.now;

  readonly alarm: Alarm = (at, callback) => {
    const alarm = { at, callback };
    this.alarms.add(alarm);
    // Already due: rings as the system's would, soon but not within this call.
    this.now = this.time;
    return () => this.alarms.delete(alarm);
  };

  advance(ms: number): void {
    this.now += ms;
  }
}

/** The engine the storage and HTTP tests run on: Vitest runs them once per engine (vitest.config.ts). */
export const testEngine: 'sqlite' | 'postgres' =
  process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** A PostgreSQL database the tests may create databases from; the machines run one with trust auth. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let databaseCounter = 0;

/**
 * What to undo after the test file, newest first. Servers and databases are often made inside a test or a
 * beforeAll, where Vitest does not take new hooks, so file-cleanup.ts, which runs before each test file,
 * registers the afterAll that runs them.
 */
const cleanups: (() => Promise<void>)[] = [];

export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/**
 * A database of its own: a file in a fresh temp folder, or a new PostgreSQL database that is dropped after
 * the test file. Without a reachable PostgreSQL this fails, loudly: the PostgreSQL tests never skip.
 */
export async function freshDatabaseUrl(engine = testEngine): Promise<string> {
  if (engine === 'sqlite') return `sqlite:${path.join(tempDir(), 'proofdrop.db')}`;
  const name = `proofdrop_test_${process.pid}_${++databaseCounter}`;
  await administer(`create database ${name}`);
  cleanups.push(() => administer(`drop database if exists ${name} with (force)`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function administer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `the PostgreSQL tests need a server at ${POSTGRES_ADMIN_URL} (TEST_POSTGRES_URL): ${(error as Error).message}`,
    );
  }
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** The master key the PostgreSQL servers need (SECRET_KEY); SQLite servers make their key file instead. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

/** SECRET_KEY for a server on this database URL: required on PostgreSQL, left unset on SQLite. */
export const secretKeyEnv = (databaseUrl: string): Record<string, string> =>
  databaseUrl.startsWith('postgres') ? { SECRET_KEY: TEST_SECRET_KEY } : {};

/**
 * Hosts sign up in nearly every test, and a hash at the default cost takes a core for half a second to a
 * second here: the servers hash at the lowest cost an operator may set. What hashing and the sign-in
 * throttles do at the default cost is tested where it matters (password.test.ts, sign-in.test.ts).
 */
export const CHEAP_PASSWORD_HASHES = { PASSWORD_HASH_COST: '14' };

export type TestServer = {
  app: FastifyInstance;
  db: Db;
  services: Services;
  clock: TestClock;
  databaseUrl: string;
  request: (options: InjectOptions) => Promise<LightMyRequestResponse>;
  close: () => Promise<void>;
};

/** The real server on a real database of its own (see freshDatabaseUrl), closed after the file's tests. */
export async function startServer(
  env: Record<string, string> = {},
  databaseUrl?: string,
  options: Pick<AppOptions, 'webRoot' | 'webhookDns'> = {},
): Promise<TestServer> {
  databaseUrl ??= await freshDatabaseUrl();
  // Every injected request comes from one address: the join limit is tested on its own.
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    JOIN_RATE_PER_IP: '0',
    // A test server needs few connections, and a file may hold several open: PostgreSQL's 100 are shared.
    DATABASE_POOL_SIZE: '3',
    ...CHEAP_PASSWORD_HASHES,
    ...secretKeyEnv(databaseUrl),
    ...env,
  });
  const clock = new TestClock();
  const { app, db, services } = await buildApp({ config, clock: clock.read, alarm: clock.alarm, ...options });
  const server: TestServer = {
    app,
    db,
    services,
    clock,
    databaseUrl,
    request: (options) => app.inject(options),
    close: () => app.close(),
  };
  cleanups.push(() => server.close());
  return server;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function sign(apiKey: string, canonical: string): string {
  return createHmac('sha256', apiKey).update(canonical, 'utf8').digest('hex');
}

export type SignedCallback = { track_id: string; event: string; remark?: string; sign: string };

export function signedCallback(
  apiKey: string,
  trackId: string,
  event: string,
  remark?: string,
): SignedCallback {
  const canonical = `track_id=${trackId}&event=${event}${remark === undefined ? '' : `&remark=${remark}`}`;
  return {
    track_id: trackId,
    event,
    ...(remark === undefined ? {} : { remark }),
    sign: sign(apiKey, canonical),
  };
}

let emailCounter = 0;
export const uniqueEmail = (prefix = 'host') => `${prefix}${++emailCounter}-${process.pid}@example.com`;

export type HostFixture = { token: string; hostId: string };

export async function signupHost(server: TestServer, email = uniqueEmail()): Promise<HostFixture> {
  const res = await server.request({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email, password: 'correct horse battery' },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { token: body.token, hostId: body.host.id };
}

export type TaskSpec = { event: string; name?: string; requiredAmount?: number; website?: number };

export type GiveawayFixture = {
  host: HostFixture;
  projectId: string;
  apiKey: string;
  websites: { id: string; url: string }[];
  giveawayId: string;
  slug: string;
  tasks: { id: string; event: string; websiteId: string; requiredAmount: number }[];
};

/** A host with a project, websites and a published giveaway with the given tasks. */
export async function liveGiveaway(
  server: TestServer,
  options: {
    host?: HostFixture;
    tasks?: TaskSpec[];
    websiteUrls?: string[];
    endsInMs?: number;
    publish?: boolean;
    winnerMode?: 'lucky_draw' | 'first_come';
    /** Further fields of the giveaway, e.g. { entryChallenge: 'pow' }. */
    settings?: Record<string, unknown>;
  } = {},
): Promise<GiveawayFixture> {
  const host = options.host ?? (await signupHost(server));
  const auth = bearer(host.token);
  const project = (
    await server.request({
      method: 'POST',
      url: '/api/v1/projects',
      headers: auth,
      payload: { name: 'Example Shop' },
    })
  ).json();
  const websites: { id: string; url: string }[] = [];
  for (const [i, url] of (
    options.websiteUrls ?? ['https://shop.example/signup?ref=giveaway#start']
  ).entries()) {
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${project.id}/websites`,
      headers: auth,
      payload: { name: `Site ${i}`, url },
    });
    websites.push(res.json());
  }
  const tasks = (options.tasks ?? [{ event: 'sign_up' }]).map((t) => ({
    websiteId: websites[t.website ?? 0].id,
    event: t.event,
    name: t.name ?? `Do ${t.event}`,
    ...(t.requiredAmount === undefined ? {} : { requiredAmount: t.requiredAmount }),
  }));
  const created = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${project.id}/giveaways`,
    headers: auth,
    payload: {
      title: 'Summer Drop',
      winnerMode: options.winnerMode ?? 'lucky_draw',
      winnerCount: 3,
      tasks,
      ...options.settings,
      ...(options.endsInMs === undefined
        ? {}
        : { endsAt: new Date(server.clock.now + options.endsInMs).toISOString() }),
    },
  });
  if (created.statusCode !== 201) throw new Error(`giveaway failed: ${created.statusCode} ${created.body}`);
  const giveaway = created.json();
  if (options.publish !== false) {
    const published = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${giveaway.id}/publish`,
      headers: auth,
    });
    if (published.statusCode !== 200) throw new Error(`publish failed: ${published.body}`);
  }
  return {
    host,
    projectId: project.id,
    apiKey: project.apiKey,
    websites,
    giveawayId: giveaway.id,
    slug: giveaway.slug,
    tasks: giveaway.tasks,
  };
}

export type ParticipantFixture = { participantId: string; token: string; cookie: string };

/** What the ALTCHA widget does on the participant page: fetch the giveaway's challenge and solve it. */
export async function solveEntryChallenge(server: TestServer, slug: string): Promise<string> {
  const res = await server.request({ method: 'GET', url: `/api/v1/giveaways/${slug}/challenge` });
  if (res.statusCode !== 200) throw new Error(`challenge failed: ${res.statusCode} ${res.body}`);
  const challenge = res.json();
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

export async function join(
  server: TestServer,
  slug: string,
  email = uniqueEmail('fan'),
): Promise<ParticipantFixture> {
  const res = await server.request({
    method: 'POST',
    url: `/api/v1/giveaways/${slug}/entries`,
    payload: { email },
  });
  if (res.statusCode !== 201) throw new Error(`join failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
  return { ...res.json(), cookie };
}

/** The participant's track_id for a task, as the Go button gets it. */
export async function trackIdFor(
  server: TestServer,
  participant: ParticipantFixture,
  taskId: string,
): Promise<string> {
  const res = await server.request({
    method: 'POST',
    url: `/api/v1/tasks/${taskId}/visits`,
    headers: bearer(participant.token),
  });
  if (res.statusCode !== 200) throw new Error(`visit failed: ${res.statusCode} ${res.body}`);
  return res.json().trackId;
}

export function postCallback(server: TestServer, payload: unknown, headers: Record<string, string> = {}) {
  return server.request({ method: 'POST', url: '/api/callback', payload: payload as string, headers });
}

export type Event = { id?: string; event: string; data: unknown };

/** One block of a Server-Sent Events stream, or undefined for a comment or the retry line. */
function parseEvent(block: string): Event | undefined {
  const fields = Object.fromEntries(
    block
      .split('\n')
      .filter((line) => line && !line.startsWith(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  );
  return fields.event ? { id: fields.id, event: fields.event, data: JSON.parse(fields.data) } : undefined;
}

/** The events of a Server-Sent Events body, as each chunk completes them. */
async function* eventsOf(body: AsyncIterable<unknown>): AsyncGenerator<Event[]> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    const arrived: Event[] = [];
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const event = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) arrived.push(event);
      end = buffer.indexOf('\n\n');
    }
    yield arrived;
  }
}

/** Reads Server-Sent Events from a real connection until `done` says enough, or the server ends the stream. */
export async function readEvents(
  url: string,
  headers: Record<string, string>,
  done: (events: Event[]) => boolean,
  giveUpMs = 10_000,
) {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), giveUpMs);
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: Event[] = [];
  if (!res.ok || !res.body) {
    clearTimeout(timeout);
    return { status: res.status, events };
  }
  try {
    for await (const arrived of eventsOf(res.body)) {
      events.push(...arrived);
      if (done(events)) break;
    }
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
  return { status: res.status, events };
}

export type EventFollower = {
  status: number;
  /**
   * The first event after those taken before that `matches`, waiting for it to arrive; fails, naming
   * `what`, when the stream ends first or nothing comes within 30 s.
   */
  next: (what: string, matches: (event: Event) => boolean) => Promise<Event>;
  /** Resolves when the stream ends, from either side. */
  ended: Promise<void>;
  close: () => void;
};

/** A stream the test reads step by step, acting between events: open until closed or the file ends. */
export async function followEvents(url: string, headers: Record<string, string>): Promise<EventFollower> {
  const controller = new AbortController();
  cleanups.push(async () => controller.abort());
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: Event[] = [];
  const waiters = new Set<() => void>();
  let ended = !res.ok || !res.body;
  let markEnded = () => {};
  const endedPromise = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  if (ended) markEnded();
  const wake = () => {
    for (const waiter of waiters) waiter();
    waiters.clear();
  };
  if (!ended && res.body) {
    const body = res.body;
    void (async () => {
      try {
        for await (const arrived of eventsOf(body)) {
          events.push(...arrived);
          wake();
        }
      } catch {
        // Aborted by close: the stream is over either way.
      } finally {
        ended = true;
        markEnded();
        wake();
      }
    })();
  }
  let taken = 0;
  const arrival = async (matches: (event: Event) => boolean): Promise<Event | undefined> => {
    for (;;) {
      const index = events.findIndex((event, i) => i >= taken && matches(event));
      if (index !== -1) {
        taken = index + 1;
        return events[index];
      }
      if (ended) return undefined;
      await new Promise<void>((resolve) => waiters.add(resolve));
    }
  };
  return {
    status: res.status,
    next: async (what, matches) => {
      const event = await step(what, arrival(matches));
      if (!event) throw new Error(`${what}: the stream ended first`);
      return event;
    },
    ended: endedPromise,
    close: () => controller.abort(),
  };
}

/**
 * The built server (dist/main.js) in a process of its own, without rate limits; answers once /readyz is 200.
 * Its log goes to the test's output, or to `child.stdout` for a test that reads it (`log: 'pipe'`).
 */
export async function spawnServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  { log = 'inherit' }: { log?: 'inherit' | 'pipe' } = {},
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/server/dist/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      ...secretKeyEnv(databaseUrl),
      LOG_LEVEL: 'warn',
      CALLBACK_RATE_PER_TRACK: '0',
      JOIN_RATE_PER_IP: '0',
      DATABASE_POOL_SIZE: '3',
      ...CHEAP_PASSWORD_HASHES,
      ...env,
    },
    stdio: ['ignore', log, 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  let exitCode: number | null | undefined;
  child.once('exit', (code) => {
    exitCode = code;
  });
  // A loaded machine (CI runs Chromium beside these) can take many seconds to start a process: wait on
  // the process, not on a count of tries.
  const giveUpAt = Date.now() + 60_000;
  while (exitCode === undefined && Date.now() < giveUpAt) {
    const ready = await fetch(`${base}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { child, base };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(
    exitCode === undefined ? 'server did not start within 60 s' : `server exited with ${exitCode} at start`,
  );
}

/**
 * Takes a SQLite database's write lock on a thread of its own, as the writer thread does while it commits
 * a group, and lets it go after `holdMs`; resolves once the lock is held, with the thread's end.
 */
export async function holdWriteLock(file: string, holdMs: number): Promise<{ released: Promise<unknown> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const SQLite = require(workerData.driver);
     const db = new SQLite(workerData.file);
     db.exec('begin immediate');
     parentPort.postMessage('held');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('commit');
     db.close();`,
    {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, holdMs },
    },
  );
  const released = once(worker, 'exit');
  await once(worker, 'message');
  return { released };
}

/**
 * Waits for a step of a long test, failing with its name should it never happen, where a bare test
 * timeout would not say which step hung.
 */
export async function step<T>(what: string, promise: Promise<T>, giveUpMs = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: did not happen within ${giveUpMs / 1000} s`)),
      giveUpMs,
    );
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

export type Mailbox = {
  /** For SMTP_URL. */
  url: string;
  received: ParsedMail[];
  /** The next mail to `to` not read before, waiting for it to arrive. */
  next: (to: string, giveUpMs?: number) => Promise<ParsedMail>;
  /** The server answers the next `n` mails with a temporary failure. */
  refuseNext: (n: number) => void;
};

/** A real SMTP server in the test process: the server under test sends to it as it would to any. */
export async function startMailbox(): Promise<Mailbox> {
  const received: ParsedMail[] = [];
  const read = new Set<ParsedMail>();
  let refusals = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      if (refusals > 0) {
        refusals--;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const addressedTo = (mail: ParsedMail, to: string) =>
    [mail.to ?? []].flat().some((a) => a.value.some((v) => v.address === to));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (n) => {
      refusals = n;
    },
    next: async (to, giveUpMs = 15_000) => {
      const until = Date.now() + giveUpMs;
      for (;;) {
        const mail = received.find((m) => !read.has(m) && addressedTo(m, to));
        if (mail) {
          read.add(mail);
          return mail;
        }
        if (Date.now() > until) throw new Error(`no mail to ${to} arrived`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** The token of the participant-page link in a mail, as the page reads it from `#verify=`. */
export function linkToken(mail: ParsedMail): string {
  const token = /#verify=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
  if (!token) throw new Error(`no link in the mail: ${mail.text}`);
  return token;
}
