import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { HostSession, HostsService, HostView } from '../hosts/hosts.service.js';

export const HOST_COOKIE = 'pd_session';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function signedCookie(request: FastifyRequest, name: string): string | undefined {
  const raw = request.cookies[name];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

export function setSignedCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  options: { expires: Date; secure: boolean; path?: string },
): void {
  reply.setCookie(name, value, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    path: options.path ?? '/',
    expires: options.expires,
  });
}

export function setHostCookie(reply: FastifyReply, session: HostSession, secure: boolean): void {
  setSignedCookie(reply, HOST_COOKIE, session.token, { expires: new Date(session.expiresAt), secure });
}

/** The host a request is signed in as: its bearer token or session cookie, if either is live. */
export async function signedInHost(
  request: FastifyRequest,
  hosts: HostsService,
): Promise<HostView | undefined> {
  const token = bearerToken(request) ?? signedCookie(request, HOST_COOKIE);
  return token ? await hosts.hostForToken(token) : undefined;
}

export async function requireHost(request: FastifyRequest, hosts: HostsService): Promise<HostView> {
  const host = await signedInHost(request, hosts);
  if (!host) {
    throw new AppError('unauthorized', 'sign in: send Authorization: Bearer <token> from /api/v1/auth/login');
  }
  return host;
}
