import type { Db } from '../db/database.js';

/**
 * Deletes up to `limit` callback-log rows received before `before`; answers how many. Ids grow with time,
 * so the oldest rows come first in id order and the scan stops at the first batch.
 */
export async function purgeCallbackLog(db: Db, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('callback_log')
    .where('id', 'in', (eb) =>
      eb.selectFrom('callback_log').select('id').where('received_at', '<', before).orderBy('id').limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes up to `limit` webhook messages that are settled (delivered or given up) and were created before
 * `before`, their attempts with them (the foreign key cascades). Pending messages stay, whatever their age.
 */
export async function purgeWebhookMessages(db: Db, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('webhook_messages')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_messages')
        .select('id')
        .where('state', 'in', ['delivered', 'failed'])
        .where('created_at', '<', before)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
