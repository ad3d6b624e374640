import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const notUtf8 = () => new AppError('invalid_request', 'the body is not valid UTF-8');

/**
 * A body is read as it comes: one sent compressed (`Content-Encoding: gzip`, say) would otherwise be
 * refused as bad JSON, or, labelled but not compressed, taken as if the label were not there.
 */
function encodingRefusal(request: FastifyRequest): AppError | undefined {
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') return undefined;
  return new AppError(
    'unsupported_media_type',
    `a body with Content-Encoding ${encoding} is not taken: send it uncompressed, without Content-Encoding`,
  );
}

/**
 * JSON bodies must be valid UTF-8: decoding bad bytes to U+FFFD would make two different remarks one and
 * a signature over them ambiguous.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const refused = encodingRefusal(request);
    if (refused) return done(refused, undefined);
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) return done(notUtf8(), undefined);
    parseJson(request, bytes.toString('utf8'), done);
  });
}

/**
 * `application/x-www-form-urlencoded`, strictly: UTF-8 bytes and percent-escapes that decode to UTF-8.
 * A repeated key becomes an array, which the schema then refuses.
 */
export function registerFormParser(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit },
    (request, body, done) => {
      const refused = encodingRefusal(request);
      if (refused) return done(refused, undefined);
      const bytes = body as Buffer;
      if (!isUtf8(bytes)) return done(notUtf8(), undefined);
      try {
        done(null, parseForm(bytes.toString('utf8')));
      } catch {
        done(
          new AppError('invalid_request', 'the form body has a percent-escape that is not valid UTF-8'),
          undefined,
        );
      }
    },
  );
}

export function parseForm(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const decode = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
    const key = decode(at === -1 ? pair : pair.slice(0, at));
    const value = at === -1 ? '' : decode(pair.slice(at + 1));
    const existing = fields[key];
    fields[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return fields;
}
