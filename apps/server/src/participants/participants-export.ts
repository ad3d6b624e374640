import { Readable } from 'node:stream';
import type { Prize } from '@proofdrop/contract';
import { prizeForRank } from '@proofdrop/protocol';
import type { Db } from '../db/database.js';
import type { GiveawaysTable, TasksTable } from '../db/schema.js';
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
  /** The name of the prize listed at the winner's rank; null past the end of the list, or for a non-winner. */
  prize: string | null;
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

export type Standing = { rank: number; prize: string | null };

/** Each winner's rank and prize, by participant id. */
export async function winnerStandings(
  db: Db,
  giveaway: Pick<GiveawaysTable, 'id' | 'prizes'>,
): Promise<Map<string, Standing>> {
  const drawn = await findWinners(db, giveaway.id);
  const winners = (drawn?.winners ? JSON.parse(drawn.winners) : []) as string[];
  const prizes = JSON.parse(giveaway.prizes) as Prize[];
  return new Map(
    winners.map((id, i) => [id, { rank: i + 1, prize: prizeForRank(prizes, i + 1)?.name ?? null }]),
  );
}

/**
 * Participants with their progress on each task (capped at its required amount), winner rank and prize, and the
 * signals a host reviews before drawing: a proven address, entries from the same network, a throwaway domain.
 */
export async function entryRows(
  db: Db,
  giveawayId: string,
  tasks: TasksTable[],
  standings: ReadonlyMap<string, Standing>,
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
    winnerRank: standings.get(p.id)?.rank ?? null,
    prize: standings.get(p.id)?.prize ?? null,
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
  giveaway: Pick<GiveawaysTable, 'id' | 'prizes'>,
  tasks: TasksTable[],
  onlyWinners: boolean,
): AsyncGenerator<ExportRow> {
  const giveawayId = giveaway.id;
  const standings = await winnerStandings(db, giveaway);
  const winners = [...standings.keys()];
  const toRows = (page: ParticipantRow[]) => entryRows(db, giveawayId, tasks, standings, page);

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
        'prize',
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
          r.prize,
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
