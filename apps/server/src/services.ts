import type { CallbackLogEntry } from '@proofdrop/contract';
import type { FastifyBaseLogger } from 'fastify';
import { CallbacksService } from './callbacks/callbacks.service.js';
import type { ClusterBus } from './cluster/cluster-bus.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { relayBeaconSource } from './draws/beacon-relay.js';
import { DrawsService } from './draws/draws.service.js';
import { GiveawaysService } from './giveaways/giveaways.service.js';
import { HostsService } from './hosts/hosts.service.js';
import type { Clock } from './lib/clock.js';
import { LiveEvents } from './live/live-events.js';
import { Lookups } from './lookups/lookups.js';
import { createMetrics, type Metrics } from './metrics.js';
import { ParticipantsService } from './participants/participants.service.js';
import { ProjectsService } from './projects/projects.service.js';
import { startStorage } from './storage.js';
import { WebhooksService } from './webhooks/webhooks.service.js';
import type { Writer } from './writer/writer.js';

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
): Promise<Services> {
  const metrics = createMetrics();
  const { bus, writer } = await startStorage(
    db,
    config.database,
    {
      maxQueue: config.limits.writerMaxQueue,
      observe: (size, seconds) => {
        metrics.batchSize.observe(size);
        metrics.commitSeconds.observe(seconds);
      },
    },
    log,
  );
  const lookups = new Lookups(db, clock, LOOKUP_CACHE_ENTRIES, bus);
  const hosts = new HostsService(db, clock);
  const projects = new ProjectsService(db, clock, lookups);
  const draws = new DrawsService(db, clock, lookups, relayBeaconSource(config.drandRelayUrl));
  const giveaways = new GiveawaysService(db, clock, lookups, draws);
  const participants = new ParticipantsService(db, clock, lookups, writer);
  const webhooks = new WebhooksService(db, clock, log, config.webhookAllowPrivateUrls);
  const live = new LiveEvents<CallbackLogEntry>(bus, config.database.engine === 'postgres');
  const callbacks = new CallbacksService(db, clock, lookups, writer, config.limits, live);
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
