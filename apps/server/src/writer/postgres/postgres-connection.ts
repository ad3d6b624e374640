import type pg from 'pg';
import { CHANNEL, notifyPayloads } from '../../cluster/cluster-bus.js';
import { liveMessages } from '../../live/live-messages.js';
import type { WriteConnection } from '../ports.js';
import { LOG_COLUMNS, type StatementName } from '../statements.js';
import { postgresSql } from './statements.js';

/**
 * Held from taking log ids to commit, so that log ids grow in commit order across processes: a live log
 * client that resumed after id n can then never miss a row committed later with a smaller id.
 */
const LOG_ORDER_LOCK = 0x70726f6f66;
const NEXT_LOG_IDS =
  "select nextval(pg_get_serial_sequence('callback_log', 'id')) as id from generate_series(1, $1)";
const LOG_TYPES = ['text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];
const INSERT_LOGS = `insert into callback_log (id, ${LOG_COLUMNS.join(', ')})
  select * from unnest($1::bigint[], ${LOG_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(', ')})`;

/** Deadlock and serialization failure: another writer got there first; the batch is simply run again. */
const TRANSIENT = new Set(['40P01', '40001']);

/**
 * The writer's PostgreSQL connection, in this process. Statements are named, so each is prepared once per
 * connection; the batch's live events are notified inside its transaction, so the other processes hear of
 * them exactly at commit. `broken` is told when the connection itself failed (an error without SQLSTATE),
 * so the committer opens a new one for the next batch.
 */
export function postgresWriteConnection(
  client: pg.Client,
  processId: string,
  broken: (client: pg.Client) => void,
): WriteConnection {
  const failed = (error: unknown) => {
    if (!(error as { code?: unknown }).code) broken(client);
    throw error;
  };
  const query = <Row extends pg.QueryResultRow>(name: StatementName, values: unknown[]) =>
    client.query<Row>({ name, text: postgresSql[name], values }).catch(failed);
  return {
    one: async <Row>(name: StatementName, params: unknown[]) =>
      (await query(name, params)).rows[0] as Row | undefined,
    all: async <Row>(name: StatementName, params: unknown[]) => (await query(name, params)).rows as Row[],
    run: async (name, params) => (await query(name, params)).rowCount ?? 0,
    begin: async () => void (await client.query('begin').catch(failed)),
    insertLogs: async (rows) => {
      await client.query('select pg_advisory_xact_lock($1)', [LOG_ORDER_LOCK]).catch(failed);
      const taken = await client
        .query<{ id: number }>({ name: 'nextLogIds', text: NEXT_LOG_IDS, values: [rows.length] })
        .catch(failed);
      const ids = taken.rows.map((r) => r.id).sort((a, b) => a - b);
      const columns = LOG_COLUMNS.map((c) => rows.map((row) => row[c]));
      await client.query({ name: 'insertLogs', text: INSERT_LOGS, values: [ids, ...columns] }).catch(failed);
      return ids;
    },
    beforeCommit: async (ops, results) => {
      for (const message of liveMessages(ops, results)) {
        for (const payload of notifyPayloads(processId, message)) {
          await client.query('select pg_notify($1, $2)', [CHANNEL, payload]).catch(failed);
        }
      }
    },
    commit: async () => void (await client.query('commit').catch(failed)),
    rollback: async () => void (await client.query('rollback')),
    isTransient: (error) => TRANSIENT.has(String((error as { code?: unknown }).code)),
  };
}
