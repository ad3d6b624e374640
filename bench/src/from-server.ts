/**
 * What the bench takes from the server's own code (its sources, run through tsx), so that seeding follows
 * the schema, the repositories and the rules as they change, and `npm run typecheck` fails where they no
 * longer fit. Everything the bench borrows is named here.
 */
export { canonicalString } from '@proofdrop/protocol';
export { type Db, openDatabase } from '../../apps/server/src/db/database.js';
export type { CallbackLogTable, ProgressUnitsTable } from '../../apps/server/src/db/schema.js';
export { countMessage, unitKey } from '../../apps/server/src/giveaways/progress.js';
export { hashToken, newId, randomToken } from '../../apps/server/src/lib/random.js';
export { insertParticipant } from '../../apps/server/src/participants/participants.repository.js';
export { newTrackId } from '../../apps/server/src/participants/track-id.js';
