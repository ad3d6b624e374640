import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireHost } from '../http/auth.js';
import { registerFormParser } from '../http/body-parsers.js';
import { toErrorBody } from '../http/error-handler.js';
import { type EventStream, openEventStream } from '../http/event-stream.js';
import { EventSchema, errorResponses, IdParam } from '../schemas.js';
import type { Services } from '../services.js';
import { CallbackAnswerSchema, CallbackBodySchema, CallbackLogEntrySchema } from './callbacks.schemas.js';
import type { CallbackLogEntry } from './callbacks.service.js';

/** Callbacks are a few hundred bytes; anything near this is not one. */
const CALLBACK_BODY_LIMIT = 16 * 1024;

export const callbacksRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'callbacks' | 'metrics'>;
}> = async (app, { services }) => {
  const { hosts, callbacks } = services;

  // Hosts' pages may post the callback from the browser, so it answers CORS for their websites' origins.
  async function allowOrigin(request: FastifyRequest, reply: FastifyReply, projectId: string | undefined) {
    const origin = request.headers.origin;
    if (typeof origin === 'string' && (await callbacks.corsAllowed(origin, projectId))) {
      reply.header('access-control-allow-origin', origin);
    }
    reply.header('vary', 'Origin');
  }

  await app.register(async (scope) => {
    const callbackScope = scope.withTypeProvider<TypeBoxTypeProvider>();
    // Form bodies are accepted here only: the rest of the API speaks JSON.
    registerFormParser(callbackScope, CALLBACK_BODY_LIMIT);

    callbackScope.options('/api/callback', { schema: { hide: true } }, async (request, reply) => {
      await allowOrigin(request, reply, undefined);
      return reply
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'Content-Type')
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    });

    callbackScope.post(
      '/api/callback',
      {
        bodyLimit: CALLBACK_BODY_LIMIT,
        attachValidation: true,
        schema: {
          tags: ['callback'],
          summary: "The host website proves a participant's action (signed)",
          description:
            'Checks run in this order: body shape (400/413/415) → track_id exists (404) → signature (401) → giveaway live (409) → event is a task of the website (422) → count (200). A 200 is sent only once the effect is durably committed.',
          consumes: ['application/json', 'application/x-www-form-urlencoded'],
          body: CallbackBodySchema,
          response: {
            200: CallbackAnswerSchema,
            400: CallbackAnswerSchema,
            401: CallbackAnswerSchema,
            404: CallbackAnswerSchema,
            409: CallbackAnswerSchema,
            413: CallbackAnswerSchema,
            415: CallbackAnswerSchema,
            422: CallbackAnswerSchema,
            429: CallbackAnswerSchema,
          },
        },
        // Errors thrown before the handler (413, 415, unparsable JSON) still get CORS, so a page can read them.
        onError: async (request, reply) => allowOrigin(request, reply, undefined),
      },
      async (request, reply) => {
        if (request.validationError) {
          const { body } = toErrorBody(request.validationError);
          services.metrics.callbacks.inc({ code: body.code });
          const projectId = await callbacks.logInvalidRequest(request.body, body.message);
          await allowOrigin(request, reply, projectId);
          return reply.status(400).send(body);
        }
        const answer = await callbacks.handle(request.body);
        services.metrics.callbacks.inc({ code: answer.body.code });
        await allowOrigin(request, reply, answer.projectId);
        return reply.status(answer.status).send(answer.body);
      },
    );
  });

  app.get(
    '/api/v1/projects/:projectId/callbacks',
    {
      schema: {
        tags: ['callback'],
        summary: "The project's callback log, newest first",
        params: IdParam('projectId', 'prj'),
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: {
          200: Type.Object({ callbacks: Type.Array(CallbackLogEntrySchema) }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return { callbacks: await callbacks.log(host.id, request.params.projectId, request.query.limit ?? 50) };
    },
  );

  app.get(
    '/api/v1/projects/:projectId/callbacks/events',
    {
      schema: {
        tags: ['callback'],
        summary:
          'The callback log, live (Server-Sent Events `callback`); Last-Event-ID resumes after that row',
        params: IdParam('projectId', 'prj'),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      const lastEventId = request.headers['last-event-id'];
      // Authorised before the stream opens, so a refusal is a plain JSON answer.
      const events: CallbackLogEntry[] = [];
      let stream: EventStream | undefined;
      const unsubscribe = await callbacks.follow(
        host.id,
        request.params.projectId,
        lastEventId === undefined ? undefined : Number(lastEventId),
        (entry) => (stream ? stream.send('callback', entry, entry.id) : events.push(entry)),
      );
      stream = openEventStream(request, reply);
      stream.onClose(unsubscribe);
      for (const entry of events) stream.send('callback', entry, entry.id);
    },
  );

  app.post(
    '/api/v1/projects/:projectId/callback-test',
    {
      schema: {
        tags: ['callback'],
        summary:
          'Check API callback: a test track_id bound to the project (not to any entry) and its ready link',
        params: IdParam('projectId', 'prj'),
        body: Type.Optional(
          Type.Object(
            {
              websiteId: Type.Optional(
                Type.String({ maxLength: 64, description: "default: the project's first website" }),
              ),
              event: Type.Optional(EventSchema),
            },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: Type.Object({
            trackId: Type.String(),
            link: Type.String(),
            websiteId: Type.String(),
            event: Type.String(),
          }),
          ...errorResponses(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply
        .status(201)
        .send(await callbacks.createTest(host.id, request.params.projectId, request.body ?? {}));
    },
  );
};
