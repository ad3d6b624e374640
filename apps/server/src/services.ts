import type { CallbackLogEntry } from '@proofdrop/contract';
import type { FastifyBaseLogger } from 'fastify';
import { CallbacksService } from './callbacks/callbacks.service.js';
import { type ClusterBus, PostgresBus, SingleProcessBus } from './cluster/cluster-bus.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { DrawsService, relayBeaconSource } from './draws/draws.service.js';
import { GiveawaysService } from './giveaways/giveaways.service.js';
import { HostsService } from './hosts/hosts.service.js';
import type { Clock } from './lib/clock.js';
import { LiveEvents } from './live/live-events.js';
import { Lookups } from './lookups/lookups.js';
import { createMetrics, type Metrics } from './metrics.js';
import { ParticipantsService } from './participants/participants.service.js';
import { ProjectsService } from './projects/projects.service.js';
import type { SecretBox } from './secrets/secret-box.js';
import { WebhooksService } from './webhooks/webhooks.service.js';
import { PostgresCommitter } from './writer/postgres-committer.js';
import { SqliteThreadCommitter } from './writer/sqlite-committer.js';
import { type Committer, Writer } from './writer/writer.js';

/** Bound on each cache of the hot path's lookups; a few hundred bytes an entry. */
const LOOKUP_CACHE_ENTRIES = 200_000;

export type Services = {
  config: Config;
  /** Cookies are marked Secure when the public URL is https. */
  secureCookies: boolean;
  writer: Writer;
  bus: ClusterBus;
  hosts: HostsService;
  projects: ProjectsService;
  giveaways: GiveawaysService;
  draws: DrawsService;
  participants: ParticipantsService;
  callbacks: CallbacksService;
  webhooks: WebhooksService;
  live: LiveEvents<CallbackLogEntry>;
  metrics: Metrics;
};

export async function createServices(
  db: Db,
  config: Config,
  clock: Clock,
  log: FastifyBaseLogger,
  box: SecretBox,
): Promise<Services> {
  const metrics = createMetrics();
  let bus: ClusterBus;
  let committer: Committer;
  if (config.database.engine === 'sqlite') {
    bus = new SingleProcessBus();
    committer = await SqliteThreadCommitter.start(config.database.file);
  } else {
    const postgres = await PostgresBus.start(config.database.url, db, (error) =>
      log.warn({ err: error.message }, 'the cluster listener lost its connection; reconnecting'),
    );
    bus = postgres;
    committer = new PostgresCommitter(config.database.url, postgres.processId);
  }
  const writer = new Writer(committer, {
    maxQueue: config.limits.writerMaxQueue,
    observe: (size, seconds) => {
      metrics.batchSize.observe(size);
      metrics.commitSeconds.observe(seconds);
    },
  });
  const lookups = new Lookups(db, clock, LOOKUP_CACHE_ENTRIES, bus, box);
  const hosts = new HostsService(db, clock, { open: config.signup === 'open', publicUrl: config.publicUrl });
  const projects = new ProjectsService(db, clock, lookups, box);
  const draws = new DrawsService(db, clock, lookups, relayBeaconSource(config.drandRelayUrl), box);
  const giveaways = new GiveawaysService(db, clock, projects, lookups, draws);
  const participants = new ParticipantsService(db, clock, giveaways, lookups, writer);
  const webhooks = new WebhooksService(db, clock, projects, log, config.webhookAllowPrivateUrls, box);
  const live = new LiveEvents<CallbackLogEntry>(bus, config.database.engine === 'postgres');
  const callbacks = new CallbacksService(db, clock, projects, lookups, writer, config.limits, live);
  return {
    config,
    secureCookies: config.publicUrl.startsWith('https:'),
    writer,
    bus,
    hosts,
    projects,
    giveaways,
    draws,
    participants,
    callbacks,
    webhooks,
    live,
    metrics,
  };
}
