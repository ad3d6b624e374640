import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { bearerToken, requireHost } from '../http/auth.js';
import { toErrorBody } from '../http/error-handler.js';
import { openEventStream } from '../http/event-stream.js';
import { participantTokenFor, rememberEntry } from '../http/participant-cookie.js';
import { fromContract } from '../http/route.js';
import type { ParticipantRef } from '../lookups/lookups.js';
import type { Services } from '../services.js';
import type { ParticipantsService } from './participants.service.js';
import { csvStream, jsonStream } from './participants-export.js';

const CHECK_YOUR_EMAIL =
  'check your email: follow the link we sent to confirm your address; your entry counts once it is confirmed';

/** The entry of the giveaway the request carries (its bearer token or this browser's cookie), if any. */
async function participantIn(
  request: FastifyRequest,
  participants: ParticipantsService,
  giveawayId: string,
): Promise<ParticipantRef | undefined> {
  const token = participantToken(request, giveawayId);
  const participant = token ? await participants.participantForToken(token) : undefined;
  return participant?.giveawayId === giveawayId ? participant : undefined;
}

async function requireParticipant(
  request: FastifyRequest,
  participants: ParticipantsService,
  giveawayId: string,
): Promise<ParticipantRef> {
  const participant = await participantIn(request, participants, giveawayId);
  if (!participant) {
    throw new AppError(
      'unauthorized',
      'join the giveaway first: no entry of it is signed in here (in this browser, or with this token)',
    );
  }
  return participant;
}

/** The participant token a request carries for the giveaway: the bearer token, or this browser's entry. */
function participantToken(request: FastifyRequest, giveawayId: string): string | undefined {
  return bearerToken(request) ?? participantTokenFor(request, giveawayId);
}

