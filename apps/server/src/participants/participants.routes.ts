import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { bearerToken, participantCookie, requireHost, setSignedCookie, signedCookie } from '../http/auth.js';
import { toErrorBody } from '../http/error-handler.js';
import { openEventStream } from '../http/event-stream.js';
import type { ParticipantRef } from '../lookups/lookups.js';
import { EmailSchema, errorResponses, IdParam } from '../schemas.js';
import type { Services } from '../services.js';
import type { ParticipantsService } from './participants.service.js';
import { csvStream, jsonStream } from './participants-export.js';

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });
const TaskParams = IdParam('taskId', 'task');
const PARTICIPANT_COOKIE_DAYS = 180;

const TaskProgressSchema = Type.Object({
  taskId: Type.String(),
  event: Type.String(),
  name: Type.String(),
  requiredAmount: Type.Integer(),
  count: Type.Integer(),
  completed: Type.Boolean(),
});

const VisitSchema = Type.Object({
  trackId: Type.String({ description: "the participant's track_id for this task's website" }),
  url: Type.String({ description: 'the website link with track_id and send appended' }),
});

const CHECK_YOUR_EMAIL =
  'check your email: follow the link we sent to confirm your address; your entry counts once it is confirmed';

const EntrySchema = Type.Object({
  participantId: Type.String(),
  token: Type.String({ description: "the participant's bearer token; also set as a cookie" }),
  verified: Type.Boolean({
    description: 'false: the giveaway verifies emails and this address is not proven yet (see message)',
  }),
  message: Type.Optional(Type.String({ description: 'what to do next, when there is something' })),
});

const LinkMailedSchema = Type.Object({
  ok: Type.Literal(true),
  verified: Type.Literal(false),
  message: Type.String(),
});

const ChallengeSchema = Type.Object(
  {
    parameters: Type.Object(
      {
        algorithm: Type.String(),
        nonce: Type.String(),
        salt: Type.String(),
        cost: Type.Integer(),
        keyLength: Type.Integer(),
        keyPrefix: Type.String(),
        expiresAt: Type.Optional(Type.Integer({ description: 'unix seconds' })),
        data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      },
      { additionalProperties: true },
    ),
    signature: Type.Optional(Type.String()),
  },
  { description: 'an ALTCHA PoW v2 challenge, as its widget reads it' },
);

const ParticipantRowSchema = Type.Object({
  participantId: Type.String(),
  email: Type.String(),
  joinedAt: Type.String(),
  eligible: Type.Boolean(),
  eligibleAt: Type.Union([Type.String(), Type.Null()]),
  winnerRank: Type.Union([Type.Integer(), Type.Null()]),
  emailVerified: Type.Boolean({ description: 'the address is proven by an emailed link' }),
  networkEntries: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'entries of this giveaway that joined from the same /24 (IPv4) or /48 (IPv6) network, this one included; a signal to review, not a verdict',
  }),
  disposableEmail: Type.Boolean({ description: 'the email is at a known disposable-mail domain' }),
  tasks: Type.Array(Type.Object({ taskId: Type.String(), count: Type.Integer(), completed: Type.Boolean() })),
});

async function requireParticipant(
  request: FastifyRequest,
  participants: ParticipantsService,
  giveawayId: string,
): Promise<ParticipantRef> {
  const token = bearerToken(request) ?? signedCookie(request, participantCookie(giveawayId));
  const participant = token ? await participants.participantForToken(token) : undefined;
  if (!participant || participant.giveawayId !== giveawayId) {
    throw new AppError('unauthorized', 'join the giveaway first: this request carries no entry of it');
  }
  return participant;
}

