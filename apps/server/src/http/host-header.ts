import type { FastifyRequest } from 'fastify';

/**
 * Node's own answer to an HTTP/1.1 request without a Host header is an empty 400 (RFC 9112 §3.2 makes it
 * one); with `requireHostHeader: false` in its options, the server lets it through to be refused in the
 * API's shape, saying why. Checked with the rest of a request's form, in a hook every request runs already.
 */
export function missingHost(request: FastifyRequest): string | undefined {
  return request.headers.host === undefined && request.raw.httpVersion === '1.1'
    ? 'an HTTP/1.1 request must carry a Host header'
    : undefined;
}
