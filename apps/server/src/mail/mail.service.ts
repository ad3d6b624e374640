import type { Prize } from '@proofdrop/contract';
import { prizeForRank } from '@proofdrop/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';
import type { MailConfig } from '../config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { hashToken, randomToken } from '../lib/random.js';
import { MAX_ATTEMPTS, retryDelay } from '../webhooks/standard-webhooks.js';
import { claimDueMail, insertEmailLink, recordMailAttempt } from './mail.repository.js';
import { entryLink, LINK_TTL_MS, linkMail, type MailContent, winnerMail } from './mail-content.js';

const BATCH = 20;
/** Long enough for a batch's sends, each cut off by the transport's own timeouts. */
const SEND_LEASE_MS = 120_000;

type DueMail = Awaited<ReturnType<typeof claimDueMail>>[number];

/**
 * Sends the mail outbox over SMTP, after the request that queued it has answered: a slow or broken mail
 * server never holds up a request. Failures are retried on the webhooks' schedule (5 s … about a day).
 * A link's token is made at send time and kept only as its hash, so neither the outbox nor a log holds a
 * working link.
 */
export class MailService {
  private readonly transport: ReturnType<typeof createTransport>;
  private running: Promise<number> | undefined;
  private nextRun: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: MailConfig,
    private readonly publicUrl: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.transport = createTransport({
      url: config.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** Sends what is due now; one run at a time, a call during a run gets the run after it. */
  deliverDue(): Promise<number> {
    if (!this.running) return this.startRun();
    this.nextRun ??= this.running
      .catch(() => 0)
      .then(() => {
        this.nextRun = undefined;
        return this.startRun();
      });
    return this.nextRun;
  }

  /** Called after a commit that queued mail, so it leaves now rather than at the next tick. */
  nudge(): void {
    this.deliverDue().catch((error: unknown) => this.log.error({ err: error }, 'mail delivery failed'));
  }

  close(): void {
    this.transport.close();
  }

  private startRun(): Promise<number> {
    const run = this.deliverBatch().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async deliverBatch(): Promise<number> {
    const due = await claimDueMail(this.db, this.clock(), BATCH, SEND_LEASE_MS);
    await Promise.all(due.map((mail) => this.send(mail)));
    return due.length;
  }

  private async send(mail: DueMail): Promise<void> {
    let error: string | null = null;
    try {
      const content = await this.compose(mail);
      await this.transport.sendMail({ from: this.config.from, to: mail.email, ...content });
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const now = this.clock();
    const attempts = mail.attempts + 1;
    const delay = error === null ? undefined : retryDelay(attempts);
    const state = error === null ? 'sent' : delay === undefined ? 'failed' : 'pending';
    await recordMailAttempt(this.db, mail.id, {
      state,
      attempts,
      next_attempt_at: now + (delay ?? 0),
      sent_at: state === 'sent' ? now : null,
      last_error: error,
    });
    if (error !== null) {
      // The message id and kind only: the mail's text holds a working link.
      this.log.warn(
        { mailId: mail.id, kind: mail.kind, attempts, err: error, gaveUp: state === 'failed' },
        state === 'failed' ? `mail not sent after ${MAX_ATTEMPTS} attempts` : 'mail not sent; will retry',
      );
    }
  }

  private async compose(mail: DueMail): Promise<MailContent> {
    const pageUrl = `${this.publicUrl}/g/${encodeURIComponent(mail.slug)}`;
    if (mail.kind === 'winner') {
      const { rank } = JSON.parse(mail.payload) as { rank: number };
      const prizes = JSON.parse(mail.prizes) as Prize[];
      return winnerMail(mail.title, rank, prizeForRank(prizes, rank)?.name, pageUrl);
    }
    const token = randomToken(32);
    const now = this.clock();
    await insertEmailLink(this.db, {
      token_hash: hashToken(token),
      participant_id: mail.participant_id,
      created_at: now,
      expires_at: now + LINK_TTL_MS,
    });
    const confirms = mail.require_verified_email === 1 && mail.email_verified_at === null;
    return linkMail(mail.title, entryLink(this.publicUrl, mail.slug, token), confirms);
  }
}
