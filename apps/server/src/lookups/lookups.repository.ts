import { compiledOnce } from '../db/compiled-query.js';
import type { Db } from '../db/database.js';

// The hot path's reads, each compiled once (db/compiled-query.ts): a cache miss pays only the query.

const first = async <Row>(rows: Promise<Row[]>): Promise<Row | undefined> => (await rows)[0];

const trackFacts = compiledOnce((db: Db, trackId: string) =>
  db
    .selectFrom('track_ids')
    .innerJoin('websites', 'websites.id', 'track_ids.website_id')
    .select([
      'track_ids.track_id',
      'track_ids.project_id',
      'track_ids.website_id',
      'track_ids.giveaway_id',
      'track_ids.participant_id',
      'websites.name as website_name',
    ])
    .where('track_ids.track_id', '=', trackId),
);
export const findTrackFacts = (db: Db, trackId: string) => first(trackFacts(db, trackId));

export const listWebsiteTasks = compiledOnce((db: Db, giveawayId: string, websiteId: string) =>
  db
    .selectFrom('tasks')
    .select(['id', 'event', 'required_amount'])
    .where('giveaway_id', '=', giveawayId)
    .where('website_id', '=', websiteId),
);

const websiteName = compiledOnce((db: Db, websiteId: string) =>
  db.selectFrom('websites').select('name').where('id', '=', websiteId),
);
export const findWebsiteName = async (db: Db, websiteId: string) =>
  (await first(websiteName(db, websiteId)))?.name;

const projectKeys = compiledOnce((db: Db, projectId: string) =>
  db
    .selectFrom('projects')
    .select(['api_key', 'previous_api_key', 'previous_key_expires_at', 'signature_version'])
    .where('id', '=', projectId),
);
export const findProjectKeys = (db: Db, projectId: string) => first(projectKeys(db, projectId));

const schedule = compiledOnce((db: Db, giveawayId: string) =>
  db.selectFrom('giveaways').select(['status', 'starts_at', 'ends_at']).where('id', '=', giveawayId),
);
export const findSchedule = (db: Db, giveawayId: string) => first(schedule(db, giveawayId));

const trackIdOf = compiledOnce((db: Db, participantId: string, websiteId: string) =>
  db
    .selectFrom('track_ids')
    .select('track_id')
    .where('participant_id', '=', participantId)
    .where('website_id', '=', websiteId),
);
export const findTrackIdOf = (db: Db, participantId: string, websiteId: string) =>
  first(trackIdOf(db, participantId, websiteId));

const joinedByToken = compiledOnce((db: Db, tokenHash: string) =>
  db
    .selectFrom('participants as p')
    .innerJoin('giveaways as g', 'g.id', 'p.giveaway_id')
    .select(['p.id', 'p.giveaway_id', 'p.email_verified_at', 'g.require_verified_email'])
    .where('p.token_hash', '=', tokenHash),
);

const signedInByToken = compiledOnce((db: Db, tokenHash: string) =>
  db
    .selectFrom('participant_tokens as t')
    .innerJoin('participants as p', 'p.id', 't.participant_id')
    .select(['p.id', 'p.giveaway_id'])
    .where('t.token_hash', '=', tokenHash),
);

/**
 * The entry a token belongs to: the token its join gave, or one an emailed link gave. `revocable`: the
 * join's token of an entry that must still prove its address, which the proof will revoke.
 */
export async function findParticipantByTokenHash(db: Db, tokenHash: string) {
  const joined = await first(joinedByToken(db, tokenHash));
  if (joined) {
    const revocable = joined.require_verified_email === 1 && joined.email_verified_at === null;
    return { id: joined.id, giveaway_id: joined.giveaway_id, revocable };
  }
  const signedIn = await first(signedInByToken(db, tokenHash));
  return signedIn && { ...signedIn, revocable: false };
}

const taskFacts = compiledOnce((db: Db, taskId: string) =>
  db
    .selectFrom('tasks')
    .innerJoin('websites', 'websites.id', 'tasks.website_id')
    .innerJoin('giveaways', 'giveaways.id', 'tasks.giveaway_id')
    .select([
      'tasks.id',
      'tasks.giveaway_id',
      'tasks.event',
      'tasks.website_id',
      'websites.url',
      'websites.project_id',
      'giveaways.slug as giveaway_slug',
    ])
    .where('tasks.id', '=', taskId),
);
export const findTaskFacts = (db: Db, taskId: string) => first(taskFacts(db, taskId));

export function listWebsiteOrigins(db: Db) {
  return db.selectFrom('websites').select(['project_id', 'origin']).where('removed_at', 'is', null).execute();
}
