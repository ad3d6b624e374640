import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import {
  bearerToken,
  HOST_COOKIE,
  requireHost,
  setHostCookie,
  signedCookie,
  signedInHost,
} from '../http/auth.js';
import { fromContract } from '../http/route.js';
import type { Services } from '../services.js';

export const hostsRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'secureCookies'>;
}> = async (app, { services }) => {
  const { hosts } = services;

  app.route({
    ...fromContract(routes.signup, {
      tags: ['hosts'],
      summary: 'Create a host account',
      description: 'With SIGNUP=closed, only with the token of an invite link made by an existing host.',
    }),
    handler: async (request, reply) => {
      const { email, password, invite } = request.body;
      const session = await hosts.signup(email, password, invite);
      setHostCookie(reply, session, services.secureCookies);
      return reply.status(201).send({ token: session.token, host: session.host });
    },
  });

  app.route({
    ...fromContract(routes.signupStatus, {
      tags: ['hosts'],
      summary: 'Whether sign-up takes an invite link now, so the sign-up page can say so before anyone types',
    }),
    handler: async () => ({ inviteRequired: await hosts.inviteRequired() }),
  });

  app.route({
    ...fromContract(routes.login, { tags: ['hosts'], summary: 'Sign in' }),
    handler: async (request, reply) => {
      const session = await hosts.login(request.body.email, request.body.password, request.ip);
      setHostCookie(reply, session, services.secureCookies);
      return { token: session.token, host: session.host };
    },
  });

  app.route({
    ...fromContract(routes.logout, { tags: ['hosts'], summary: 'End this session' }),
    handler: async (request, reply) => {
      const token = bearerToken(request) ?? signedCookie(request, HOST_COOKIE);
      if (token) await hosts.logout(token);
      reply.clearCookie(HOST_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  app.route({
    ...fromContract(routes.me, { tags: ['hosts'], summary: 'The signed-in host' }),
    handler: async (request) => requireHost(request, hosts),
  });

  app.route({
    ...fromContract(routes.signedIn, {
      tags: ['hosts'],
      summary: 'Who is signed in, if anyone: the host, or null (never a 401)',
    }),
    handler: async (request) => ({ host: (await signedInHost(request, hosts)) ?? null }),
  });

  app.route({
    ...fromContract(routes.createInvite, {
      tags: ['hosts'],
      summary: 'An invite link: lets one person create a host account while SIGNUP=closed',
      description: "Usable once, for 7 days. Only the token's hash is kept: the link is shown this once.",
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply.status(201).send(await hosts.createInvite(host.id));
    },
  });

  app.route({
    ...fromContract(routes.changePassword, {
      tags: ['hosts'],
      summary: 'Change the password; every other session of the host ends',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      // requireHost found a session, so the request carries its token.
      const token = (bearerToken(request) ?? signedCookie(request, HOST_COOKIE)) as string;
      const { currentPassword, newPassword } = request.body;
      await hosts.changePassword(host, token, currentPassword, newPassword, request.ip);
      return reply.status(204).send(null);
    },
  });

  app.route({
    ...fromContract(routes.revokeSessions, {
      tags: ['hosts'],
      summary: 'Sign out everywhere: every session of the host ends, this one included',
    }),
    handler: async (request, reply) => {
      const host = await requireHost(request, hosts);
      await hosts.revokeSessions(host.id);
      reply.clearCookie(HOST_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });
};
