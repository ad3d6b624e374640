import type { FastifyInstance } from 'fastify';

type Found = ReturnType<FastifyInstance['findRoute']> | null;

/**
 * The methods some route takes at this address (a request's path, query and all), in alphabetical order;
 * none when no route has the path. Fastify's router looks each up as it would route a request (path
 * parameters, decoding, trailing slash), so no list of routes is kept beside it, and HEAD comes with each
 * GET as Fastify adds it. Only a request no route matched asks: the routes themselves pay nothing.
 */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  return app.supportedMethods.filter((method) => isRoute(app.findRoute({ method, url }))).sort();
}

/**
 * A part of the path longer than a path parameter may be (`maxParamLength`) finds the router's refusal of
 * the address rather than nothing; unlike a route, it has no query read.
 */
const isRoute = (found: Found) => found !== null && found.searchParams !== undefined;
