import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Options, ROOT } from './options.js';

/** A server the bench started, in a process of its own so that its CPU and memory are its own. */
export type Server = { child: ChildProcess; base: string; pid: number };

const SERVER_SCRIPT = path.join(ROOT, 'apps/server/dist/main.js');
const BARE_SCRIPT = path.join(ROOT, 'bench/src/bare-server.mjs');
const CEILING_SCRIPT = path.join(ROOT, 'bench/src/ceiling-server.mjs');

const started = new Set<ChildProcess>();
// Whatever way the bench ends, it leaves no server behind.
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

/** PostgreSQL needs a master key, the same for every process of the run; SQLite makes its key file. */
const SECRET_KEY = randomBytes(32).toString('base64');

export function requireBuiltServer(): void {
  if (!fs.existsSync(SERVER_SCRIPT)) throw new Error('build the server first: npm run build');
}

/**
 * The built server, as `npm start` runs it, with its default limits: the load is one host's legitimate
 * traffic over every participant in turn, which they must let through (the table counts any 429 as unexpected).
 */
export function startProofdrop(options: Options, databaseUrl: string): Promise<Server> {
  return startProcess(
    SERVER_SCRIPT,
    {
      DATABASE_URL: databaseUrl,
      ...(databaseUrl.startsWith('postgres') ? { SECRET_KEY } : {}),
      LOG_LEVEL: 'warn',
    },
    '/healthz',
    options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [],
  );
}

/** The yardstick: a bare Fastify server of the same version (bare-server.mjs). */
export function startBare(): Promise<Server> {
  return startProcess(BARE_SCRIPT, {}, '/hello');
}

/** The disk's yardstick (ceiling-server.mjs): the bare POST with an insert-only group commit into `file`. */
export function startCeiling(file: string): Promise<Server> {
  return startProcess(CEILING_SCRIPT, { DB_FILE: file }, '/hello');
}

export async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
  started.delete(server.child);
}

/** CPU time the process (all its threads) has used so far, user and system, in ms. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th, in ticks of 10 ms.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Each process's CPU time so far, in ms; a process already gone is left out. */
export function processCpu(pids: number[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    try {
      times.set(pid, cpuMs(pid));
    } catch {
      // Gone between the listing and the reading.
    }
  }
  return times;
}

/**
 * The CPU time, in ms, that the processes of `before` used since, counting those still there: a database
 * backend whose connection closed meanwhile takes its time with it.
 */
export function cpuSince(before: Map<number, number>): number {
  let used = 0;
  for (const [pid, time] of processCpu([...before.keys()])) used += time - (before.get(pid) ?? time);
  return used;
}

/** The process's resident memory now, in MB. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Tries three ports picked at random: on a shared machine, another process may hold one. */
async function startProcess(
  script: string,
  env: Record<string, string>,
  readyRoute: string,
  execArgv: string[] = [],
): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const child = fork(script, [], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: 'inherit',
      execArgv,
    });
    started.add(child);
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilAnswering(base + readyRoute, child);
      return { child, base, pid: child.pid as number };
    } catch (error) {
      started.delete(child);
      child.kill('SIGKILL');
      if (attempt === 3) throw error;
    }
  }
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer within 30 s`);
}
