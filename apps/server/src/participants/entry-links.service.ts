import type { Kysely } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { requirePublishedGiveaway } from '../giveaways/giveaway-access.js';
import { giveawayPhase } from '../giveaways/lifecycle.js';
import type { Clock } from '../lib/clock.js';
import { normaliseEmail } from '../lib/email.js';
import { hashToken, randomToken } from '../lib/random.js';
import { RateLimiter } from '../lib/rate-limit.js';
import type { LiveEvents } from '../live/live-events.js';
import { enqueueMail, findEmailLink, linkQueuedSince, useEmailLink } from '../mail/mail.repository.js';
import type { MailService } from '../mail/mail.service.js';
import { enqueueWebhook } from '../webhooks/webhooks.repository.js';
import {
  findParticipantByEmail,
  insertParticipantToken,
  markEligibleIfDone,
  markEmailVerified,
  revokeTokens,
} from './participants.repository.js';

/** A mailbox gets at most one link a minute per entry, however often someone asks for it. */
const LINK_INTERVAL_MS = 60_000;

/** Queues a link to the entry's address unless one was queued within the last minute. */
export async function queueEntryLink(
  db: Kysely<Database>,
  participantId: string,
  now: number,
): Promise<void> {
  if (await linkQueuedSince(db, participantId, now - LINK_INTERVAL_MS)) return;
  await enqueueMail(db, participantId, 'link', now);
}

export type SignedIn = { participantId: string; token: string; giveawayId: string; verified: true };

/** Thrown inside a transaction to undo it. */
class LinkOfAnotherGiveaway extends Error {}

/**
 * Entries reached by mail. A link mailed to an entry's address signs the browser that follows it in, which
 * is how a participant gets back to an entry from another browser, and proves the address the first time.
 * In a giveaway that verifies emails that proof is what makes the entry count, and the tokens handed out
 * before it stop working: the entry belongs to whoever reads that mailbox. Elsewhere an entry never
 * waited for the proof, so the browsers already following it stay signed in.
 */
export class EntryLinksService {
  private readonly requestsPerAddress: RateLimiter;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly mail: MailService | undefined,
    requestsPerMinute: number,
    private readonly live: LiveEvents<{ id: number }>,
  ) {
    this.requestsPerAddress = new RateLimiter(requestsPerMinute / 60, requestsPerMinute);
  }

  /**
   * "Send me my link": mails a sign-in link to the address when it has entered, in any giveaway of a server
   * that sends mail. The answer is the same whether it has or not, so it tells nobody who entered.
   */
  async sendLink(slug: string, email: string, clientIp: string): Promise<void> {
    const now = this.clock();
    if (!this.requestsPerAddress.take(clientIp, now)) {
      throw new AppError(
        'rate_limited',
        'too many requests from this network address; try again in a minute',
      );
    }
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    if (!this.mail) {
      throw new AppError(
        'invalid_state',
        'this server sends no mail, so it cannot mail you a link: your entry lives in the browser you joined with',
      );
    }
    const entry = await findParticipantByEmail(this.db, giveaway.id, normaliseEmail(email));
    if (!entry) return;
    await queueEntryLink(this.db, entry.id, now);
    this.mail?.nudge();
  }

  /** Follows a mailed link: proves the address (the first time) and answers a new token for this browser. */
  async follow(slug: string, linkToken: string): Promise<SignedIn> {
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    const now = this.clock();
    const linkHash = hashToken(linkToken);
    const token = `pdp_${randomToken(32)}`;
    let revoked = false;
    const participantId = await this.db
      .transaction()
      .execute(async (tx) => {
        // The link is spent first, so this transaction writes before it reads anything.
        if (!(await useEmailLink(tx, linkHash, now))) return undefined;
        const link = await findEmailLink(tx, linkHash);
        if (!link || link.giveaway_id !== giveaway.id) throw new LinkOfAnotherGiveaway();
        const proven = await markEmailVerified(tx, link.participant_id, now);
        if (proven && giveaway.require_verified_email === 1) {
          await revokeTokens(tx, link.participant_id, hashToken(randomToken(32)));
          revoked = true;
          const eligibleAt =
            giveawayPhase(giveaway, now) === 'live'
              ? await markEligibleIfDone(tx, link.participant_id, giveaway.id, now)
              : undefined;
          if (eligibleAt !== undefined) {
            await enqueueWebhook(tx, giveaway.project_id, 'participant.eligible', now, {
              giveawayId: giveaway.id,
              participantId: link.participant_id,
              eligibleAt: new Date(eligibleAt).toISOString(),
            });
          }
        }
        await insertParticipantToken(tx, {
          token_hash: hashToken(token),
          participant_id: link.participant_id,
          created_at: now,
        });
        return link.participant_id;
      })
      .catch((error: unknown) => {
        if (error instanceof LinkOfAnotherGiveaway) return undefined;
        throw error;
      });
    if (participantId === undefined) throw await this.unusable(linkHash, giveaway.id, now);
    // Whoever entered with this address before it was proven held those tokens: their streams end too.
    if (revoked) await this.live.revoked('participant', participantId);
    // The entry is now proven, and may be eligible: its open pages hear it from their stream, whatever
    // they were reading when the link was followed.
    await this.live.entryChanged(participantId);
    return { participantId, token, giveawayId: giveaway.id, verified: true };
  }

  /** Why a link did not work, in words its holder can act on. */
  private async unusable(linkHash: string, giveawayId: string, now: number): Promise<AppError> {
    const link = await findEmailLink(this.db, linkHash);
    const ask = 'ask for a new link on the giveaway page';
    if (!link || link.giveaway_id !== giveawayId) {
      return new AppError('invalid_request', `this link is not one of this giveaway's: ${ask}`);
    }
    if (link.used_at !== null) return new AppError('invalid_request', `this link was already used: ${ask}`);
    if (link.expires_at <= now) return new AppError('invalid_request', `this link has expired: ${ask}`);
    return new AppError('invalid_request', `this link cannot be used: ${ask}`);
  }
}
