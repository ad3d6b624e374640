import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@proofdrop/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isStorageUnavailable } from '../db/storage-errors.js';
import { AppError } from '../errors.js';
import { allowedMethods } from './allowed-methods.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
  FST_ERR_VALIDATION: 'invalid_request',
};

/** Maps anything thrown to `{ ok: false, code, message }`; a 5xx never echoes internals. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const { status, code, message, fields } = error;
    return { status, body: { ok: false, code, message, ...(fields.length > 0 ? { fields } : {}) } };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    return {
      status: 400,
      body: { ok: false, code: 'invalid_request', message: fastifyError.message ?? 'invalid request' },
    };
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) {
    return {
      status: ERROR_STATUS[mapped],
      body: { ok: false, code: mapped, message: describe(mapped, error) },
    };
  }
  if (isStorageUnavailable(error)) {
    return {
      status: 503,
      body: { ok: false, code: 'unavailable', message: 'storage is unavailable; try again shortly' },
    };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return {
      status,
      body: { ok: false, code: 'invalid_request', message: fastifyError.message ?? 'bad request' },
    };
  }
  return { status: 500, body: { ok: false, code: 'internal_error', message: 'internal error' } };
}

function describe(code: ErrorCode, error: unknown): string {
  switch (code) {
    case 'payload_too_large':
      return 'request body is larger than this endpoint accepts';
    case 'unsupported_media_type':
      return 'send application/json (or application/x-www-form-urlencoded where accepted)';
    default:
      return error instanceof Error ? error.message : 'invalid request';
  }
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees one (a malformed or doubled Content-Length, an
 * address and headers over the limit, a request that stops arriving): answered in the API's shape and with
 * the security headers every other answer carries, then the connection closed. As Node's own answer does,
 * it is written only when no answer is under way on the connection (a pipelined bad request behind a live
 * stream): a status line in the middle of another answer's body would corrupt it.
 */
export function answerClientErrors(headers: Record<string, string>) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A reset connection is gone already: there is nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [code, message] = clientErrorAnswer(error.code);
    const status = ERROR_STATUS[code];
    const body = JSON.stringify({ ok: false, code, message } satisfies ErrorBody);
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const lines = [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        'connection: close',
        'content-type: application/json; charset=utf-8',
        `content-length: ${Buffer.byteLength(body)}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}

function clientErrorAnswer(parserCode: string | undefined): [ErrorCode, string] {
  switch (parserCode) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['request_timeout', 'the request did not arrive in time (REQUEST_TIMEOUT_S)'];
    case 'HPE_HEADER_OVERFLOW':
      return ['headers_too_large', "the request's address and headers are too large"];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return ['payload_too_large', "the body's chunk extensions are too large"];
    default:
      return ['invalid_request', 'the request is not valid HTTP/1.1'];
  }
}

/**
 * The router's own refusals, before any route or hook runs: a part of the path that is not valid
 * percent-encoding, or longer than a path parameter may be. Without this, Fastify answers them in a shape
 * of its own (`{ error, code: 'FST_ERR_BAD_URL', statusCode }`), and, since no hook runs, without the
 * security headers every other answer carries (`headers`).
 */
export function answerFrameworkErrors(headers: Record<string, string>) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    const message =
      error.code === 'FST_ERR_BAD_URL'
        ? 'a part of the address is not valid percent-encoding'
        : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a part of the address is longer than any id or name here'
          : undefined;
    const { status, body } = toErrorBody(message ? new AppError('invalid_request', message) : error);
    void reply.headers(headers).status(status).send(body);
  };
}

/** Answers a request no route matched, when it is a page the web app draws; undefined leaves it a 405/404. */
export type PageFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/** How long a refused request's unread body is still taken in after the answer, before the connection goes. */
const LINGER_MS = 5_000;

/**
 * A lingering close, as web servers do after refusing a body before reading it (over the limit, of a type
 * not taken): the answer goes, then this side of the connection, and what the client still sends is read
 * and dropped until it stops or LINGER_MS pass. Closed at once, the connection would meet the client's next
 * bytes with a reset, and a reset makes most clients drop the answer they had not read yet: they would see
 * a broken connection instead of a 413. Node closes an answer's connection with `destroySoon`.
 */
function lingerBeforeClosing(socket: Socket): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.resume();
  };
}

export function registerErrorHandling(app: FastifyInstance, pageFallback?: PageFallback): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorBody(error);
    // Only when the answer closes the connection (a body refused unread): on a kept-alive one, Node reads
    // the rest of the body itself.
    if (!request.raw.complete && !request.raw.destroyed && reply.getHeader('connection') === 'close') {
      lingerBeforeClosing(request.raw.socket);
    }
    if (status >= 500 && status !== 503) request.log.error({ err: error }, 'unhandled error');
    else if (status === 503 && !(error instanceof AppError) && !request.raw.destroyed) {
      // A client that hangs up mid-upload fails the body's read with ECONNRESET too: only a request still
      // connected says anything about storage.
      request.log.warn({ err: { message: (error as Error).message } }, 'storage unavailable');
    }
    if (status === 429 || status === 503) {
      reply.header('retry-after', String((error instanceof AppError && error.retryAfterSeconds) || 1));
    }
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const page = pageFallback?.(request, reply);
    if (page) return page;
    const path = request.url.split('?')[0];
    // A path the API has, asked with a method it does not take: a typo of the method, not of the address.
    // A route of this very method that found nothing to serve (a file of the API's docs) is a plain 404.
    const allowed = allowedMethods(app, request.url);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({
          ok: false,
          code: 'method_not_allowed',
          message: `${path} takes ${allowed.join(' or ')}, not ${request.method}`,
        } satisfies ErrorBody);
    }
    return reply.status(404).send({
      ok: false,
      code: 'not_found',
      message: `no route ${request.method} ${path}`,
    } satisfies ErrorBody);
  });
}
