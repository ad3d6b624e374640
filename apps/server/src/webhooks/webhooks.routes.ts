import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireHost } from '../http/auth.js';
import { errorResponses, IdParam } from '../schemas.js';
import type { Services } from '../services.js';
import { WEBHOOK_EVENTS } from './standard-webhooks.js';

const EventSchema = Type.Union(WEBHOOK_EVENTS.map((e) => Type.Literal(e)));

const EndpointSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  secret: Type.String({ description: 'whsec_…: verify deliveries with any Standard Webhooks library' }),
  enabled: Type.Boolean(),
  disabledReason: Type.Union([Type.String(), Type.Null()], {
    description: 'why deliveries stopped, when they did',
  }),
  createdAt: Type.String(),
});

const EndpointParams = Type.Object({
  projectId: Type.String({ maxLength: 64 }),
  endpointId: Type.String({ maxLength: 64 }),
});

export const webhooksRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'webhooks'>;
}> = async (app, { services }) => {
  const { hosts, webhooks } = services;

  app.post(
    '/api/v1/projects/:projectId/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe an endpoint to events (all of them by default)',
        params: IdParam('projectId', 'prj'),
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2048 }),
            events: Type.Optional(Type.Array(EventSchema, { maxItems: WEBHOOK_EVENTS.length })),
          },
          { additionalProperties: false },
        ),
        response: { 201: EndpointSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      const { url, events } = request.body;
      return reply.status(201).send(await webhooks.create(host.id, request.params.projectId, url, events));
    },
  );

  app.get(
    '/api/v1/projects/:projectId/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: "The project's webhook endpoints",
        params: IdParam('projectId', 'prj'),
        response: {
          200: Type.Object({ endpoints: Type.Array(EndpointSchema) }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return { endpoints: await webhooks.list(host.id, request.params.projectId) };
    },
  );

  app.post(
    '/api/v1/projects/:projectId/webhooks/:endpointId/enable',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Turn an endpoint back on after it was disabled',
        params: EndpointParams,
        response: { 200: EndpointSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return webhooks.enable(host.id, request.params.projectId, request.params.endpointId);
    },
  );

  app.get(
    '/api/v1/projects/:projectId/webhooks/:endpointId/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "The endpoint's delivery log, newest first, with every attempt",
        params: EndpointParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: {
          200: Type.Object({
            deliveries: Type.Array(
              Type.Object({
                messageId: Type.String(),
                eventType: Type.String(),
                state: Type.String(),
                attempts: Type.Array(
                  Type.Object({
                    at: Type.String(),
                    status: Type.Union([Type.Integer(), Type.Null()]),
                    error: Type.Union([Type.String(), Type.Null()]),
                    durationMs: Type.Integer(),
                  }),
                ),
                nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
                createdAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      const { projectId, endpointId } = request.params;
      return {
        deliveries: await webhooks.deliveries(host.id, projectId, endpointId, request.query.limit ?? 50),
      };
    },
  );

  app.post(
    '/api/v1/projects/:projectId/webhooks/:endpointId/messages/:messageId/redeliver',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send a message again now',
        params: Type.Object({ ...EndpointParams.properties, messageId: Type.String({ maxLength: 64 }) }),
        response: { 202: Type.Object({ ok: Type.Literal(true) }), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      const { projectId, endpointId, messageId } = request.params;
      await webhooks.redeliver(host.id, projectId, endpointId, messageId);
      return reply.status(202).send({ ok: true as const });
    },
  );
};
