import type { Db } from '../db/database.js';

export function findTrackFacts(db: Db, trackId: string) {
  return db
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
    .where('track_ids.track_id', '=', trackId)
    .executeTakeFirst();
}

export function listWebsiteTasks(db: Db, giveawayId: string, websiteId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'event', 'required_amount'])
    .where('giveaway_id', '=', giveawayId)
    .where('website_id', '=', websiteId)
    .execute();
}

export function findProjectKeys(db: Db, projectId: string) {
  return db
    .selectFrom('projects')
    .select(['api_key', 'previous_api_key', 'previous_key_expires_at'])
    .where('id', '=', projectId)
    .executeTakeFirst();
}

export function findSchedule(db: Db, giveawayId: string) {
  return db
    .selectFrom('giveaways')
    .select(['status', 'starts_at', 'ends_at'])
    .where('id', '=', giveawayId)
    .executeTakeFirst();
}

export function findTrackIdOf(db: Db, participantId: string, websiteId: string) {
  return db
    .selectFrom('track_ids')
    .select('track_id')
    .where('participant_id', '=', participantId)
    .where('website_id', '=', websiteId)
    .executeTakeFirst();
}

export function findParticipantByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('participants')
    .select(['id', 'giveaway_id'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function findTaskFacts(db: Db, taskId: string) {
  return db
    .selectFrom('tasks')
    .innerJoin('websites', 'websites.id', 'tasks.website_id')
    .select([
      'tasks.id',
      'tasks.giveaway_id',
      'tasks.event',
      'tasks.website_id',
      'websites.url',
      'websites.project_id',
    ])
    .where('tasks.id', '=', taskId)
    .executeTakeFirst();
}

export function listWebsiteOrigins(db: Db) {
  return db.selectFrom('websites').select(['project_id', 'origin']).where('removed_at', 'is', null).execute();
}
