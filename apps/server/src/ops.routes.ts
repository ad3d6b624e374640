import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from './db/database.js';
import { pendingMigrations } from './db/database.js';
import { AppError } from './errors.js';
import { bearerToken } from './http/auth.js';
import { fromContract } from './http/route.js';
import type { Services } from './services.js';

type Readiness = { ok: true } | { ok: false; message: string };

/** How long one readiness answer serves every probe: a flood of probes costs one query a second. */
const READINESS_TTL_MS = 1000;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Compared as hashes, so neither the time taken nor a length difference tells anything about the token. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function mayReadMetrics(request: FastifyRequest, token: string | undefined): boolean {
  if (LOOPBACK.test(request.ip)) return true;
  const given = bearerToken(request);
  return token !== undefined && given !== undefined && sameToken(given, token);
}

/** Health for process managers and load balancers, and metrics for Prometheus. */
export const opsRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'bus' | 'metrics' | 'writer' | 'live' | 'config'>;
  db: Db;
}> = async (app, { services, db }) => {
  let migrationsCurrent = false;
  let latest: { at: number; readiness: Promise<Readiness> } | undefined;

  async function check(): Promise<Readiness> {
    try {
      await sql`select 1`.execute(db);
      // Once current, they stay so: this process ran them at start, and nothing undoes them.
      if (!migrationsCurrent) {
        const pending = await pendingMigrations(db);
        if (pending.length > 0) return { ok: false, message: `migrations pending: ${pending.join(', ')}` };
        migrationsCurrent = true;
      }
      return { ok: true };
    } catch {
      return { ok: false, message: 'the database does not answer' };
    }
  }

  /**
   * One check serves every probe that comes within a second of it, however many at once; what the process
   * knows without I/O (a stopped writer, a listener reconnecting) is told at once, not a second late.
   */
  function ready(): Promise<Readiness> {
    const stopped = services.writer.stoppedBy;
    if (stopped) {
      return Promise.resolve({
        ok: false,
        message: `the writer has stopped (${stopped.message}); this process is exiting so that its supervisor restarts it`,
      });
    }
    if (!services.bus.listening) {
      return Promise.resolve({
        ok: false,
        message: 'not listening for the changes of other processes; reconnecting',
      });
    }
    const now = Date.now();
    if (!latest || now - latest.at >= READINESS_TTL_MS) latest = { at: now, readiness: check() };
    return latest.readiness;
  }

  app.route({
    ...fromContract(routes.features, {
      tags: ['ops'],
      summary: 'What this server can do beyond the core, as its settings decide',
      description: 'For clients that offer a choice only where it works: verified emails need mail, say.',
    }),
    handler: async () => ({
      sendsMail: services.config.mail !== undefined,
      fetchesBeacons: services.config.drandRelayUrl !== undefined,
    }),
  });

  app.route({
    ...fromContract(routes.healthz, { tags: ['ops'], summary: 'The process is up' }),
    handler: async () => ({ ok: true }),
  });

  app.route({
    ...fromContract(routes.readyz, {
      tags: ['ops'],
      summary: 'The database answers, its migrations are current, and other processes can reach this one',
    }),
    handler: async (_request, reply) => {
      const readiness = await ready();
      if (readiness.ok) return readiness;
      return reply.status(503).send({ ok: false, code: 'unavailable', message: readiness.message });
    },
  });

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: true } },
    async (request, reply) => {
      if (!mayReadMetrics(request, services.config.metricsToken)) {
        throw new AppError(
          'forbidden',
          'metrics answer only from loopback, or with METRICS_TOKEN as Authorization: Bearer <token>',
        );
      }
      const { metrics, writer, live } = services;
      metrics.queueDepth.set(writer.stats.queued);
      metrics.sseClients.set(live.connectedClients);
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};
