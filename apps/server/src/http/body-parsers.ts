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
    const text = bytes.toString('utf8');
    parseJson(request, text, (error, value) =>
      error ? done(prototypeKeyRefusal(text) ?? error, undefined) : done(null, value),
    );
  });
}

/**
 * Fastify's parser refuses a `__proto__` key, and a `constructor` key holding a `prototype` key (merged into
 * an object, either could reach its prototype), with the words it has for broken JSON. Valid JSON is told
 * what is wrong with it instead. Only a refused body is read again.
 */
function prototypeKeyRefusal(text: string): AppError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const key = prototypeKey(value);
  return key === undefined
    ? undefined
    : new AppError('invalid_request', `the body has a ${key} key, which is not accepted`);
}

/**
 * The first such key, looked for breadth first as Fastify's parser does, and without recursion: a body
 * nested thousands deep would overflow the stack.
 */
function prototypeKey(root: unknown): string | undefined {
  const queue = [root];
  for (const node of queue) {
    if (typeof node !== 'object' || node === null) continue;
    if (Object.hasOwn(node, '__proto__')) return '__proto__';
    const held: unknown = Object.hasOwn(node, 'constructor') && Reflect.get(node, 'constructor');
    if (typeof held === 'object' && held !== null && Object.hasOwn(held, 'prototype')) {
      return 'constructor.prototype';
    }
    for (const child of Object.values(node)) queue.push(child);
  }
  return undefined;
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
