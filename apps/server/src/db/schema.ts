import type { EntryChallenge, SignatureVersion, WinnerMode } from '@proofdrop/contract';
import type { Generated } from 'kysely';

/** Times are milliseconds since the epoch: portable across engines and cheap to compare. */
export type Millis = number;

export interface HostsTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: Millis;
}

export interface SessionsTable {
  token_hash: string;
  host_id: string;
  created_at: Millis;
  expires_at: Millis;
}

/** A one-time link to sign up while SIGNUP=closed; only the token's hash is kept. */
export interface InvitesTable {
  token_hash: string;
  /** The host who made it. */
  host_id: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export interface ServerSecretsTable {
  name: string;
  /** Sealed (secrets/secret-box.ts), as every column holding a secret. */
  value: string;
}

export interface ProjectsTable {
  id: string;
  host_id: string;
  name: string;
  /** Sealed, as previous_api_key. */
  api_key: string;
  previous_api_key: string | null;
  previous_key_expires_at: Millis | null;
  created_at: Millis;
  /** v2: every callback must carry a signed, fresh `ts`; v1 accepts both forms. */
  signature_version: SignatureVersion;
  /** The page (its Origin) of the latest callback signed with the key there, and when; cleared by a rotation. */
  key_in_page_origin: string | null;
  key_in_page_at: Millis | null;
}

export interface WebsitesTable {
  id: string;
  project_id: string;
  name: string;
  url: string;
  origin: string;
  created_at: Millis;
  /** Set when the host removes it; the row stays for the giveaways that used it. */
  removed_at: Millis | null;
}

export type GiveawayStatus = 'draft' | 'live' | 'ended' | 'drawn';

export interface GiveawaysTable {
  id: string;
  project_id: string;
  slug: string;
  title: string;
  description: string;
  starts_at: Millis | null;
  ends_at: Millis | null;
  winner_mode: WinnerMode;
  winner_count: number;
  prizes: string;
  status: GiveawayStatus;
  published_at: Millis | null;
  ended_at: Millis | null;
  created_at: Millis;
  entry_challenge: EntryChallenge;
  /** 1: an entry counts once its email address is proven by an emailed link. */
  require_verified_email: number;
}

export interface TasksTable {
  id: string;
  giveaway_id: string;
  website_id: string;
  event: string;
  name: string;
  required_amount: number;
  position: number;
}

export interface ParticipantsTable {
  id: string;
  giveaway_id: string;
  email: string;
  token_hash: string;
  created_at: Millis;
  eligible_at: Millis | null;
  /** The join address's network: `a.b.c.0/24` or the IPv6 /48; null when unknown (entries before it was kept). */
  ip_bucket: string | null;
  /** When the address was proven by an emailed link; null while unproven. */
  email_verified_at: Millis | null;
}

/** Tokens handed out by emailed sign-in links, besides the one the join gave. */
export interface ParticipantTokensTable {
  token_hash: string;
  participant_id: string;
  created_at: Millis;
}

/** One-time links mailed to a participant's address: following one proves the address and signs in. */
export interface EmailLinksTable {
  token_hash: string;
  participant_id: string;
  created_at: Millis;
  expires_at: Millis;
  used_at: Millis | null;
}

export type MailKind = 'link' | 'winner';
export type MailState = 'pending' | 'sent' | 'failed';

/** The mail outbox: written in the transaction of the change that calls for the mail, sent and retried later. */
export interface MailMessagesTable {
  id: string;
  kind: MailKind;
  participant_id: string;
  /** JSON; for a winner notice, `{ rank }`. */
  payload: string;
  created_at: Millis;
  state: MailState;
  attempts: number;
  next_attempt_at: Millis;
  sent_at: Millis | null;
  last_error: string | null;
}

export interface TrackIdsTable {
  track_id: string;
  project_id: string;
  website_id: string;
  /** Both null for a Check API callback test id, which counts nothing. */
  giveaway_id: string | null;
  participant_id: string | null;
  created_at: Millis;
}

/**
 * On SQLite, progress_units and task_progress are views of one table, `progress`, which the writer writes
 * (migration 2026-11-28-sqlite-progress-one-tree); on PostgreSQL they are tables. Reads are the same.
 */
export interface ProgressUnitsTable {
  task_id: string;
  participant_id: string;
  unit_key: string;
  created_at: Millis;
}

export interface TaskProgressTable {
  task_id: string;
  participant_id: string;
  count: number;
  completed_at: Millis | null;
}

export interface CallbackLogTable {
  id: Generated<number>;
  project_id: string;
  received_at: Millis;
  track_id: string | null;
  event: string | null;
  remark: string | null;
  code: string;
  detail: string;
  expected_canonical: string | null;
  hint: string | null;
}

export interface GiveawayDrawsTable {
  giveaway_id: string;
  version: string;
  /** Sealed hex; secret until drawn_at is set, then revealed in the proof. */
  seed: string;
  commitment: string;
  committed_at: Millis;
  /** 'quicknet' when the draw mixes in a drand beacon. */
  beacon: string | null;
  frozen_at: Millis | null;
  /** JSON array of entry ids, in frozen order. */
  entries: string | null;
  list_hash: string | null;
  merkle_root: string | null;
  beacon_round: number | null;
  beacon_signature: string | null;
  beacon_randomness: string | null;
  /** JSON array of entry ids in rank order. */
  winners: string | null;
  drawn_at: Millis | null;
}

export interface WebhookEndpointsTable {
  id: string;
  project_id: string;
  url: string;
  /** Sealed `whsec_` + base64 of the signing key, as Standard Webhooks spells it. */
  secret: string;
  /** The secret before the last rotation: deliveries are signed with it too until it expires. */
  previous_secret: string | null;
  previous_secret_expires_at: Millis | null;
  /** JSON array of subscribed event types. */
  events: string;
  enabled: number;
  disabled_reason: string | null;
  created_at: Millis;
}

export type WebhookMessageState = 'pending' | 'delivered' | 'failed';

export interface WebhookMessagesTable {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  created_at: Millis;
  state: WebhookMessageState;
  attempts: number;
  next_attempt_at: Millis;
  delivered_at: Millis | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  message_id: string;
  attempted_at: Millis;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

/** Proof-of-work solutions already used to join, kept until their challenge expires. */
export interface SpentChallengesTable {
  nonce: string;
  expires_at: Millis;
}

/** A remark-less callback already counted, kept until the replay window after it closes. */
export interface CallbackReplaysTable {
  track_id: string;
  sign: string;
  expires_at: Millis;
}

export interface Database {
  hosts: HostsTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  server_secrets: ServerSecretsTable;
  projects: ProjectsTable;
  websites: WebsitesTable;
  giveaways: GiveawaysTable;
  tasks: TasksTable;
  participants: ParticipantsTable;
  track_ids: TrackIdsTable;
  progress_units: ProgressUnitsTable;
  task_progress: TaskProgressTable;
  callback_log: CallbackLogTable;
  giveaway_draws: GiveawayDrawsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  webhook_attempts: WebhookAttemptsTable;
  spent_challenges: SpentChallengesTable;
  participant_tokens: ParticipantTokensTable;
  email_links: EmailLinksTable;
  mail_messages: MailMessagesTable;
  callback_replays: CallbackReplaysTable;
}
