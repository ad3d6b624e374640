import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireHost } from '../http/auth.js';
import { errorResponses, IdParam, textSchema } from '../schemas.js';
import type { Services } from '../services.js';

const WebsiteSchema = Type.Object({
  id: Type.String({ examples: ['web_3KfT0aZ1bQ9xYp2L'] }),
  name: Type.String(),
  url: Type.String({ description: 'the link participants are sent to (normalised; query and #hash kept)' }),
  createdAt: Type.String(),
});

const ProjectSchema = Type.Object({
  id: Type.String({ examples: ['prj_8Hq2mVn4Zr7TcLw1'] }),
  name: Type.String(),
  apiKey: Type.String({
    description: 'signs callbacks; shown only to the project owner',
    minLength: 64,
    maxLength: 64,
  }),
  previousKeyExpiresAt: Type.Union([Type.String(), Type.Null()], {
    description: 'after a rotation, until when the previous key still verifies',
  }),
  createdAt: Type.String(),
});

const ProjectParams = IdParam('projectId', 'prj');
const WebsiteParams = Type.Object({
  ...ProjectParams.properties,
  ...IdParam('websiteId', 'web').properties,
});

const ProjectNameSchema = textSchema(100);
const WebsiteUrlSchema = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'an absolute http(s) link, stored normalised',
  examples: ['https://shop.example/signup?ref=giveaway'],
});
const NoContent = Type.Null({ description: 'done' });

export const projectsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { hosts, projects } = services;

  app.post(
    '/api/v1/projects',
    {
      schema: {
        tags: ['projects'],
        summary: 'Create a project and its API key',
        body: Type.Object({ name: ProjectNameSchema }, { additionalProperties: false }),
        response: { 201: ProjectSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply.status(201).send(await projects.create(host.id, request.body.name));
    },
  );

  app.get(
    '/api/v1/projects',
    {
      schema: {
        tags: ['projects'],
        summary: "The host's projects",
        response: { 200: Type.Object({ projects: Type.Array(ProjectSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return { projects: await projects.list(host.id) };
    },
  );

  app.get(
    '/api/v1/projects/:projectId',
    {
      schema: {
        tags: ['projects'],
        summary: 'One project with its websites',
        params: ProjectParams,
        response: {
          200: Type.Intersect([ProjectSchema, Type.Object({ websites: Type.Array(WebsiteSchema) })]),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return projects.get(host.id, request.params.projectId);
    },
  );

  app.patch(
    '/api/v1/projects/:projectId',
    {
      schema: {
        tags: ['projects'],
        summary: 'Rename a project',
        params: ProjectParams,
        body: Type.Object({ name: ProjectNameSchema }, { additionalProperties: false }),
        response: { 200: ProjectSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return projects.rename(host.id, request.params.projectId, request.body.name);
    },
  );

  app.delete(
    '/api/v1/projects/:projectId',
    {
      schema: {
        tags: ['projects'],
        summary:
          'Delete a project with its websites, giveaways and logs; refused while one of its giveaways is running',
        params: ProjectParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      await projects.delete(host.id, request.params.projectId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/projects/:projectId/api-key/rotate',
    {
      schema: {
        tags: ['projects'],
        summary: 'Replace the API key; the old one keeps verifying for a grace period',
        params: ProjectParams,
        body: Type.Optional(
          Type.Object(
            {
              graceHours: Type.Optional(
                Type.Number({
                  minimum: 0,
                  maximum: 720,
                  description: 'how long the old key still verifies (default 24)',
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: ProjectSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return projects.rotateKey(host.id, request.params.projectId, request.body?.graceHours);
    },
  );

  app.post(
    '/api/v1/projects/:projectId/websites',
    {
      schema: {
        tags: ['projects'],
        summary: 'Add a website to a project',
        params: ProjectParams,
        body: Type.Object(
          {
            name: textSchema(100),
            url: WebsiteUrlSchema,
          },
          { additionalProperties: false },
        ),
        response: { 201: WebsiteSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      const { name, url } = request.body;
      return reply.status(201).send(await projects.addWebsite(host.id, request.params.projectId, name, url));
    },
  );

  app.patch(
    '/api/v1/projects/:projectId/websites/:websiteId',
    {
      schema: {
        tags: ['projects'],
        summary: "Rename a website or change its link (running giveaways' Go buttons follow at once)",
        params: WebsiteParams,
        body: Type.Object(
          { name: Type.Optional(textSchema(100)), url: Type.Optional(WebsiteUrlSchema) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: WebsiteSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      const { projectId, websiteId } = request.params;
      return projects.editWebsite(host.id, projectId, websiteId, request.body);
    },
  );

  app.delete(
    '/api/v1/projects/:projectId/websites/:websiteId',
    {
      schema: {
        tags: ['projects'],
        summary: 'Remove a website; refused while a draft or a running giveaway has tasks on it',
        params: WebsiteParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      await projects.removeWebsite(host.id, request.params.projectId, request.params.websiteId);
      return reply.status(204).send(null);
    },
  );
};
