import fs from 'node:fs';
import os from 'node:os';
import type { Load } from './load.js';
import type { Options } from './options.js';

/** A load of Proofdrop's, set against the load it is measured by. */
export type Row = Load & {
  ratio: number;
  /**
   * The base's CPU per answer over this load's (its database's backends included, on PostgreSQL): the ratio
   * the load would have if CPU alone bound both.
   */
  cpuRatio: number;
  vs: string;
  target?: string;
  vsCeiling?: number;
};

export function ratio(a: Load, b: Load): number {
  return Math.round((a.reqPerSec / b.reqPerSec) * 100) / 100;
}

/**
 * `load` set against `base`, which the table names `vs`; `target` is what the speed work aims at; `ceiling`,
 * the most the disk allows for a write of the same kind (see ceiling-server.mjs).
 */
export function against(load: Load, base: Load, vs: string, target?: string, ceiling?: Load): Row {
  return {
    ...load,
    ratio: ratio(load, base),
    cpuRatio: Math.round((base.cpuUs / Math.max(1, load.cpuUs + (load.databaseCpuUs ?? 0))) * 100) / 100,
    vs,
    ...(target ? { target } : {}),
    ...(ceiling ? { vsCeiling: ratio(load, ceiling) } : {}),
  };
}

export function printHeader(options: Options): void {
  console.log(
    `Proofdrop bench: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  );
  console.log(
    `${options.connections} connections, ${options.warmup} s warm-up, ${options.duration} s measured per load${
      options.quick ? ' (quick: figures prove the bench works, not the server)' : ''
    }\n`,
  );
}

export function printSeeded(options: Options): void {
  console.log(
    `  ${options.participants} participants in ${options.giveaways} giveaways, ${options.earlierCallbacks} earlier callbacks\n`,
  );
}

/** The load's CPU per answer, with its database's backends' beside it on PostgreSQL. */
function cpuCell(load: Load): string {
  return load.databaseCpuUs === undefined ? String(load.cpuUs) : `${load.cpuUs} + ${load.databaseCpuUs} db`;
}

/** The figures as a Markdown table, the form the README's performance section shows. */
export function printTable(bare: Load[], rows: Row[]): void {
  console.log(
    '\n| load | req/s | p50 ms | p99 ms | unexpected | errors | CPU µs/req | peak RSS MB | batch | commit ms | ratio (by CPU) | target |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const l of bare) {
    const runs = l.runs ? ` (mean of ${l.runs.before} before, ${l.runs.after} after)` : '';
    console.log(
      `| ${l.name}${runs} | ${l.reqPerSec} | ${l.p50} | ${l.p99} | ${l.unexpected} | ${l.errors} | ${l.cpuUs} | | | | | |`,
    );
  }
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.unexpected} | ${r.errors} | ${cpuCell(r)} | ${r.rssMb ?? ''} | ${r.batch ?? ''} | ${r.commitMs ?? ''} | ${r.ratio}× ${r.vs} (${r.cpuRatio}×)${r.vsCeiling === undefined ? '' : `, ${r.vsCeiling}× disk ceiling`} | ${r.target ?? ''} |`,
    );
  }
}

/** Writes the run's figures, with the machine and settings they were measured with, to the results file. */
export function writeResults(
  options: Options,
  figures: {
    engine?: string;
    settings?: Record<string, number>;
    loads: Record<string, Load>;
    ratios: Record<string, number>;
  },
): void {
  const results = {
    at: new Date().toISOString(),
    ...(figures.engine ? { engine: figures.engine } : {}),
    machine: {
      /** Load average at the end of the run: the figures of a busy machine say less. */
      loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
    },
    settings: {
      connections: options.connections,
      warmupSeconds: options.warmup,
      durationSeconds: options.duration,
      participants: options.participants,
      ...figures.settings,
    },
    loads: figures.loads,
    ratios: figures.ratios,
  };
  fs.writeFileSync(options.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nfigures written to ${options.resultsFile}`);
}
