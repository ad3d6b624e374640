import type { Migration } from 'kysely';
import * as core from './2026-11-25-core.js';
import * as draws from './2026-11-25-draws.js';
import * as webhooks from './2026-11-25-webhooks.js';
import * as entryProtection from './2026-11-27-1-entry-protection.js';
import * as verifiedEmails from './2026-11-27-2-verified-emails.js';
import * as callbackReplays from './2026-11-27-3-callback-replays.js';
import * as accounts from './2026-11-27-accounts.js';
import * as webhookRotation from './2026-11-27-webhook-rotation.js';
import * as websiteRemoval from './2026-11-27-website-removal.js';
import * as writerLeanTables from './2026-11-27-writer-lean-tables.js';
import * as postgresWriteBatch from './2026-11-28-postgres-write-batch.js';
import * as sqliteProgressOneTree from './2026-11-28-sqlite-progress-one-tree.js';
import * as postgresUnitsFollowCounts from './2026-11-29-postgres-units-follow-counts.js';
import * as postgresWebhookBodies from './2026-11-29-postgres-webhook-bodies.js';
import * as postgresWriteBatchPlans from './2026-11-29-postgres-write-batch-plans.js';
import * as keyInPage from './2026-11-30-key-in-page.js';

/** Listed by hand so the same set runs from src (tests) and dist (production). */
export const migrations: Record<string, Migration> = {
  '2026-11-25-core': core,
  '2026-11-25-draws': draws,
  '2026-11-25-webhooks': webhooks,
  '2026-11-27-1-entry-protection': entryProtection,
  '2026-11-27-2-verified-emails': verifiedEmails,
  '2026-11-27-3-callback-replays': callbackReplays,
  '2026-11-27-accounts': accounts,
  '2026-11-27-webhook-rotation': webhookRotation,
  '2026-11-27-website-removal': websiteRemoval,
  '2026-11-27-writer-lean-tables': writerLeanTables,
  '2026-11-28-postgres-write-batch': postgresWriteBatch,
  '2026-11-28-sqlite-progress-one-tree': sqliteProgressOneTree,
  '2026-11-29-postgres-units-follow-counts': postgresUnitsFollowCounts,
  '2026-11-29-postgres-webhook-bodies': postgresWebhookBodies,
  '2026-11-29-postgres-write-batch-plans': postgresWriteBatchPlans,
  '2026-11-30-key-in-page': keyInPage,
};
