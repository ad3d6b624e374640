import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireHost } from '../http/auth.js';
import { registerFormParser } from '../http/body-parsers.js';
import { toErrorBody } from '../http/error-handler.js';
import { type EventStream, openEventStream } from '../http/event-stream.js';
import { fromContract } from '../http/route.js';
import type { Services } from '../services.js';
import { REPLAY_MAX } from './callbacks.service.js';

/** Callbacks are a few hundred bytes; anything near this is not one. */
const CALLBACK_BODY_LIMIT = 16 * 1024;

export const callbacksRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'callbacks' | 'metrics' | 'streams' | 'live'>;
}> = async (app, { services }) => {
  const { hosts, callbacks, streams } = services;

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

    callbackScope.route({
      ...fromContract(routes.callback, {
        tags: ['callback'],
        summary: "The host website proves a participant's action (signed)",
        description:
          'Checks run in this order: body shape (400/413/415) → track_id exists (404) → signature (401) → giveaway live (409) → event is a task of the website (422) → count (200). A 200 is sent only once the effect is durably committed.',
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
      }),
      bodyLimit: CALLBACK_BODY_LIMIT,
      attachValidation: true,
      // Errors thrown before the handler (413, 415, unparsable JSON) still get CORS, so a page can read them.
      onError: async (request, reply) => allowOrigin(request, reply, undefined),
      handler: async (request, reply) => {
        if (request.validationError) {
          const { body } = toErrorBody(request.validationError);
          services.metrics.callbacks.inc({ code: body.code });
          const projectId = await callbacks.logInvalidRequest(request.body, body.message);
          await allowOrigin(request, reply, projectId);
          return reply.status(400).send(body);
        }
        const answer = await callbacks.handle(request.body, request.headers.origin);
        services.metrics.callbacks.inc({ code: answer.body.code });
        await allowOrigin(request, reply, answer.projectId);
        // A rate limit's buckets refill within a second; the writer's full queue says the same (error handler).
        if (answer.status === 429) reply.header('retry-after', '1');
        return reply.status(answer.status).send(answer.body);
      },
    });
  });

  app.route({
    ...fromContract(routes.callbackLog, {
      tags: ['callback'],
      summary: "The project's callback log, newest first",
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      return callbacks.log(host.id, request.params.projectId, request.query);
    },
  });

  app.route({
    ...fromContract(routes.callbackLogEvents, {
      tags: ['callback'],
      summary: 'The callback log, live (Server-Sent Events `callback`); Last-Event-ID resumes after that row',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      const header = request.headers['last-event-id'];
      const lastEventId = header === undefined ? request.query.after : Number(header);
      const release = streams.take('host', host.id);
      // Authorised before the stream opens, so a refusal is a plain JSON answer. What is read before it
      // opens is at most the capped replay.
      const early: { event: string; data: unknown; id?: number }[] = [];
      let stream: EventStream | undefined;
      const emit = (event: string, data: unknown, id?: number) =>
        stream
          ? stream.send(event, data, id)
          : void early.push({ event, data, ...(id === undefined ? {} : { id }) });
      let unsubscribe: () => void;
      try {
        unsubscribe = await callbacks.follow(
          host.id,
          request.params.projectId,
          lastEventId,
          (entry) => emit('callback', entry, entry.id),
          () =>
            void emit('resync', {
              message: `more than ${REPLAY_MAX} rows were missed: reload the log (GET …/callbacks), then follow from the latest`,
            }),
        );
      } catch (error) {
        release();
        throw error;
      }
      stream = openEventStream(request, reply);
      stream.onClose(unsubscribe);
      stream.onClose(release);
      const opened = stream;
      stream.onClose(services.live.onRevoked('host', host.id, () => opened.end()));
      stream.onClose(services.live.onRevoked('project', request.params.projectId, () => opened.end()));
      for (const { event, data, id } of early) await stream.send(event, data, id);
    },
  });

  app.route({
    ...fromContract(routes.callbackTest, {
      tags: ['callback'],
      summary:
        'Check API callback: a test track_id bound to the project (not to any entry) and its ready link',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply
        .status(201)
        .send(await callbacks.createTest(host.id, request.params.projectId, request.body ?? {}));
    },
  });
};
