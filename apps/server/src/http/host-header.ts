import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Node's own answer to an HTTP/1.1 request without a Host header is an empty 400 (RFC 9112 §3.2 makes it
 * one); with `requireHostHeader: false` in its options, the server lets it through to this hook, which
 * refuses it in the API's shape, saying why.
 */
export function registerHostHeaderRequirement(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      return done(new AppError('invalid_request', 'an HTTP/1.1 request must carry a Host header'));
    }
    done();
  });
}
