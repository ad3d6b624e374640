import SQLite from 'better-sqlite3';
import { DatabaseSetupError } from './database-setup-error.js';

// Apart from database.ts: the writer's and the checkpointer's threads open the file with this alone, and
// each thread that imported Kysely, pg and every migration would load them all again at every start.

/**
 * Who copies the WAL back into the database: SQLite itself, inside whichever commit passes a thousand
 * pages (the default), or the running server's checkpoint thread (writer/sqlite/wal-checkpointer.ts), so
 * that no commit, and no request of its group, waits while the database is written and synced.
 */
export type Checkpoints = 'automatic' | 'background';

/**
 * A connection with the durability a 200 promises: WAL with synchronous=FULL. The driver's build defaults
 * WAL to NORMAL, which can lose the last commits on power loss, so FULL is set and then read back.
 */
export function openSqliteConnection(file: string, checkpoints: Checkpoints = 'automatic'): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  if (checkpoints === 'background') sqlite.pragma('wal_autocheckpoint = 0');
  const journal = sqlite.pragma('journal_mode', { simple: true });
  const synchronous = sqlite.pragma('synchronous', { simple: true });
  if (journal !== 'wal' || synchronous !== 2) {
    sqlite.close();
    throw new DatabaseSetupError(
      `SQLite at ${file} runs journal_mode=${String(journal)}, synchronous=${String(synchronous)}; need wal and 2 (FULL)`,
    );
  }
  return sqlite;
}
