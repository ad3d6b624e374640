import os from 'node:os';
import autocannon from 'autocannon';
import type { Options } from './options.js';
import { cpuSince, processCpu, rssMb, type Server } from './processes.js';
import type { RequestSource } from './requests.js';
import { batchFigures, writerTotals } from './writer-metrics.js';

/** One load's figures: the rate of answers, latencies in ms, and the server's peak memory when watched. */
export type Load = {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Answers of another status than the load's own (any 2xx; for the track link, its 302). */
  unexpected: number;
  errors: number;
  rssMb?: number;
  /**
   * The servers' CPU time (every thread, user and system) per answer, in µs: unlike the rate, it hardly
   * moves when other jobs share the machine, so its ratio is the steadier figure on a busy one.
   */
  cpuUs: number;
  /** The load generator's own CPU per answer (the bench's process, where autocannon runs), in µs. */
  generatorCpuUs: number;
  /**
   * On PostgreSQL, the CPU per answer of the database's own backend processes serving the bench's
   * database (every connection open across the measured run), which `cpuUs` leaves out.
   */
  databaseCpuUs?: number;
  /**
   * Requests built while the measured run went on, once the prepared ones ran out (absent when none were):
   * built by the load generator on the cores it shares, they cost it more than a prepared one.
   */
  madeDuringLoad?: number;
  /** Mean operations in one group commit of the watched server, and mean ms from hand-off to its commit. */
  batch?: number;
  commitMs?: number;
  /** For a yardstick measured before and after the loads it measures (`bracket`): each run's req/s. */
  runs?: { before: number; after: number };
};

/**
 * A yardstick measured just before and just after the loads it measures, taken as one: on a shared machine
 * the speed moves within minutes (the bare POST made 18,800 and 35,800 req/s in runs ten minutes apart), and
 * a yardstick measured once, minutes away from the load it measures, moved every ratio with it. The mean
 * cancels a steady drift; the two runs are kept, so a jump shows.
 */
export function bracket(before: Load, after: Load): Load {
  const mean = (pick: (l: Load) => number) => Math.round((pick(before) + pick(after)) / 2);
  return {
    name: before.name,
    reqPerSec: mean((l) => l.reqPerSec),
    p50: Math.max(before.p50, after.p50),
    p99: Math.max(before.p99, after.p99),
    unexpected: before.unexpected + after.unexpected,
    errors: before.errors + after.errors,
    cpuUs: mean((l) => l.cpuUs),
    generatorCpuUs: mean((l) => l.generatorCpuUs),
    runs: { before: before.reqPerSec, after: after.reqPerSec },
  };
}

/**
 * One load: a warm-up (one request per participant, then `warmup` seconds), then the measured run, with
 * the options' connections. With several servers (processes sharing one database), each gets an equal
 * share of the connections and its own request source; their rates add up and the worst latencies stand
 * for all. With `watched`, that server's resident memory is sampled and its peak reported, with its
 * writer's batches over the measured run. Answers other than any 2xx, or than `expectedStatus` when given,
 * are counted as unexpected.
 */
export async function runLoad(
  options: Options,
  name: string,
  servers: Server[],
  request: (server: number) => RequestSource,
  watched?: Server,
  databasePids?: () => Promise<number[]>,
  expectedStatus?: number,
): Promise<Load> {
  // One source per server for the whole load, so that its requests go on where the warm-up left them: a
  // source made again would send the warm-up's remarks again, and the measured run would start with
  // duplicates, which write less.
  const sources = servers.map((_, i) => request(i));
  const connections = options.connections / servers.length;
  const run = (length: { duration: number } | { amount: number }) =>
    Promise.all(
      servers.map((server, i) =>
        autocannon({
          url: server.base,
          connections,
          requests: [(sources[i] as RequestSource).request],
          ...length,
        }),
      ),
    );
  // Every participant once first: the hot path's caches then hold them all, as they do on a giveaway that
  // has run a while, however fast the machine. On a timed warm-up alone, a slower machine measured many
  // participants' first requests, which read the database, and a faster one none. autocannon sends at
  // least a request per connection.
  await run({ amount: Math.max(options.participants, connections) });
  const warm = await run({ duration: options.warmup });
  // Twice what the warm-up's pace would send, made before the measured run starts.
  sources.forEach((source, i) => {
    source.prepare?.(Math.ceil((warm[i] as autocannon.Result).requests.average * options.duration * 2));
  });
  let peak = 0;
  const sampler = watched
    ? setInterval(() => {
        peak = Math.max(peak, rssMb(watched.pid));
      }, 200)
    : undefined;
  const totalsBefore = watched ? await writerTotals(watched.base) : undefined;
  const backendsBefore = databasePids && processCpu(await databasePids());
  const serversBefore = processCpu(servers.map((server) => server.pid));
  const generatorBefore = process.cpuUsage();
  const results = await run({ duration: options.duration });
  const cpuUsed = cpuSince(serversBefore);
  const generator = process.cpuUsage(generatorBefore);
  const backendCpuUsed = backendsBefore && cpuSince(backendsBefore);
  clearInterval(sampler);
  const writer =
    watched && totalsBefore ? batchFigures(totalsBefore, await writerTotals(watched.base)) : undefined;
  const sum = (pick: (r: autocannon.Result) => number) => results.reduce((total, r) => total + pick(r), 0);
  const worst = (pick: (r: autocannon.Result) => number) => Math.max(...results.map(pick));
  const answers = Math.max(
    1,
    sum((r) => r.requests.total),
  );
  const figures: Load = {
    name,
    reqPerSec: Math.round(sum((r) => r.requests.average)),
    p50: worst((r) => r.latency.p50),
    p99: worst((r) => r.latency.p99),
    unexpected:
      expectedStatus === undefined
        ? sum((r) => r.non2xx)
        : sum((r) => r.requests.total - (r.statusCodeStats?.[`${expectedStatus}`]?.count ?? 0)),
    errors: sum((r) => r.errors + r.timeouts),
    cpuUs: Math.round((cpuUsed * 1000) / answers),
    generatorCpuUs: Math.round((generator.user + generator.system) / answers),
    ...(backendCpuUsed === undefined ? {} : { databaseCpuUs: Math.round((backendCpuUsed * 1000) / answers) }),
    ...(watched ? { rssMb: Math.round(peak) } : {}),
    ...writer,
  };
  // Read once every CPU figure is: nothing runs between the measured run and those.
  const madeDuringLoad = sources.reduce((total, source) => total + (source.madeDuringLoad?.() ?? 0), 0);
  if (madeDuringLoad > 0) {
    figures.madeDuringLoad = madeDuringLoad;
    console.log(
      `  (${madeDuringLoad} requests were made during the measured run: the prepared ones ran out)`,
    );
  }
  const batches = writer
    ? `, batches of ${writer.batch} committed, ${writer.commitMs} ms from hand-off to commit`
    : '';
  const database =
    figures.databaseCpuUs === undefined ? '' : ` (+ ${figures.databaseCpuUs} µs in PostgreSQL's backends)`;
  console.log(
    `  ${name}: ${figures.reqPerSec} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, ${figures.cpuUs} µs CPU each${database} (load generator ${figures.generatorCpuUs})${batches} (load average ${os.loadavg()[0]?.toFixed(1)})`,
  );
  return figures;
}
