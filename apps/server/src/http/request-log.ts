import { routes } from '@proofdrop/contract';
import type { FastifyInstance } from 'fastify';

/**
 * Routes answered thousands of times a second. A line each would cost more than the answer itself; they are
 * counted in metrics (proofdrop_callbacks_total, proofdrop_track_links_total), and one answer in
 * SAMPLE_EVERY is logged, with every server error.
 */
const HOT_ROUTES = new Set<string>([routes.callback.url, routes.trackLink.url]);
const SAMPLE_EVERY = 100;

/** One line per request, without query strings or bodies; the hot routes' lines sampled. */
export function registerRequestLog(app: FastifyInstance): void {
  let hotAnswers = 0;
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    const status = reply.statusCode;
    const hot = route !== undefined && HOT_ROUTES.has(route);
    if (hot && status < 500 && ++hotAnswers % SAMPLE_EVERY !== 0) return done();
    request.log.info(
      {
        method: request.method,
        route,
        status,
        ms: Math.round(reply.elapsedTime),
        ...(hot && status < 500 ? { sampled: `1 in ${SAMPLE_EVERY}` } : {}),
      },
      'request',
    );
    done();
  });
}
