import type { SignatureVersion } from '@proofdrop/contract';
import { normalizedLink } from '@proofdrop/protocol';
import type { ClusterBus, ClusterMessage } from '../cluster/cluster-bus.js';
import type { Db } from '../db/database.js';
import type { Schedule } from '../giveaways/lifecycle.js';
import { BoundedMap } from '../lib/bounded-map.js';
import type { Clock } from '../lib/clock.js';
import { hashToken } from '../lib/random.js';
import type { SecretBox } from '../secrets/secret-box.js';
import {
  findParticipantByTokenHash,
  findProjectKeys,
  findSchedule,
  findTaskFacts,
  findTrackFacts,
  findTrackIdOf,
  findWebsiteName,
  listWebsiteOrigins,
  listWebsiteTasks,
} from './lookups.repository.js';

/**
 * Track ids are random and handed out only after they are committed, so an id that was unknown a moment
 * ago is, in practice, never one that exists now; the short expiry covers the rest.
 */
const UNKNOWN_TRACK_TTL_MS = 2000;

/**
 * How long project keys, schedules, origins, website names and tasks (whose website link changes) are
 * kept at most; tasks are few, so reading them again costs a handful of reads. Changes are forgotten at
 * once through `forget…` and the cluster bus; this bounds the damage when a notification is lost (a
 * process that committed a change and died before telling the others, a listener reconnecting).
 */
const MUTABLE_TTL_MS = 5000;

/** The key of a cache entry by two ids, in one place for its reads and writes (ids hold no space). */
const pairKey = (first: string, second: string): string => `${first} ${second}`;

/** What a track_id names, which never changes once written; its website's name can (websiteName). */
export type TrackFacts = {
  trackId: string;
  projectId: string;
  websiteId: string;
  giveawayId: string | null;
  participantId: string | null;
  tasks: WebsiteTasks;
};

/** A giveaway's tasks on one website. */
type WebsiteTasks = readonly { id: string; event: string; requiredAmount: number }[];

export type ProjectKeys = {
  api_key: string;
  previous_api_key: string | null;
  previous_key_expires_at: number | null;
  /** v2: callbacks must carry a signed, fresh ts. */
  signature_version: SignatureVersion;
};

/**
 * Who a participant token belongs to: immutable once the entry's address is proven or needs no proof.
 * Before, the proof revokes the join's token, so such tokens are never cached.
 */
export type ParticipantRef = { id: string; giveawayId: string };

export type TaskFacts = {
  id: string;
  giveawayId: string;
  /** Fixed when the giveaway is made: its page is /g/<slug>. */
  giveawaySlug: string;
  event: string;
  websiteId: string;
  /** The website's link, normalised once here (normalizedLink), so that a click only appends to it. */
  url: string;
  projectId: string;
};

/** What a cache miss read from the database, as proofdrop_lookup_reads_total counts it. */
export type LookupRead =
  | 'track'
  | 'website_tasks'
  | 'project_keys'
  | 'schedule'
  | 'track_id'
  | 'participant'
  | 'task'
  | 'website_name'
  | 'website_origins';

/**
 * The hot path's reads, cached. Track ids and participants never change once written, so they are kept
 * as read; tasks (their website's link, a draft's tasks), project keys, giveaway schedules, website names
 * and website origins do change, and every change goes through a `forget…` call made by the service that
 * changed it, after its commit. The call also tells the other processes sharing the database, through the
 * cluster bus.
 */