export const participantsRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<
    Services,
    | 'hosts'
    | 'participants'
    | 'entryLinks'
    | 'live'
    | 'callbacks'
    | 'giveawayFeed'
    | 'secureCookies'
    | 'streams'
    | 'metrics'
  >;
}> = async (app, { services }) => {
  const { hosts, participants, callbacks, entryLinks } = services;

  app.route({
    ...fromContract(routes.entryChallenge, {
      tags: ['participants'],
      summary: 'A proof-of-work challenge to solve before joining (giveaways with entryChallenge "pow")',
      description:
        "ALTCHA PoW v2: point the ALTCHA widget's `challenge` at this URL, then send its value as `altcha` with the join. A challenge is bound to its giveaway, expires after 10 minutes and serves one join.",
    }),
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return participants.challenge(request.params.slug);
    },
  });

  app.route({
    ...fromContract(routes.enter, {
      tags: ['participants'],
      summary: 'Enter a live giveaway',
      description:
        'Joins per minute per client address are limited (JOIN_RATE_PER_IP). A giveaway with entryChallenge "pow" also wants `altcha`, a solution of its challenge, used once. A giveaway that verifies emails mails a link to the address: a new entry is `verified: false` until it is followed; an address that has entered already gets 202 and the link instead of a refusal.',
    }),
    handler: async (request, reply) => {
      const outcome = await participants.join(request.params.slug, request.body, request.ip);
      if (outcome.kind === 'mailed') {
        return reply.status(202).send({
          ok: true,
          verified: false,
          message:
            'this address has entered already: we sent a link to it; follow it to get to the entry from this browser',
        });
      }
      rememberEntry(request, reply, outcome, services.secureCookies);
      return reply.status(201).send({
        participantId: outcome.participantId,
        token: outcome.token,
        verified: outcome.verified,
        ...(outcome.verified ? {} : { message: CHECK_YOUR_EMAIL }),
      });
    },
  });

  app.route({
    ...fromContract(routes.followEntryLink, {
      tags: ['participants'],
      summary: 'Follow an emailed link: sign this browser in and prove the address',
      description:
        'The link opens the participant page with `#verify=<token>`; the page sends that token here. The first time, the address is proven. In a giveaway that verifies emails the entry counts from then on, and tokens handed out before stop working (the entry belongs to whoever reads that mailbox); elsewhere the browsers already signed in stay so. A link works once and expires after an hour.',
    }),
    handler: async (request, reply) => {
      const entry = await entryLinks.follow(request.params.slug, request.body.token);
      rememberEntry(request, reply, entry, services.secureCookies);
      return { participantId: entry.participantId, token: entry.token, verified: entry.verified };
    },
  });

  app.route({
    ...fromContract(routes.sendEntryLink, {
      tags: ['participants'],
      summary: 'Send me my link: mails a sign-in link to an address that has entered',
      description:
        'For a participant on another browser, on a server that sends mail (`mailsEntryLinks` in the giveaway; 409 otherwise). The answer is the same whether the address has entered or not; at most one link a minute goes to an entry.',
    }),
    handler: async (request, reply) => {
      await entryLinks.sendLink(request.params.slug, request.body.email, request.ip);
      return reply.status(202).send({
        ok: true,
        message: 'if this address has entered, a link to the entry is on its way to it',
      });
    },
  });

  app.route({
    ...fromContract(routes.myEntry, {
      tags: ['participants'],
      summary: "The participant's progress on each task",
    }),
    handler: async (request) => {
      const giveaway = await participants.giveawayForSlug(request.params.slug);
      return participants.me(await requireParticipant(request, participants, giveaway.id));
    },
  });

  app.route({
    ...fromContract(routes.myEntryIfAny, {
      tags: ['participants'],
      summary: "This browser's entry and its progress, or null when it has not joined (never a 401)",
    }),
    handler: async (request) => {
      const giveaway = await participants.giveawayForSlug(request.params.slug);
      const participant = await participantIn(request, participants, giveaway.id);
      return { entry: participant ? await participants.me(participant) : null };
    },
  });

  app.route({
    ...fromContract(routes.myEntryEvents, {
      tags: ['participants'],
      summary:
        "The participant's progress and the giveaway's phase, live (Server-Sent Events `progress` and `giveaway`)",
      description:
        "Two events, each carrying the whole state: `progress`, the entry as GET …/entries/me answers it, each time the participant's progress changes; `giveaway`, the giveaway as GET /api/v1/giveaways/{slug} answers it, each time that answer changes: the host ends it, draws its winners or edits it, or its endsAt arrives. The current state of both comes first, so a reconnecting client has missed nothing and need not poll.",
    }),
    handler: async (request, reply) => {
      const giveaway = await participants.giveawayForSlug(request.params.slug);
      const participant = await requireParticipant(request, participants, giveaway.id);
      const release = services.streams.take('participant', participant.id);
      const stream = openEventStream(request, reply);
      stream.onClose(release);
      stream.onClose(services.live.onRevoked('participant', participant.id, () => stream.end()));
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
      stream.onClose(services.giveawayFeed.follow(giveaway, (state) => void stream.send('giveaway', state)));
    },
  });

  // Labelled once, which spares each redirect checking its label names (prom-client still hashes the set).
  const redirected = services.metrics.trackLinks.labels({ status: 302 });

  async function visit(request: FastifyRequest, taskId: string) {
    const giveawayId = await participants.giveawayOfTask(taskId);
    if (!giveawayId) throw new AppError('not_found', 'task not found');
    return participants.visit(taskId, await requireParticipant(request, participants, giveawayId));
  }

  app.route({
    ...fromContract(routes.visitTask, {
      tags: ['participants'],
      summary: "The participant's track link for a task: the website link carrying their track_id",
    }),
    handler: async (request) => visit(request, request.params.taskId),
  });

  app.route({
    ...fromContract(routes.trackLink, {
      tags: ['participants'],
      summary: 'Browser track link: redirects the signed-in participant to the task website',
    }),
    handler: async (request, reply) => {
      const { taskId } = request.params;
      const cached = participants.cachedVisit(taskId, (giveawayId) => participantToken(request, giveawayId));
      if (cached !== undefined) {
        redirected.inc();
        return reply.redirect(cached, 302);
      }
      try {
        const { url } = await visit(request, taskId);
        redirected.inc();
        return reply.redirect(url, 302);
      } catch (error) {
        const giveawayPage = await participants.giveawayPageOfTask(taskId).catch(() => undefined);
        const page = sendErrorPage(reply, error, giveawayPage);
        services.metrics.trackLinks.inc({ status: reply.statusCode });
        return page;
      }
    },
  });

  app.route({
    ...fromContract(routes.entries, {
      tags: ['giveaways'],
      summary: 'A page of entries with their progress, in join order; `search` matches part of the email',
    }),
    handler: async (request) => {
      const host = await requireHost(request, hosts);
      const { search = '', offset = 0, limit = 50 } = request.query;
      return participants.search(host.id, request.params.giveawayId, {
        search: search.trim(),
        offset,
        limit,
      });
    },
  });

  for (const [spec, key, onlyWinners, summary] of [
    [
      routes.participants,
      'participants',
      false,
      'Entries with their progress, eligibility, winner rank and prize, as JSON or CSV',
    ],
    [
      routes.winners,
      'winners',
      true,
      'The winners alone, in rank order, each with their prize, as JSON or CSV',
    ],
  ] as const) {
    app.route({
      ...fromContract(spec, {
        tags: ['giveaways'],
        summary,
        description: 'Streamed page by page, so large giveaways export without loading into memory.',
      }),
      handler: async (request, reply) => {
        const host = await requireHost(request, hosts);
        const { tasks, rows } = await participants.export(host.id, request.params.giveawayId, onlyWinners);
        const csv = request.query.format === 'csv';
        const stream = csv ? csvStream(rows, tasks) : jsonStream(rows, key);
        return (
          reply
            .type(csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
            .header(
              'content-disposition',
              `${csv ? 'attachment' : 'inline'}; filename="${key}-${request.params.giveawayId}.${csv ? 'csv' : 'json'}"`,
            )
            // Fastify pipes a stream as it is; the schema above documents what it carries.
            .send(stream as unknown as string)
        );
      },
    });
  }
};

const ERROR_HEADINGS: Partial<Record<string, string>> = {
  unauthorized: 'Join the giveaway first',
  giveaway_not_live: 'This giveaway is not open',
  not_found: 'This task link does not exist',
};

/**
 * The track link is opened by a browser: an error there is a short page, not JSON, readable on a phone,
 * with the way back to the giveaway when the task names one.
 */
function sendErrorPage(reply: FastifyReply, error: unknown, giveawayPage: string | undefined) {
  const { status, body } = toErrorBody(error);
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const heading = ERROR_HEADINGS[body.code] ?? 'This link cannot open';
  const back = giveawayPage ? `<p><a href="${escapeHtml(giveawayPage)}">Back to the giveaway</a></p>` : '';
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .serializer((payload: string) => payload)
    .send(
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${heading} · Proofdrop</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${ERROR_PAGE_STYLE}</style><main><h1>${heading}</h1><p>${escapeHtml(sentence(body.message))}</p>${back}</main></html>`,
    );
}

const sentence = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

const ERROR_PAGE_STYLE =
  'body{margin:0;padding:0 1rem;font:16px/1.5 system-ui,sans-serif;color:#1f2330;background:#f6f7fb}main{max-width:32rem;margin:12vh auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px #0002}h1{font-size:1.4rem;margin:0 0 .5rem}a{color:#4338ca;font-weight:600}';
