import { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import type { TasksTable } from '../db/schema.js';
import { csvLine } from '../lib/csv.js';
import { isDisposableEmail } from './disposable-email.js';
import {
  countBuckets,
  findWinners,
  listParticipantsByIds,
  listParticipantsPage,
  listProgressOf,
} from './participants.repository.js';

export type ExportRow = {
  participantId: string;
  email: string;
  joinedAt: string;
  eligible: boolean;
  eligibleAt: string | null;
  winnerRank: number | null;
  emailVerified: boolean;
  /** Entries of this giveaway that joined from the same /24 (IPv4) or /48 (IPv6) network, this one included. */
  networkEntries: number | null;
  disposableEmail: boolean;
  tasks: { taskId: string; count: number; completed: boolean }[];
};

const PAGE = 1000;

type ParticipantRow = {
  id: string;
  email: string;
  created_at: number;
  eligible_at: number | null;
  ip_bucket: string | null;
  email_verified_at: number | null;
};

export async function winnerRanks(db: Db, giveawayId: string): Promise<Map<string, number>> {
  const drawn = await findWinners(db, giveawayId);
  const winners = (drawn?.winners ? JSON.parse(drawn.winners) : []) as string[];
  return new Map(winners.map((id, i) => [id, i + 1]));
}

/**
 * Participants with their progress on each task (capped at its required amount), winner rank, and the
 * signals a host reviews before drawing: a proven address, entries from the same network, a throwaway domain.
 */
export async function entryRows(
  db: Db,
  giveawayId: string,
  tasks: TasksTable[],
  ranks: ReadonlyMap<string, number>,
  page: ParticipantRow[],
): Promise<ExportRow[]> {
  const progress = await listProgressOf(
    db,
    tasks.map((t) => t.id),
    page.map((p) => p.id),
  );
  const counts = new Map(progress.map((p) => [`${p.participant_id} ${p.task_id}`, p.count]));
  const buckets = await countBuckets(db, giveawayId, [
    ...new Set(page.flatMap((p) => (p.ip_bucket === null ? [] : [p.ip_bucket]))),
  ]);
  return page.map((p) => ({
    participantId: p.id,
    email: p.email,
    joinedAt: new Date(p.created_at).toISOString(),
    eligible: p.eligible_at !== null,
    eligibleAt: p.eligible_at === null ? null : new Date(p.eligible_at).toISOString(),
    winnerRank: ranks.get(p.id) ?? null,
    emailVerified: p.email_verified_at !== null,
    networkEntries: p.ip_bucket === null ? null : (buckets.get(p.ip_bucket) ?? 1),
    disposableEmail: isDisposableEmail(p.email),
    tasks: tasks.map((t) => {
      const count = Math.min(counts.get(`${p.id} ${t.id}`) ?? 0, t.required_amount);
      return { taskId: t.id, count, completed: count >= t.required_amount };
    }),
  }));
}

/**
 * Entries page by page, so an export of 100k rows never holds more than one page in memory: everyone in
 * join order, or the winners alone in rank order.
 */
export async function* exportRows(
  db: Db,
  giveawayId: string,
  tasks: TasksTable[],
  onlyWinners: boolean,
): AsyncGenerator<ExportRow> {
  const ranks = await winnerRanks(db, giveawayId);
  const winners = [...ranks.keys()];
  const toRows = (page: ParticipantRow[]) => entryRows(db, giveawayId, tasks, ranks, page);

  if (onlyWinners) {
    for (let from = 0; from < winners.length; from += PAGE) {
      const page = await listParticipantsByIds(db, giveawayId, winners.slice(from, from + PAGE));
      yield* (await toRows(page)).sort((a, b) => (a.winnerRank ?? 0) - (b.winnerRank ?? 0));
    }
    return;
  }
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const page = await listParticipantsPage(db, giveawayId, after, PAGE);
    if (page.length === 0) return;
    yield* await toRows(page);
    const last = page.at(-1) as ParticipantRow;
    after = { createdAt: last.created_at, id: last.id };
  }
}

export function csvStream(rows: AsyncIterable<ExportRow>, tasks: TasksTable[]): Readable {
  return Readable.from(
    (async function* () {
      yield csvLine([
        'participantId',
        'email',
        'joinedAt',
        'eligible',
        'eligibleAt',
        'winnerRank',
        'emailVerified',
        'networkEntries',
        'disposableEmail',
        ...tasks.map((t) => `${t.name} (${t.id})`),
      ]);
      for await (const r of rows) {
        yield csvLine([
          r.participantId,
          r.email,
          r.joinedAt,
          r.eligible,
          r.eligibleAt,
          r.winnerRank,
          r.emailVerified,
          r.networkEntries,
          r.disposableEmail,
          ...r.tasks.map((t) => t.count),
        ]);
      }
    })(),
  );
}

export function jsonStream(rows: AsyncIterable<ExportRow>, key: string): Readable {
  return Readable.from(
    (async function* () {
      yield `{"${key}":[`;
      let first = true;
      for await (const r of rows) {
        yield `${first ? '' : ','}${JSON.stringify(r)}`;
        first = false;
      }
      yield ']}';
    })(),
  );
}
