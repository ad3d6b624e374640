import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { bearerToken, HOST_COOKIE } from './auth.js';
import { PARTICIPANT_COOKIE } from './participant-cookie.js';

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Signed by the host's key, never by a cookie: host pages post it from their own origins. */
const COOKIE_FREE_ROUTES = new Set(['/api/callback']);

/**
 * Cross-site request forgery: a browser attaches our cookies to requests any page makes. A request that
 * changes state and would be signed in by one of those cookies (no bearer token) must therefore come from
 * our own pages: its `Origin` is the public URL's origin, or the origin of the host it was sent to.
 * Bearer-token clients are unaffected: no browser adds that header on its own.
 */
export function registerSameOriginCheck(app: FastifyInstance, publicUrl: string): void {
  const publicOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', (request, _reply, done) => {
    if (
      READ_ONLY.has(request.method) ||
      COOKIE_FREE_ROUTES.has(request.routeOptions.url ?? '') ||
      bearerToken(request) !== undefined ||
      !carriesSessionCookie(request)
    ) {
      return done();
    }
    done(sameOrigin(request, publicOrigin) ? undefined : crossSite(request.headers.origin));
  });
}

function carriesSessionCookie(request: FastifyRequest): boolean {
  return Object.keys(request.cookies).some((name) => name === HOST_COOKIE || name === PARTICIPANT_COOKIE);
}

function sameOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return false;
  if (origin === publicOrigin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function crossSite(origin: string | undefined): AppError {
  return new AppError(
    'cross_site_request',
    origin
      ? `a request signed in by cookie must come from this site's own pages, not from ${origin}; API clients send Authorization: Bearer <token>`
      : "a request signed in by cookie must carry this site's Origin header; API clients send Authorization: Bearer <token>",
  );
}
