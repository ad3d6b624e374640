// The disk's yardstick: the bare server's POST, made durable the cheapest way SQLite allows. Each request
// appends one row; rows gather while a commit runs and go to a writer thread as one batch, one transaction,
// one fsync (WAL, synchronous=FULL), as Proofdrop's writer does, with nothing read and nothing judged.
// Proofdrop's callback cannot beat this on the same disk, so its ratio to it says what the code costs.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

if (isMainThread) await serve();
else write(workerData);

async function serve() {
  const file = /** @type {string} */ (process.env.DB_FILE);
  const writer = new Worker(new URL(import.meta.url), { workerData: file });
  await new Promise((resolve) => writer.once('message', resolve));
  /** Flat [track_id, event, remark, received_at, …]: one message a batch, no object to clone. */
  /** @type {(string | number)[]} */
  let rows = [];
  /** @type {(() => void)[]} */
  let waiting = [];
  let committing = false;
  const flush = () => {
    if (committing || waiting.length === 0) return;
    committing = true;
    const batch = waiting;
    writer.postMessage(rows);
    rows = [];
    waiting = [];
    writer.once('message', () => {
      committing = false;
      for (const resolve of batch) resolve();
      flush();
    });
  };
  const app = Fastify({ logger: false });
  app.post('/json', async (request) => {
    const { track_id, event, remark } = /** @type {{ track_id: string, event: string, remark: string }} */ (
      request.body
    );
    rows.push(track_id, event, remark, Date.now());
    await new Promise((/** @type {(value?: unknown) => void} */ resolve) => {
      waiting.push(resolve);
      if (waiting.length === 1) setImmediate(flush);
    });
    return { ok: true, code: 'recorded', message: 'counted' };
  });
  app.get('/hello', async () => ({ hello: 'world' }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.send?.('ready');
}

/** @param {string} file */
function write(file) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The WAL only grows during a run: no checkpoint ever runs inside a commit, the cheapest a commit gets.
  db.pragma('wal_autocheckpoint = 0');
  db.exec(`create table if not exists log (id integer primary key, track_id text not null, event text not null,
    remark text not null, received_at integer not null)`);
  const insert = db.prepare('insert into log (track_id, event, remark, received_at) values (?, ?, ?, ?)');
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  port.on('message', (/** @type {(string | number)[]} */ rows) => {
    db.exec('begin immediate');
    for (let i = 0; i < rows.length; i += 4) insert.run(rows[i], rows[i + 1], rows[i + 2], rows[i + 3]);
    db.exec('commit');
    port.postMessage(rows.length / 4);
  });
  port.postMessage('ready');
}
