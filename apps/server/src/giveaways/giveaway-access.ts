import type { Db } from '../db/database.js';
import type { GiveawaysTable } from '../db/schema.js';
import { notFound } from '../errors.js';
import { findGiveawayBySlug, findHostGiveaway } from './giveaways.repository.js';

/**
 * Who may see a giveaway, in one place for every feature that reaches one: the giveaways, their draws and
 * their participants. Either answers the giveaway or a 404, never a hint that another host's id exists.
 */

/** A giveaway by its public slug. A draft is the host's work in progress: to everyone else it does not exist yet. */
export async function requirePublishedGiveaway(db: Db, slug: string): Promise<GiveawaysTable> {
  const giveaway = await findGiveawayBySlug(db, slug);
  if (!giveaway || giveaway.status === 'draft') throw notFound('giveaway');
  return giveaway;
}

/** One of the host's own giveaways. */
export async function requireHostGiveaway(
  db: Db,
  hostId: string,
  giveawayId: string,
): Promise<GiveawaysTable> {
  const giveaway = await findHostGiveaway(db, hostId, giveawayId);
  if (!giveaway) throw notFound('giveaway');
  return giveaway;
}
