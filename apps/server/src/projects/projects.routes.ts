import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import { requireHost } from '../http/auth.js';
import { fromContract } from '../http/route.js';
import type { Services } from '../services.js';

export const projectsRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'projects'>;
}> = async (app, { services }) => {
  const { hosts, projects } = services;

  app.route({
    ...fromContract(routes.createProject, {
      tags: ['projects'],
      summary: 'Create a project and its API key',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply.status(201).send(await projects.create(host.id, request.body.name));
    },
  });

  app.route({
    ...fromContract(routes.listProjects, { tags: ['projects'], summary: "The host's projects" }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return { projects: await projects.list(host.id) };
    },
  });

  app.route({
    ...fromContract(routes.getProject, { tags: ['projects'], summary: 'One project with its websites' }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return projects.get(host.id, request.params.projectId);
    },
  });

  app.route({
    ...fromContract(routes.rotateApiKey, {
      tags: ['projects'],
      summary: 'Replace the API key; the old one keeps verifying for a grace period',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return projects.rotateKey(host.id, request.params.projectId, request.body?.graceHours);
    },
  });

  app.route({
    ...fromContract(routes.addWebsite, { tags: ['projects'], summary: 'Add a website to a project' }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      const { name, url } = request.body;
      return reply.status(201).send(await projects.addWebsite(host.id, request.params.projectId, name, url));
    },
  });

  app.route({
    ...fromContract(routes.updateProject, {
      tags: ['projects'],
      summary: 'Rename a project, or choose the signature version its callbacks must use',
      description:
        'signatureVersion "v2" requires every callback to carry a signed, fresh ts: switch once all of the project\'s websites send it; "v1" accepts both again.',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return projects.update(host.id, request.params.projectId, request.body);
    },
  });

  app.route({
    ...fromContract(routes.deleteProject, {
      tags: ['projects'],
      summary:
        'Delete a project with its websites, giveaways and logs; refused while one of its giveaways is running',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      await projects.delete(host.id, request.params.projectId);
      return reply.status(204).send(null);
    },
  });

  app.route({
    ...fromContract(routes.editWebsite, {
      tags: ['projects'],
      summary: "Rename a website or change its link (running giveaways' Go buttons follow at once)",
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      const { projectId, websiteId } = request.params;
      return projects.editWebsite(host.id, projectId, websiteId, request.body);
    },
  });

  app.route({
    ...fromContract(routes.removeWebsite, {
      tags: ['projects'],
      summary: 'Remove a website; refused while a draft or a running giveaway has tasks on it',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      await projects.removeWebsite(host.id, request.params.projectId, request.params.websiteId);
      return reply.status(204).send(null);
    },
  });
};
