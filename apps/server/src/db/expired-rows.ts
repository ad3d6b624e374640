import type { Db } from './database.js';

/**
 * Rows that only matter until a moment passes: spent proof-of-work solutions, kept until their challenge
 * expires, emailed links and the callbacks of the replay window. Their readers check the expiry themselves, so this only bounds the tables.
 */
export async function deleteExpiredRows(db: Db, now: number): Promise<void> {
  await db.deleteFrom('spent_challenges').where('expires_at', '<=', now).execute();
  await db.deleteFrom('email_links').where('expires_at', '<=', now).execute();
  await db.deleteFrom('callback_replays').where('expires_at', '<=', now).execute();
}