export class Lookups {
  private readonly tracks: BoundedMap<string, TrackFacts>;
  /** Misses, remembered briefly: a flood of made-up track_ids then costs no database read each. */
  private readonly unknownTracks: BoundedMap<string, number>;
  private readonly trackIds: BoundedMap<string, string>;
  private readonly participants: BoundedMap<string, ParticipantRef>;
  private readonly tasks: BoundedMap<string, TaskFacts>;
  /**
   * By giveaway and website: shared by every track_id of the pair. A giveaway's tasks are fixed once it is
   * published, and only a published giveaway has participants, so only then have its track_ids tasks.
   */
  private readonly websiteTasks: BoundedMap<string, WebsiteTasks>;
  private readonly keys = new Map<string, ProjectKeys>();
  /** When each project's callback from a web page was last written down; forgotten with its keys. */
  private readonly pageNotes = new BoundedMap<string, number>(10_000);
  private readonly schedules = new Map<string, Schedule>();
  /** A website's name, as a callback's unknown_event message shows it: a host may rename the website. */
  private readonly websiteNames = new Map<string, string>();
  private origins: Map<string, Set<string>> | undefined;
  /**
   * Counts forgets. A read that started before a forget may have read the old row, so it is kept only if
   * no forget happened while it was in flight.
   */
  private generation = 0;
  private mutableUntil = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    limit: number,
    private readonly bus: ClusterBus,
    private readonly box: SecretBox,
    private readonly countRead: (what: LookupRead) => void,
  ) {
    bus.subscribe((message) => this.hear(message));
    this.tracks = new BoundedMap(limit);
    this.unknownTracks = new BoundedMap(limit);
    this.trackIds = new BoundedMap(limit);
    this.participants = new BoundedMap(limit);
    this.tasks = new BoundedMap(Math.min(limit, 100_000));
    this.websiteTasks = new BoundedMap(Math.min(limit, 100_000));
  }

  async track(trackId: string): Promise<TrackFacts | undefined> {
    const cached = this.cachedTrack(trackId);
    if (cached) return cached;
    if ((this.unknownTracks.get(trackId) ?? 0) > this.clock()) return undefined;
    const generation = this.generation;
    this.countRead('track');
    const row = await findTrackFacts(this.db, trackId);
    if (!row) {
      this.unknownTracks.set(trackId, this.clock() + UNKNOWN_TRACK_TTL_MS);
      return undefined;
    }
    const tasks = row.giveaway_id ? await this.tasksOn(row.giveaway_id, row.website_id) : [];
    const facts: TrackFacts = {
      trackId: row.track_id,
      projectId: row.project_id,
      websiteId: row.website_id,
      giveawayId: row.giveaway_id,
      participantId: row.participant_id,
      tasks,
    };
    this.tracks.set(trackId, facts);
    if (generation === this.generation) this.websiteNames.set(row.website_id, row.website_name);
    return facts;
  }

  private async tasksOn(giveawayId: string, websiteId: string): Promise<WebsiteTasks> {
    const key = pairKey(giveawayId, websiteId);
    const cached = this.websiteTasks.get(key);
    if (cached) return cached;
    this.countRead('website_tasks');
    const rows = await listWebsiteTasks(this.db, giveawayId, websiteId);
    const tasks = rows.map((t) => ({ id: t.id, event: t.event, requiredAmount: t.required_amount }));
    this.websiteTasks.set(key, tasks);
    return tasks;
  }

  async projectKeys(projectId: string): Promise<ProjectKeys | undefined> {
    const cached = this.cachedProjectKeys(projectId);
    if (cached) return cached;
    const generation = this.generation;
    this.countRead('project_keys');
    const row = await findProjectKeys(this.db, projectId);
    if (!row) return undefined;
    // Opened here, once per cache fill: the callback's hot path never pays a decryption.
    const keys = {
      api_key: this.box.open(row.api_key),
      previous_api_key: this.box.openNullable(row.previous_api_key),
      previous_key_expires_at: row.previous_key_expires_at,
      signature_version: row.signature_version,
    };
    if (generation === this.generation) this.keys.set(projectId, keys);
    return keys;
  }

  async schedule(giveawayId: string): Promise<Schedule | undefined> {
    const cached = this.cachedSchedule(giveawayId);
    if (cached) return cached;
    const generation = this.generation;
    this.countRead('schedule');
    const row = await findSchedule(this.db, giveawayId);
    if (row && generation === this.generation) this.schedules.set(giveawayId, row);
    return row;
  }

  async websiteName(websiteId: string): Promise<string | undefined> {
    const cached = this.cachedWebsiteName(websiteId);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    this.countRead('website_name');
    const name = await findWebsiteName(this.db, websiteId);
    if (name !== undefined && generation === this.generation) this.websiteNames.set(websiteId, name);
    return name;
  }

  async trackIdOf(participantId: string, websiteId: string): Promise<string | undefined> {
    const cached = this.cachedTrackIdOf(participantId, websiteId);
    if (cached) return cached;
    this.countRead('track_id');
    const row = await findTrackIdOf(this.db, participantId, websiteId);
    if (row) this.trackIds.set(pairKey(participantId, websiteId), row.track_id);
    return row?.track_id;
  }

  /**
   * A participant's track_id for a task's website, as the writer committed it. Its facts are cached too,
   * when the giveaway's tasks on the website already are: the callbacks that follow a first click then
   * read nothing, where each participant's first one would read the database.
   */
  rememberTrackId(participant: ParticipantRef, task: TaskFacts, trackId: string): void {
    this.trackIds.set(pairKey(participant.id, task.websiteId), trackId);
    const tasks = this.websiteTasks.get(pairKey(task.giveawayId, task.websiteId));
    if (!tasks || this.tracks.get(trackId)) return;
    this.tracks.set(trackId, {
      trackId,
      projectId: task.projectId,
      websiteId: task.websiteId,
      giveawayId: task.giveawayId,
      participantId: participant.id,
      tasks,
    });
  }

  /**
   * A token a join just handed out, once committed. Only one no proof of address will revoke: those are
   * read afresh each time (see participantByToken).
   */
  rememberParticipant(token: string, participant: ParticipantRef): void {
    this.participants.set(hashToken(token), participant);
  }

  async participantByToken(token: string): Promise<ParticipantRef | undefined> {
    const tokenHash = hashToken(token);
    const cached = this.participants.get(tokenHash);
    if (cached) return cached;
    this.countRead('participant');
    const row = await findParticipantByTokenHash(this.db, tokenHash);
    if (!row) return undefined;
    const ref = { id: row.id, giveawayId: row.giveaway_id };
    // A token the entry's proof of address will revoke is read afresh each time, in every process.
    if (!row.revocable) this.participants.set(tokenHash, ref);
    return ref;
  }

  async task(taskId: string): Promise<TaskFacts | undefined> {
    const cached = this.cachedTask(taskId);
    if (cached) return cached;
    const generation = this.generation;
    this.countRead('task');
    const row = await findTaskFacts(this.db, taskId);
    if (!row) return undefined;
    const facts = {
      id: row.id,
      giveawayId: row.giveaway_id,
      giveawaySlug: row.giveaway_slug,
      event: row.event,
      websiteId: row.website_id,
      url: normalizedLink(row.url),
      projectId: row.project_id,
    };
    if (generation === this.generation) this.tasks.set(taskId, facts);
    return facts;
  }

  /**
   * The `cached…` reads answer from the cache alone, without a promise: a hot path whose facts are all
   * cached answers in the turn its request arrived (measured alone, a track link's checks took ~3.5 µs
   * through the reads above and ~2 µs this way), and on a miss goes the way of those reads, which fill
   * the cache.
   */
  cachedTask(taskId: string): TaskFacts | undefined {
    this.expireMutable();
    return this.tasks.get(taskId);
  }

  cachedTrack(trackId: string): TrackFacts | undefined {
    return this.tracks.get(trackId);
  }

  cachedProjectKeys(projectId: string): ProjectKeys | undefined {
    this.expireMutable();
    return this.keys.get(projectId);
  }

  cachedSchedule(giveawayId: string): Schedule | undefined {
    this.expireMutable();
    return this.schedules.get(giveawayId);
  }

  cachedWebsiteName(websiteId: string): string | undefined {
    this.expireMutable();
    return this.websiteNames.get(websiteId);
  }

  cachedTrackIdOf(participantId: string, websiteId: string): string | undefined {
    return this.trackIds.get(pairKey(participantId, websiteId));
  }

  /** Only tokens that nothing will revoke are ever cached (participantByToken). */
  cachedParticipant(token: string): ParticipantRef | undefined {
    return this.participants.get(hashToken(token));
  }

  /** The origins of a project's websites, or of every website when no project is named. */
  async websiteOrigins(projectId: string | undefined): Promise<ReadonlySet<string>> {
    this.expireMutable();
    let origins = this.origins;
    if (!origins) {
      const generation = this.generation;
      origins = new Map<string, Set<string>>([['*', new Set()]]);
      this.countRead('website_origins');
      for (const row of await listWebsiteOrigins(this.db)) {
        origins.get('*')?.add(row.origin);
        if (!origins.has(row.project_id)) origins.set(row.project_id, new Set());
        origins.get(row.project_id)?.add(row.origin);
      }
      if (generation === this.generation) this.origins = origins;
    }
    return origins.get(projectId ?? '*') ?? new Set();
  }

  /**
   * Whether a callback from a web page is to be written down for the project now: at most once `everyMs`
   * under one key, and at once after the key is replaced (its forget reaches every process).
   */
  takePageNote(projectId: string, now: number, everyMs: number): boolean {
    const last = this.pageNotes.get(projectId);
    if (last !== undefined && now - last < everyMs) return false;
    this.pageNotes.set(projectId, now);
    return true;
  }

  forgetProjectKeys(projectId: string): Promise<void> {
    return this.forget({ kind: 'forget', what: 'keys', id: projectId });
  }

  forgetSchedule(giveawayId: string): Promise<void> {
    return this.forget({ kind: 'forget', what: 'schedule', id: giveawayId });
  }

  /** After a website is added, edited or removed: its origin and the link its tasks open change. */
  forgetWebsites(): Promise<void> {
    return this.forget({ kind: 'forget', what: 'websites' });
  }

  /**
   * After a draft's tasks are replaced or the draft deleted: a click on its link may have read a task whose
   * id now names nothing. Drafts change rarely, so every task is read again.
   */
  forgetTasks(): Promise<void> {
    return this.forget({ kind: 'forget', what: 'tasks' });
  }

  private expireMutable(): void {
    const now = this.clock();
    if (now < this.mutableUntil) return;
    this.mutableUntil = now + MUTABLE_TTL_MS;
    this.hear({ kind: 'reset' });
  }

  private forget(message: ClusterMessage): Promise<void> {
    this.hear(message);
    return this.bus.publish(message);
  }

  private hear(message: ClusterMessage): void {
    if (message.kind !== 'forget' && message.kind !== 'reset') return;
    this.generation++;
    if (message.kind === 'reset') {
      this.keys.clear();
      this.schedules.clear();
      this.origins = undefined;
      this.websiteNames.clear();
      this.tasks.clear();
    } else if (message.what === 'keys') {
      this.keys.delete(message.id);
      this.pageNotes.delete(message.id);
    } else if (message.what === 'schedule') this.schedules.delete(message.id);
    else if (message.what === 'tasks') this.tasks.clear();
    else {
      this.origins = undefined;
      this.websiteNames.clear();
      // A task's facts carry its website's link; website edits are rare, so all of them are read again.
      this.tasks.clear();
    }
  }
}
