import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireHost } from '../http/auth.js';
import { errorResponses, IdParam, textSchema } from '../schemas.js';
import type { Services } from '../services.js';

const WebsiteSchema = Type.Object({
  id: Type.String({ examples: ['web_3KfT0aZ1bQ9xYp2L'] }),
  name: Type.String(),
  url: Type.String({ description: 'the link participants are sent to, kept exactly as given' }),
  createdAt: Type.String(),
});

const SignatureVersionSchema = Type.Union([Type.Literal('v1'), Type.Literal('v2')], {
  description:
    'v1: callbacks verify with or without ts; v2: every callback must carry ts (unix seconds), signed as "&ts=" + ts and within ±5 minutes, so an old callback cannot be replayed',
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
  signatureVersion: SignatureVersionSchema,
  createdAt: Type.String(),
});

const ProjectParams = IdParam('projectId', 'prj');

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
        body: Type.Object({ name: textSchema(100) }, { additionalProperties: false }),
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
        summary: "Change a project's settings",
        description:
          'signatureVersion "v2" requires every callback to carry a signed, fresh ts: switch once all of the project\'s websites send it; "v1" accepts both again.',
        params: ProjectParams,
        body: Type.Object({ signatureVersion: SignatureVersionSchema }, { additionalProperties: false }),
        response: { 200: ProjectSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return projects.setSignatureVersion(host.id, request.params.projectId, request.body.signatureVersion);
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
            url: Type.String({
              minLength: 1,
              maxLength: 2048,
              examples: ['https://shop.example/signup?ref=giveaway'],
            }),
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
};
