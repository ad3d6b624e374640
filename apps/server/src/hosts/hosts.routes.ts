import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '@proofdrop/contract';
import { bearerToken, HOST_COOKIE, requireHost, setHostCookie, signedCookie } from '../http/auth.js';
import { fromContract } from '../http/route.js';
import type { Services } from '../services.js';

export const hostsRoutes: FastifyPluginAsyncTypebox<{
  services: Pick<Services, 'hosts' | 'secureCookies'>;
}> = async (app, { services }) => {
  const { hosts } = services;

  app.route({
    ...fromContract(routes.signup, { tags: ['hosts'], summary: 'Create a host account' }),
    handler: async (request, reply) => {
      const session = await hosts.signup(request.body.email, request.body.password);
      setHostCookie(reply, session, services.secureCookies);
      return reply.status(201).send({ token: session.token, host: session.host });
    },
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
};