export const participantsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { hosts, participants, callbacks, entryLinks } = services;

  function signIn(reply: FastifyReply, entry: { giveawayId: string; token: string }) {
    setSignedCookie(reply, participantCookie(entry.giveawayId), entry.token, {
      expires: new Date(Date.now() + PARTICIPANT_COOKIE_DAYS * 86_400_000),
      secure: services.secureCookies,
    });
  }

  app.get(
    '/api/v1/giveaways/:slug/challenge',
    {
      schema: {
        tags: ['participants'],
        summary: 'A proof-of-work challenge to solve before joining (giveaways with entryChallenge "pow")',
        description:
          "ALTCHA PoW v2: point the ALTCHA widget's `challenge` at this URL, then send its value as `altcha` with the join. A challenge is bound to its giveaway, expires after 10 minutes and serves one join.",
        params: SlugParams,
        response: { 200: ChallengeSchema, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return participants.challenge(request.params.slug);
    },
  );

  app.post(
    '/api/v1/giveaways/:slug/entries',
    {
      schema: {
        tags: ['participants'],
        summary: 'Enter a live giveaway',
        description:
          'Joins per minute per client address are limited (JOIN_RATE_PER_IP). A giveaway with entryChallenge "pow" also wants `altcha`: a solution of its challenge, used once.',
        params: SlugParams,
        body: Type.Object(
          {
            email: EmailSchema,
            altcha: Type.Optional(
              Type.String({
                maxLength: 4096,
                description: "the ALTCHA widget's value: base64 of {challenge, solution}",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: EntrySchema,
          202: LinkMailedSchema,
          ...errorResponses(400, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const outcome = await participants.join(request.params.slug, request.body, request.ip);
      if (outcome.kind === 'mailed') {
        return reply.status(202).send({
          ok: true,
          verified: false,
          message:
            'this address has entered already: we sent a link to it; follow it to get to the entry from this browser',
        });
      }
      signIn(reply, outcome);
      return reply.status(201).send({
        participantId: outcome.participantId,
        token: outcome.token,
        verified: outcome.verified,
        ...(outcome.verified ? {} : { message: CHECK_YOUR_EMAIL }),
      });
    },
  );

  app.post(
    '/api/v1/giveaways/:slug/entries/verify',
    {
      schema: {
        tags: ['participants'],
        summary: 'Follow an emailed link: prove the address and sign this browser in',
        description:
          'The link opens the participant page with `#verify=<token>`; the page sends that token here. The first time, the address is proven: the entry counts from then on, and tokens handed out before stop working (the entry belongs to whoever reads that mailbox). A link works once and expires after an hour.',
        params: SlugParams,
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: EntrySchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const entry = await entryLinks.follow(request.params.slug, request.body.token);
      signIn(reply, entry);
      return { participantId: entry.participantId, token: entry.token, verified: entry.verified };
    },
  );

  app.post(
    '/api/v1/giveaways/:slug/entries/link',
    {
      schema: {
        tags: ['participants'],
        summary: 'Send me my link: mails a sign-in link to an address that has entered',
        description:
          'For giveaways that verify emails. The answer is the same whether the address has entered or not; at most one link a minute goes to an entry.',
        params: SlugParams,
        body: Type.Object({ email: EmailSchema }, { additionalProperties: false }),
        response: {
          202: Type.Object({ ok: Type.Literal(true), message: Type.String() }),
          ...errorResponses(400, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      await entryLinks.sendLink(request.params.slug, request.body.email, request.ip);
      return reply.status(202).send({
        ok: true,
        message: 'if this address has entered, a link to the entry is on its way to it',
      });
    },
  );

  app.get(
    '/api/v1/giveaways/:slug/entries/me',
    {
      schema: {
        tags: ['participants'],
        summary: "The participant's progress on each task",
        params: SlugParams,
        response: {
          200: Type.Object({
            participantId: Type.String(),
            eligible: Type.Boolean({
              description: 'every task done, and the address proven when that is required',
            }),
            verified: Type.Boolean({ description: 'the address is proven by an emailed link' }),
            verificationRequired: Type.Boolean({
              description: 'the giveaway counts the entry only once its address is proven',
            }),
            tasks: Type.Array(TaskProgressSchema),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const giveaway = await participants.giveawayForSlug(request.params.slug);
      return participants.me(await requireParticipant(request, participants, giveaway.id));
    },
  );

  app.get(
    '/api/v1/giveaways/:slug/entries/me/events',
    {
      schema: {
        tags: ['participants'],
        summary:
          "The participant's progress, live (Server-Sent Events `progress`, the whole entry each time)",
        description: 'The current state comes first, so a reconnecting client has missed nothing.',
        params: SlugParams,
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const giveaway = await participants.giveawayForSlug(request.params.slug);
      const participant = await requireParticipant(request, participants, giveaway.id);
      const stream = openEventStream(request, reply);
      let version = 0;
      const push = () => {
        const sent = ++version;
        participants
          .me(participant)
          .then((entry) => {
            if (sent === version) stream.send('progress', entry, sent);
          })
          .catch((error: unknown) => request.log.error({ err: error }, 'progress stream'));
      };
      stream.onClose(callbacks.followProgress(participant.id, push));
    },
  );

  async function visit(request: FastifyRequest, taskId: string) {
    const giveawayId = await participants.giveawayOfTask(taskId);
    if (!giveawayId) throw new AppError('not_found', 'task not found');
    return participants.visit(taskId, await requireParticipant(request, participants, giveawayId));
  }

  app.post(
    '/api/v1/tasks/:taskId/visits',
    {
      schema: {
        tags: ['participants'],
        summary: "The participant's track link for a task: the website link carrying their track_id",
        params: TaskParams,
        response: { 200: VisitSchema, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => visit(request, request.params.taskId),
  );

  app.get(
    '/go/:taskId',
    {
      schema: {
        tags: ['participants'],
        summary: 'Browser track link: redirects the signed-in participant to the task website',
        params: TaskParams,
        response: { 302: Type.Null() },
      },
    },
    async (request, reply) => {
      try {
        const { url } = await visit(request, request.params.taskId);
        return reply.redirect(url, 302);
      } catch (error) {
        return sendErrorPage(reply, error);
      }
    },
  );

  for (const [path, key, onlyWinners, summary] of [
    [
      'participants',
      'participants',
      false,
      'Entries with their progress, eligibility and winner rank, as JSON or CSV',
    ],
    ['winners', 'winners', true, 'The winners alone, in rank order, as JSON or CSV'],
  ] as const) {
    app.get(
      `/api/v1/giveaways/:giveawayId/${path}`,
      {
        schema: {
          tags: ['giveaways'],
          summary,
          description: 'Streamed page by page, so large giveaways export without loading into memory.',
          params: IdParam('giveawayId', 'gw'),
          querystring: Type.Object({
            format: Type.Optional(
              Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
            ),
          }),
          response: {
            200: Type.Union([
              Type.Object({ [key]: Type.Array(ParticipantRowSchema) }),
              Type.String({ description: 'CSV, with ?format=csv' }),
            ]),
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (request, reply) => {
        const host = await requireHost(request, hosts);
        const { tasks, rows } = await participants.export(host.id, request.params.giveawayId, onlyWinners);
        const csv = request.query.format === 'csv';
        const stream = csv ? csvStream(rows, tasks) : jsonStream(rows, key);
        return (
          reply
            .type(csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
            .header(
              'content-disposition',
              `${csv ? 'attachment' : 'inline'}; filename="${path}-${request.params.giveawayId}.${csv ? 'csv' : 'json'}"`,
            )
            // Fastify pipes a stream as it is; the schema above documents what it carries.
            .send(stream as unknown as string)
        );
      },
    );
  }
};

/** The track link is opened by a browser: an error there is a short page, not JSON. */
function sendErrorPage(reply: FastifyReply, error: unknown) {
  const { status, body } = toErrorBody(error);
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .serializer((payload: string) => payload)
    .send(
      `<!doctype html><meta charset="utf-8"><title>Proofdrop</title><h1>This link cannot open yet</h1><p>${escapeHtml(body.message)}</p>`,
    );
}
