import type { Db } from '../db/database.js';
import { type Clock, DAY_MS } from '../lib/clock.js';
import { purgeCallbackLog, purgeWebhookMessages } from './retention.repository.js';

/** Small batches, each its own short statement, so the writer never waits long behind a purge. */
const BATCH = 500;
/** How often a purge runs; what piles up in between is a minute of logs. */
const EVERY_MS = 60_000;

/**
 * Retention: callback-log rows and settled webhook deliveries older than LOG_RETENTION_DAYS are deleted in
 * the background, batch after batch. Without it, a busy project's log grows for ever.
 */
export class RetentionService {
  private lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  /** Purges when a minute has passed since the last purge (the background tick calls it every second). */
  async purgeIfDue(): Promise<number> {
    const now = this.clock();
    if (this.retentionDays === 0 || now - this.lastRun < EVERY_MS) return 0;
    this.lastRun = now;
    return this.purge();
  }

  /** Deletes everything past retention now; answers how many rows went. */
  async purge(): Promise<number> {
    if (this.retentionDays === 0) return 0;
    const before = this.clock() - this.retentionDays * DAY_MS;
    let purged = 0;
    for (const purgeBatch of [purgeCallbackLog, purgeWebhookMessages]) {
      for (;;) {
        const deleted = await purgeBatch(this.db, before, BATCH);
        purged += deleted;
        if (deleted < BATCH) break;
      }
    }
    return purged;
  }
}
