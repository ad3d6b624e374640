import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { bearerToken, HOST_COOKIE, requireHost, setHostCookie, signedCookie } from '../http/auth.js';
import { EmailSchema, errorResponses } from '../schemas.js';
import type { Services } from '../services.js';

const NewPasswordSchema = Type.String({ minLength: 8, maxLength: 256, description: 'at least 8 characters' });

export const SignupSchema = Type.Object(
  {
    email: EmailSchema,
    password: NewPasswordSchema,
    invite: Type.Optional(
      Type.String({ maxLength: 128, description: 'the token of an invite link; needed when SIGNUP=closed' }),
    ),
  },
  { additionalProperties: false },
);
export type Signup = Static<typeof SignupSchema>;

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
        description: 'With SIGNUP=closed, only with the token of an invite link made by an existing host.',
        body: SignupSchema,
        response: { 201: SessionSchema, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const { email, password, invite } = request.body;
      const session = await hosts.signup(email, password, invite);
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

  app.post(
    '/api/v1/auth/invites',
    {
      schema: {
        tags: ['hosts'],
        summary: 'An invite link: lets one person create a host account while SIGNUP=closed',
        description: "Usable once, for 7 days. Only the token's hash is kept: the link is shown this once.",
        response: {
          201: Type.Object({
            token: Type.String(),
            link: Type.String({ description: 'the sign-up page with the token' }),
            expiresAt: Type.String(),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      return reply.status(201).send(await hosts.createInvite(host.id));
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Change the password; every other session of the host ends',
        body: Type.Object(
          { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: NewPasswordSchema },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      const token = (bearerToken(request) ?? signedCookie(request, HOST_COOKIE)) as string;
      const { currentPassword, newPassword } = request.body;
      await hosts.changePassword(host, token, currentPassword, newPassword, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/sessions/revoke',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Sign out everywhere: every session of the host ends, this one included',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const host = await requireHost(request, hosts);
      await hosts.revokeSessions(host.id);
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
