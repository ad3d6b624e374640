/**
 * `npm run bench`: Proofdrop's callback and track link against a bare Fastify server, measured in the same
 * run on the same machine with the same client settings, printed as ratios and written to
 * bench/results*.json. `npm run bench -- --help` lists the options.
 */
import { parseOptions, USAGE, UsageError } from './options.js';
import { requireBuiltServer } from './processes.js';
import { printHeader } from './report.js';
import { benchPostgres } from './scenarios/postgres.js';
import { benchSqlite } from './scenarios/sqlite.js';

async function main(args: string[]): Promise<void> {
  if (args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const options = parseOptions(args);
  requireBuiltServer();
  printHeader(options);
  await (options.engine === 'postgres' ? benchPostgres(options) : benchSqlite(options));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(1);
  },
);
