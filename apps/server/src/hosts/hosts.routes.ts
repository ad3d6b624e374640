import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { bearerToken, HOST_COOKIE, requireHost, setHostCookie, signedCookie } from '../http/auth.js';
import { EmailSchema, errorResponses } from '../schemas.js';
import type { Services } from '../services.js';

export const CredentialsSchema = Type.Object(
  {
    email: EmailSchema,
    password: Type.String({ minLength: 8, maxLength: 256, description: 'at least 8 characters' }),
  },
  { additionalProperties: false },
);
export type Credentials = Static<typeof CredentialsSchema>;

/** The sign-up policy (8 characters or more) is not checked here: a wrong short password is a plain 401. */
const LoginSchema = Type.Object(
  { email: EmailSchema, password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

const HostSchema = Type.Object({ id: Type.String(), email: Type.String() });
const SessionSchema = Type.Object({
  token: Type.String({ description: 'bearer token for Authorization: Bearer <token>; also set as a cookie' }),
  host: HostSchema,
});

export const hostsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { hosts } = services;

  app.post(
    '/api/v1/auth/signup',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Create a host account',
        body: CredentialsSchema,
        response: { 201: SessionSchema, ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const session = await hosts.signup(request.body.email, request.body.password);
      setHostCookie(reply, session, services.secureCookies);
      return reply.status(201).send({ token: session.token, host: session.host });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Sign in',
        body: LoginSchema,
        response: { 200: SessionSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const session = await hosts.login(request.body.email, request.body.password, request.ip);
      setHostCookie(reply, session, services.secureCookies);
      return { token: session.token, host: session.host };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['hosts'], summary: 'End this session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = bearerToken(request) ?? signedCookie(request, HOST_COOKIE);
      if (token) await hosts.logout(token);
      reply.clearCookie(HOST_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['hosts'],
        summary: 'The signed-in host',
        response: { 200: HostSchema, ...errorResponses(401) },
      },
    },
    async (request) => requireHost(request, hosts),
  );
};
