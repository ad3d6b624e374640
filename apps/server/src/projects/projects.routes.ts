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
};
