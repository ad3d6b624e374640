import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireHost } from '../http/auth.js';
import { errorResponses, IdParam } from '../schemas.js';
import type { Services } from '../services.js';
import {
  GiveawayInputSchema,
  GiveawayLookupSchema,
  GiveawaySchema,
  GiveawayWithStatsSchema,
} from './giveaways.schemas.js';

const GiveawayParams = IdParam('giveawayId', 'gw');

export const giveawaysRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'giveaways'>;
}> = async (app, { services }) => {
  const { hosts, giveaways } = services;

  app.post(
    '/api/v1/projects/:projectId/giveaways',
    {
      schema: {
        tags: ['giveaways'],
        summary: 'Create a giveaway (a draft) with its website tasks',
        params: IdParam('projectId', 'prj'),
        body: GiveawayInputSchema,
        response: { 201: GiveawaySchema, ...errorResponses(400, 401, 404, 422) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply.status(201).send(await giveaways.create(host.id, request.params.projectId, request.body));
    },
  );

  app.get(
    '/api/v1/projects/:projectId/giveaways',
    {
      schema: {
        tags: ['giveaways'],
        summary: "A project's giveaways, newest first",
        params: IdParam('projectId', 'prj'),
        response: {
          200: Type.Object({ giveaways: Type.Array(GiveawaySchema) }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return { giveaways: await giveaways.list(host.id, request.params.projectId) };
    },
  );

  app.get(
    '/api/v1/giveaways/:giveaway',
    {
      schema: {
        tags: ['giveaways'],
        summary: 'A giveaway: by id (gw_…) for its host, with stats; by slug for anyone, once published',
        params: Type.Object({ giveaway: Type.String({ maxLength: 100 }) }),
        response: {
          200: GiveawayLookupSchema,
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const { giveaway } = request.params;
      // Slugs are [a-z0-9-] only, so an id's `gw_` prefix cannot be mistaken for one.
      if (giveaway.startsWith('gw_')) {
        const host = await requireHost(request, hosts);
        return giveaways.get(host.id, giveaway);
      }
      return giveaways.getPublic(giveaway);
    },
  );

  app.post(
    '/api/v1/giveaways/:giveawayId/publish',
    {
      schema: {
        tags: ['giveaways'],
        summary: 'Publish a draft: it goes live (or waits for startsAt), and the draw seed is committed',
        params: GiveawayParams,
        body: Type.Optional(
          Type.Object(
            {
              beacon: Type.Optional(
                Type.Boolean({
                  description: 'also mix a drand quicknet round, fixed at the end, into the draw',
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: GiveawayWithStatsSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return giveaways.publish(host.id, request.params.giveawayId, request.body?.beacon ?? false);
    },
  );

  app.post(
    '/api/v1/giveaways/:giveawayId/end',
    {
      schema: {
        tags: ['giveaways'],
        summary: 'End a live giveaway now; its eligible entries are frozen for the draw',
        params: GiveawayParams,
        response: { 200: GiveawayWithStatsSchema, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return giveaways.end(host.id, request.params.giveawayId);
    },
  );
};
