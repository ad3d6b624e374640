import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, MailKind } from '../db/schema.js';

/**
 * Queues a mail to a participant's address. Called with the transaction that makes the change the mail
 * tells of, so the mail is stored exactly when the change is; the dispatcher sends it after the commit.
 */
export async function enqueueMail(
  db: Kysely<Database>,
  participantId: string,
  kind: MailKind,
  at: number,
  payload: Record<string, unknown> = {},
): Promise<void> {
  await db
    .insertInto('mail_messages')
    .values({
      id: `mail_${randomUUID().replaceAll('-', '')}`,
      kind,
      participant_id: participantId,
      payload: JSON.stringify(payload),
      created_at: at,
      state: 'pending',
      attempts: 0,
      next_attempt_at: at,
      sent_at: null,
      last_error: null,
    })
    .execute();
}

/** Whether a link was queued for this participant since `since`: one a minute is enough for anyone. */
export async function linkQueuedSince(db: Kysely<Database>, participantId: string, since: number) {
  const row = await db
    .selectFrom('mail_messages')
    .select('id')
    .where('participant_id', '=', participantId)
    .where('kind', '=', 'link')
    .where('created_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims up to `limit` due mails for one run, leasing each `leaseMs` ahead so that another process's run
 * does not send it too; the attempt's outcome then sets the real state. A run that dies leaves its mails
 * to be sent again when the lease ends.
 */
export async function claimDueMail(db: Db, now: number, limit: number, leaseMs: number) {
  const claimed = await db
    .updateTable('mail_messages')
    .set({ next_attempt_at: now + leaseMs })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('mail_messages as due')
        .select('due.id')
        .where('due.state', '=', 'pending')
        .where('due.next_attempt_at', '<=', now)
        .orderBy('due.next_attempt_at')
        .limit(limit),
    )
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .returning('id')
    .execute();
  if (claimed.length === 0) return [];
  return db
    .selectFrom('mail_messages as m')
    .innerJoin('participants as p', 'p.id', 'm.participant_id')
    .innerJoin('giveaways as g', 'g.id', 'p.giveaway_id')
    .select([
      'm.id',
      'm.kind',
      'm.payload',
      'm.attempts',
      'm.participant_id',
      'p.email',
      'p.email_verified_at',
      'g.slug',
      'g.title',
      'g.prizes',
      'g.require_verified_email',
    ])
    .where(
      'm.id',
      'in',
      claimed.map((c) => c.id),
    )
    .execute();
}

export async function recordMailAttempt(
  db: Db,
  id: string,
  outcome: {
    state: 'pending' | 'sent' | 'failed';
    attempts: number;
    next_attempt_at: number;
    sent_at: number | null;
    last_error: string | null;
  },
): Promise<void> {
  await db.updateTable('mail_messages').set(outcome).where('id', '=', id).execute();
}

export async function insertEmailLink(
  db: Db,
  link: { token_hash: string; participant_id: string; created_at: number; expires_at: number },
): Promise<void> {
  await db
    .insertInto('email_links')
    .values({ ...link, used_at: null })
    .execute();
}

export function findEmailLink(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('email_links as l')
    .innerJoin('participants as p', 'p.id', 'l.participant_id')
    .select(['l.participant_id', 'l.expires_at', 'l.used_at', 'p.giveaway_id'])
    .where('l.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Uses a link once: false when it was used meanwhile or has expired. */
export async function useEmailLink(db: Kysely<Database>, tokenHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('email_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
