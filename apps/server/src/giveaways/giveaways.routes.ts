import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import { requireHost } from '../http/auth.js';
import { fromContract } from '../http/route.js';
import type { Services } from '../services.js';

export const giveawaysRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'giveaways'>;
}> = async (app, { services }) => {
  const { hosts, giveaways } = services;

  app.route({
    ...fromContract(routes.createGiveaway, {
      tags: ['giveaways'],
      summary: 'Create a giveaway (a draft) with its website tasks',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply.status(201).send(await giveaways.create(host.id, request.params.projectId, request.body));
    },
  });

  app.route({
    ...fromContract(routes.listGiveaways, {
      tags: ['giveaways'],
      summary: "A project's giveaways, newest first",
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return { giveaways: await giveaways.list(host.id, request.params.projectId) };
    },
  });

  app.route({
    ...fromContract(routes.getGiveaway, {
      tags: ['giveaways'],
      summary: 'A giveaway: by id (gw_…) for its host, with stats; by slug for anyone, once published',
    }),
    handler: async (request) => {
      const { giveaway } = request.params;
      // Slugs are [a-z0-9-] only, so an id's `gw_` prefix cannot be mistaken for one.
      if (giveaway.startsWith('gw_')) {
        const host = await requireHost(request, hosts);
        return giveaways.get(host.id, giveaway);
      }
      return giveaways.getPublic(giveaway);
    },
  });

  app.route({
    ...fromContract(routes.publishGiveaway, {
      tags: ['giveaways'],
      summary: 'Publish a draft: it goes live (or waits for startsAt), and the draw seed is committed',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return giveaways.publish(host.id, request.params.giveawayId, request.body?.beacon ?? false);
    },
  });

  app.route({
    ...fromContract(routes.endGiveaway, {
      tags: ['giveaways'],
      summary: 'End a live giveaway now; its eligible entries are frozen for the draw',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return giveaways.end(host.id, request.params.giveawayId);
    },
  });

  app.route({
    ...fromContract(routes.editGiveaway, {
      tags: ['giveaways'],
      summary:
        'Change a giveaway: a draft entirely (tasks replaced when given); a published one as `editable` says',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return giveaways.edit(host.id, request.params.giveawayId, request.body);
    },
  });

  app.route({
    ...fromContract(routes.deleteGiveaway, { tags: ['giveaways'], summary: 'Delete a draft' }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      await giveaways.deleteDraft(host.id, request.params.giveawayId);
      return reply.status(204).send(null);
    },
  });
};
