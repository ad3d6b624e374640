import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import { requireHost } from '../http/auth.js';
import { fromContract } from '../http/route.js';
import type { Services } from '../services.js';

export const drawsRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'hosts' | 'draws'> }> = async (
  app,
  { services },
) => {
  const { hosts, draws } = services;

  app.route({
    ...fromContract(routes.draw, {
      tags: ['draw'],
      summary: 'Draw the winners of an ended giveaway and reveal the seed',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return draws.draw(host.id, request.params.giveawayId, request.body?.beacon);
    },
  });

  app.route({
    ...fromContract(routes.drawProof, {
      tags: ['draw'],
      summary: 'The public proof of the draw: check it with `npm run verify-draw -- <this url>` in a clone',
    }),
    handler: async (request) => draws.publicProof(request.params.slug),
  });

  app.route({
    ...fromContract(routes.inclusion, {
      tags: ['draw'],
      summary: 'Merkle proof that an entry is in the frozen list',
    }),
    handler: async (request) => draws.inclusion(request.params.slug, request.params.participantId),
  });
};
