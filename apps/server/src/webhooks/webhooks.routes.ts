import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import { requireHost } from '../http/auth.js';
import { fromContract } from '../http/route.js';
import type { Services } from '../services.js';

export const webhooksRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'webhooks'>;
}> = async (app, { services }) => {
  const { hosts, webhooks } = services;

  app.route({
    ...fromContract(routes.createWebhook, {
      tags: ['webhooks'],
      summary: 'Subscribe an endpoint to events (all of them by default)',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      const { url, events } = request.body;
      return reply.status(201).send(await webhooks.create(host.id, request.params.projectId, url, events));
    },
  });

  app.route({
    ...fromContract(routes.listWebhooks, { tags: ['webhooks'], summary: "The project's webhook endpoints" }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return { endpoints: await webhooks.list(host.id, request.params.projectId) };
    },
  });

  app.route({
    ...fromContract(routes.updateWebhook, {
      tags: ['webhooks'],
      summary: "Change an endpoint's events, or turn it off and on",
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return webhooks.update(host.id, request.params.projectId, request.params.endpointId, request.body);
    },
  });

  app.route({
    ...fromContract(routes.enableWebhook, {
      tags: ['webhooks'],
      summary: 'Turn an endpoint back on after it was disabled',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return webhooks.enable(host.id, request.params.projectId, request.params.endpointId);
    },
  });

  app.route({
    ...fromContract(routes.webhookDeliveries, {
      tags: ['webhooks'],
      summary: "The endpoint's delivery log, newest first, with every attempt",
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      const { projectId, endpointId } = request.params;
      return webhooks.deliveries(host.id, projectId, endpointId, request.query);
    },
  });

  app.route({
    ...fromContract(routes.testWebhook, {
      tags: ['webhooks'],
      summary:
        'Send a test event (type webhook.test) to this endpoint now, whatever it subscribes to; tried once, it shows in its deliveries',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      const { projectId, endpointId } = request.params;
      const { messageId } = await webhooks.sendTest(host.id, projectId, endpointId);
      return reply.status(202).send({ ok: true as const, messageId });
    },
  });

  app.route({
    ...fromContract(routes.redeliver, { tags: ['webhooks'], summary: 'Send a message again now' }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      const { projectId, endpointId, messageId } = request.params;
      await webhooks.redeliver(host.id, projectId, endpointId, messageId);
      return reply.status(202).send({ ok: true as const });
    },
  });

  app.route({
    ...fromContract(routes.rotateWebhookSecret, {
      tags: ['webhooks'],
      summary:
        'Replace the signing secret; deliveries carry a signature with the old one too for a grace period',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      const { projectId, endpointId } = request.params;
      return webhooks.rotateSecret(host.id, projectId, endpointId, request.body?.graceHours);
    },
  });

  app.route({
    ...fromContract(routes.deleteWebhook, {
      tags: ['webhooks'],
      summary: 'Delete an endpoint with its delivery log',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      await webhooks.delete(host.id, request.params.projectId, request.params.endpointId);
      return reply.status(204).send(null);
    },
  });
};
