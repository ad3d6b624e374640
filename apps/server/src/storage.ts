import type { FastifyBaseLogger } from 'fastify';
import { type ClusterBus, PostgresBus, SingleProcessBus } from './cluster/cluster-bus.js';
import type { DatabaseConfig } from './config.js';
import type { Db } from './db/database.js';
import type { Committer } from './writer/ports.js';
import { PostgresCommitter } from './writer/postgres/postgres-committer.js';
import { SqliteThreadCommitter } from './writer/sqlite/sqlite-committer.js';
import { Writer, type WriterOptions } from './writer/writer.js';

/** What differs between the engines once the database is open: how processes hear each other, and how writes commit. */
export type Storage = { bus: ClusterBus; writer: Writer };

/**
 * SQLite is one process, whose writes go through one writer thread; PostgreSQL may be shared by several
 * processes, each with its own writer connection and a listener that hears the others.
 */
export async function startStorage(
  db: Db,
  database: DatabaseConfig,
  writerOptions: WriterOptions,
  log: FastifyBaseLogger,
): Promise<Storage> {
  let bus: ClusterBus;
  let committer: Committer;
  if (database.engine === 'sqlite') {
    bus = new SingleProcessBus();
    committer = await SqliteThreadCommitter.start(database.file);
  } else {
    const postgres = await PostgresBus.start(database.url, db, (error) =>
      log.warn({ err: error.message }, 'the cluster listener lost its connection; reconnecting'),
    );
    bus = postgres;
    committer = new PostgresCommitter(database.url, postgres.processId);
  }
  return { bus, writer: new Writer(committer, writerOptions) };
}
