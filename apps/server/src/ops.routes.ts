import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import { sql } from 'kysely';
import type { Db } from './db/database.js';
import { pendingMigrations } from './db/database.js';
import { fromContract } from './http/route.js';
import type { Services } from './services.js';

/** Health for process managers and load balancers, and metrics for Prometheus. */
export const opsRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'bus' | 'metrics' | 'writer' | 'live'>;
  db: Db;
}> = async (app, { services, db }) => {
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
      try {
        await sql`select 1`.execute(db);
        if (!services.bus.listening) {
          return reply.status(503).send({
            ok: false,
            code: 'unavailable',
            message: 'not listening for the changes of other processes; reconnecting',
          });
        }
        const pending = await pendingMigrations(db);
        if (pending.length > 0) {
          return reply
            .status(503)
            .send({ ok: false, code: 'unavailable', message: `migrations pending: ${pending.join(', ')}` });
        }
        return { ok: true };
      } catch {
        return reply
          .status(503)
          .send({ ok: false, code: 'unavailable', message: 'the database does not answer' });
      }
    },
  });

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: true } },
    async (_request, reply) => {
      const { metrics, writer, live } = services;
      metrics.queueDepth.set(writer.stats.queued);
      metrics.sseClients.set(live.connectedClients);
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};
