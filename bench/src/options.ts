import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** The repository's root: the bench runs the built server from it and writes its figures beside itself. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Engine = 'sqlite' | 'postgres';

export type Options = {
  engine: Engine;
  /** Seconds measured per load, after `warmup` seconds whose figures are thrown away. */
  duration: number;
  warmup: number;
  connections: number;
  participants: number;
  giveaways: number;
  /** Callbacks stored before the first load, as a live giveaway would have them. */
  earlierCallbacks: number;
  /** Callbacks added before the last SQLite load, which measures the callback on a large database. */
  largeCallbacks: number;
  /** Where the server's CPU profiles go; none without `--profile`. */
  profileDir: string | undefined;
  /** A short run that proves the bench works end to end; its figures mean little. */
  quick: boolean;
  resultsFile: string;
  postgresAdminUrl: string;
};

export const USAGE = `npm run bench [-- options]
  --db sqlite|postgres   the engine (default sqlite); postgres runs the callback with one and two processes
  --duration N           seconds measured per load (default 10)
  --warmup N             seconds of warm-up before each load, after one request per participant (default 3)
  --participants N       participants seeded (default 12000)
  --large N              callbacks added before the large-database load, on SQLite (default 1000000)
  --profile              CPU profiles of the Proofdrop server to bench/profiles/
  --quick                a short run that proves the bench works: 1000 participants, 2 s loads

PostgreSQL runs need BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test) to be allowed
to create and drop a database of the bench's own.`;

export class UsageError extends Error {}

export function parseOptions(args: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const { values } = parseArgsOrExplain({
    args,
    options: {
      db: { type: 'string', default: 'sqlite' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      participants: { type: 'string' },
      large: { type: 'string' },
      profile: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
    },
  });
  const engine = values.db;
  if (engine !== 'sqlite' && engine !== 'postgres') {
    throw new UsageError(`--db takes sqlite or postgres, got ${engine}`);
  }
  const quick = values.quick;
  const suffix = `${engine === 'postgres' ? '-postgres' : ''}${quick ? '-quick' : ''}`;
  return {
    engine,
    duration: count('duration', values.duration, quick ? 2 : 10),
    warmup: count('warmup', values.warmup, quick ? 1 : 3),
    connections: 32,
    participants: count('participants', values.participants, quick ? 1_000 : 12_000),
    giveaways: 4,
    earlierCallbacks: quick ? 10_000 : 100_000,
    largeCallbacks: count('large', values.large, quick ? 100_000 : 1_000_000),
    profileDir: values.profile ? path.join(ROOT, 'bench/profiles') : undefined,
    quick,
    resultsFile: path.join(ROOT, `bench/results${suffix}.json`),
    postgresAdminUrl: env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
}

/** parseArgs, with its complaint about an unknown or malformed option told as a usage error. */
function parseArgsOrExplain<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} takes a whole number above 0, got ${value}`);
  return n;
}
