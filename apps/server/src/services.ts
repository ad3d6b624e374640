import type { CallbackLogEntry } from '@proofdrop/contract';
import type { FastifyBaseLogger } from 'fastify';
import { CallbacksService } from './callbacks/callbacks.service.js';
import type { ClusterBus } from './cluster/cluster-bus.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { deleteExpiredRows } from './db/expired-rows.js';
import { serverSecret } from './db/server-secrets.js';
import { relayBeaconSource } from './draws/beacon-relay.js';
import { DrawsService } from './draws/draws.service.js';
import { GiveawayFeed } from './giveaways/giveaway-feed.js';
import { GiveawaysService } from './giveaways/giveaways.service.js';
import { HostsService } from './hosts/hosts.service.js';
import type { Alarm, Clock } from './lib/clock.js';
import { LiveEvents } from './live/live-events.js';
import { StreamLimits } from './live/stream-limits.js';
import { Lookups } from './lookups/lookups.js';
import { MailService } from './mail/mail.service.js';
import { createMetrics, type Metrics } from './metrics.js';
import { EntryChallenges } from './participants/entry-challenge.js';
import { EntryLinksService } from './participants/entry-links.service.js';
import { ParticipantsService } from './participants/participants.service.js';
import { ProjectsService } from './projects/projects.service.js';
import { RetentionService } from './retention/retention.service.js';
import type { SecretBox } from './secrets/secret-box.js';
import { startStorage } from './storage.js';
import { DNS_TIMEOUT_MS, type Resolve, systemResolve } from './webhooks/destination.js';
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
  giveawayFeed: GiveawayFeed;
  draws: DrawsService;
  participants: ParticipantsService;
  entryLinks: EntryLinksService;
  /** Undefined without SMTP_URL: nothing is mailed. */
  mail: MailService | undefined;
  callbacks: CallbacksService;
  webhooks: WebhooksService;
  retention: RetentionService;
  streams: StreamLimits;
  live: LiveEvents<CallbackLogEntry>;
  metrics: Metrics;
  deleteExpiredRows: () => Promise<void>;
};

/** How webhook deliveries resolve host names; tests bring their own DNS. */
export type WebhookDns = { resolve: Resolve; timeoutMs: number };

export async function createServices(
  db: Db,
  config: Config,
  clock: Clock,
  alarm: Alarm,
  log: FastifyBaseLogger,
  box: SecretBox,
  dns: WebhookDns = { resolve: systemResolve, timeoutMs: DNS_TIMEOUT_MS },
): Promise<Services> {
  const metrics = createMetrics();
  const { bus, writer } = await startStorage(
    db,
    config.database,
    {
      maxQueue: config.limits.writerMaxQueue,
      observeCommit: (operations) => metrics.batchSize.observe(operations),
      observeWait: (seconds) => metrics.commitSeconds.observe(seconds),
    },
    log,
  );
  const mail = config.mail && new MailService(db, clock, config.mail, config.publicUrl, log);
  const lookups = new Lookups(db, clock, LOOKUP_CACHE_ENTRIES, bus, box, (what) =>
    metrics.lookupReads.inc({ what }),
  );
  const live = new LiveEvents<CallbackLogEntry>(bus, config.database.engine === 'postgres');
  const hosts = new HostsService(
    db,
    clock,
    { open: config.signup === 'open', publicUrl: config.publicUrl },
    config.signIn,
    live,
  );
  const projects = new ProjectsService(db, clock, lookups, box, live);
  const draws = new DrawsService(
    db,
    clock,
    lookups,
    live,
    relayBeaconSource(config.drandRelayUrl),
    box,
    mail,
  );
  const giveaways = new GiveawaysService(db, clock, lookups, draws, live, config.mail !== undefined);
  const giveawayFeed = new GiveawayFeed(giveaways, live, clock, alarm, (error) =>
    log.error({ err: error }, 'giveaway feed'),
  );
  const challenges = new EntryChallenges(await serverSecret(db, box, 'altcha_secret'));
  const participants = new ParticipantsService(
    db,
    clock,
    lookups,
    writer,
    challenges,
    config.limits.joinRatePerIp,
    mail,
  );
  const entryLinks = new EntryLinksService(db, clock, mail, config.limits.joinRatePerIp, live);
  const webhooks = new WebhooksService(
    db,
    clock,
    log,
    {
      allowPrivate: config.webhookAllowPrivateUrls,
      resolve: dns.resolve,
      dnsTimeoutMs: dns.timeoutMs,
    },
    box,
  );
  const retention = new RetentionService(db, clock, config.logRetentionDays);
  const callbacks = new CallbacksService(db, clock, lookups, writer, config.limits, live, log);
  return {
    config,
    secureCookies: config.publicUrl.startsWith('https:'),
    writer,
    bus,
    hosts,
    projects,
    giveaways,
    giveawayFeed,
    draws,
    participants,
    entryLinks,
    mail,
    callbacks,
    webhooks,
    retention,
    streams: new StreamLimits(config.streams),
    live,
    metrics,
    deleteExpiredRows: () => deleteExpiredRows(db, clock()),
  };
}
