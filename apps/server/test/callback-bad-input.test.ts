import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  join,
  liveGiveaway,
  postCallback,
  type SignedCallback,
  signedCallback,
  startServer,
  trackIdFor,
} from './support.js';

/**
 * Hostile and broken callbacks, over HTTP. Each one must be answered with a 4xx in the contract's
 * `{ ok: false, code, message }` shape and must leave the participant's progress exactly as it was.
 * Where a field can be signed, the bad callback is otherwise valid and correctly signed, so that a
 * missing shape check shows up as progress counted rather than going unnoticed.
 */

const server = await startServer();
const giveaway = await liveGiveaway(server, {
  tasks: [{ event: 'sign_up' }, { event: 'like_article', requiredAmount: 3 }],
});
const participant = await join(server, giveaway.slug);
const likeTask = giveaway.tasks.find((t) => t.event === 'like_article');
if (!likeTask) throw new Error('the fixture has no like_article task');
const trackId = await trackIdFor(server, participant, likeTask.id);
const { apiKey } = giveaway;

/** Would count one like if the server let it through: every bad case below is one step away from it. */
const good = signedCallback(apiKey, trackId, 'like_article', 'article-7');
const withoutField = (field: keyof SignedCallback) => {
  const { [field]: _dropped, ...rest } = good;
  return rest;
};
/** The signature of a like_article callback with this remark, for bodies built by hand. */
const signLike = (remark: string) => signedCallback(apiKey, trackId, 'like_article', remark).sign;
const HEX_64 = 'ab'.repeat(32);
const UNKNOWN_TRACK_ID = 'no-such-track-id';

type Expected = { status: number; code: string };
type Send = { payload: string | Buffer; headers: Record<string, string> };
type BadCallback = {
  name: string;
  send: Send;
  /** Several answers are listed only where the contract leaves the choice open; the first is preferred. */
  expect: Expected | readonly Expected[];
};

const invalidRequest: Expected = { status: 400, code: 'invalid_request' };
const tooLarge: Expected = { status: 413, code: 'payload_too_large' };
const unsupportedMediaType: Expected = { status: 415, code: 'unsupported_media_type' };
const unknownTrackId: Expected = { status: 404, code: 'unknown_track_id' };
const invalidSignature: Expected = { status: 401, code: 'invalid_signature' };

const rawJson = (payload: string | Buffer, headers: Record<string, string> = {}): Send => ({
  payload,
  headers: { 'content-type': 'application/json', ...headers },
});
const asJson = (value: unknown, headers: Record<string, string> = {}) =>
  rawJson(JSON.stringify(value), headers);
const asForm = (text: string): Send => ({
  payload: text,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
/** A JSON object text with one member appended verbatim, for what JSON.stringify cannot write. */
const jsonWithRawMember = (fields: object, member: string) =>
  rawJson(`${JSON.stringify(fields).slice(0, -1)},${member}}`);

const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const wrongTypes: readonly [label: string, value: (right: string) => unknown][] = [
  ['a number', () => 42],
  // The right value wrapped: what a form parser hands over for a repeated key.
  ['an array', (right) => [right]],
  ['an object', (right) => ({ value: right })],
  ['a boolean', () => true],
  ['null', () => null],
];

const wrongTypeCases: BadCallback[] = (['track_id', 'event', 'remark', 'sign'] as const).flatMap((field) =>
  wrongTypes.map(([label, value]) => ({
    name: `${field} is ${label}`,
    send: asJson({ ...good, [field]: value(good[field] ?? '') }),
    expect: invalidRequest,
  })),
);

/** A remark that is not UTF-8: 0xFF and 0xFE can appear nowhere in UTF-8 text. */
const invalidUtf8Remark = Buffer.concat([
  Buffer.from(JSON.stringify({ ...good, remark: undefined, sign: undefined }).slice(0, -1)),
  Buffer.from(',"remark":"a'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('b","sign":"'),
  // Signed over the text a lossy UTF-8 decoder makes of it, so that decoding instead of rejecting counts it.
  Buffer.from(signLike('a\ufffd\ufffdb')),
  Buffer.from('"}'),
]);

const cases: BadCallback[] = [
  // The body is not a JSON object.
  { name: 'a body that is not JSON', send: rawJson('{"track_id": kq3V9'), expect: invalidRequest },
  { name: 'an empty body', send: rawJson('', { 'content-length': '0' }), expect: invalidRequest },
  {
    name: 'a truncated JSON object',
    send: rawJson(JSON.stringify(good).slice(0, -2)),
    expect: invalidRequest,
  },
  {
    name: 'a JSON object followed by garbage',
    send: rawJson(`${JSON.stringify(good)}x`),
    expect: invalidRequest,
  },
  { name: 'a JSON array holding a valid callback', send: asJson([good]), expect: invalidRequest },
  {
    name: 'a JSON string holding the canonical string',
    send: asJson(`track_id=${trackId}&event=like_article`),
    expect: invalidRequest,
  },
  { name: 'JSON null', send: rawJson('null'), expect: invalidRequest },
  { name: 'a JSON number', send: rawJson('42'), expect: invalidRequest },

  // Missing fields.
  { name: 'no track_id', send: asJson(withoutField('track_id')), expect: invalidRequest },
  { name: 'no event', send: asJson(withoutField('event')), expect: invalidRequest },
  { name: 'no sign', send: asJson(withoutField('sign')), expect: invalidRequest },

  // Wrong types (remark as a number among them).
  ...wrongTypeCases,

  // event outside ^[A-Za-z0-9_.:-]{1,64}$, each correctly signed.
  {
    name: 'an event with a space',
    send: asJson(signedCallback(apiKey, trackId, 'like article', 'r')),
    expect: invalidRequest,
  },
  {
    name: 'an event with a slash',
    send: asJson(signedCallback(apiKey, trackId, 'like/article', 'r')),
    expect: invalidRequest,
  },
  {
    name: 'an event of 65 characters',
    send: asJson(signedCallback(apiKey, trackId, 'e'.repeat(65), 'r')),
    expect: invalidRequest,
  },
  { name: 'an empty event', send: asJson(signedCallback(apiKey, trackId, '', 'r')), expect: invalidRequest },
  // `&` in event would let "event=a&remark=b" be signed as two different bodies.
  {
    name: 'an event with &',
    send: asJson(signedCallback(apiKey, trackId, 'like_article&remark=x')),
    expect: invalidRequest,
  },

  // track_id: at most 128 printable characters, no `&` or `=`.
  {
    name: 'a track_id with &',
    send: asJson(signedCallback(apiKey, `${trackId}&x`, 'like_article')),
    expect: invalidRequest,
  },
  {
    name: 'a track_id with =',
    send: asJson(signedCallback(apiKey, `${trackId}=x`, 'like_article')),
    expect: invalidRequest,
  },
  {
    name: 'a track_id of 129 characters',
    send: asJson(signedCallback(apiKey, 't'.repeat(129), 'like_article')),
    expect: invalidRequest,
  },
  {
    name: 'a track_id with a space',
    send: asJson(signedCallback(apiKey, `${trackId} `, 'like_article')),
    expect: invalidRequest,
  },
  {
    name: 'a non-ASCII track_id',
    send: asJson(signedCallback(apiKey, `${trackId}é`, 'like_article')),
    expect: invalidRequest,
  },
  {
    name: 'an empty track_id',
    send: asJson(signedCallback(apiKey, '', 'like_article')),
    expect: invalidRequest,
  },
  {
    name: 'a track_id carrying a header line (CR LF)',
    send: asJson(signedCallback(apiKey, `${trackId}\r\nX-Injected: 1`, 'like_article')),
    expect: invalidRequest,
  },

  // remark and sign lengths.
  {
    name: 'a remark of 513 characters',
    send: asJson(signedCallback(apiKey, trackId, 'like_article', 'r'.repeat(513))),
    expect: invalidRequest,
  },
  { name: 'an empty sign', send: asJson({ ...good, sign: '' }), expect: invalidRequest },
  {
    name: 'a sign of 257 characters',
    send: asJson({ ...good, sign: 'a'.repeat(257) }),
    expect: invalidRequest,
  },

  // Size: the callback route accepts 16 KiB.
  { name: 'a sign of 1 MB', send: asJson({ ...good, sign: 'a'.repeat(1024 * 1024) }), expect: tooLarge },
  {
    name: 'a valid callback padded past 16 KiB',
    send: asJson({ ...good, padding: 'p'.repeat(16 * 1024) }),
    expect: tooLarge,
  },

  // Deep nesting: 10,000 levels cannot fit in 16 KiB; the shallower ones fit and reach the parser.
  { name: 'arrays nested 10,000 deep as the body', send: rawJson(deepArray(10_000)), expect: tooLarge },
  { name: 'objects nested 10,000 deep as the body', send: rawJson(deepObject(10_000)), expect: tooLarge },
  {
    name: 'arrays nested 10,000 deep as the remark',
    send: jsonWithRawMember(withoutField('remark'), `"remark":${deepArray(10_000)}`),
    expect: tooLarge,
  },
  {
    name: 'objects nested 10,000 deep as the remark',
    send: jsonWithRawMember(withoutField('remark'), `"remark":${deepObject(10_000)}`),
    expect: tooLarge,
  },
  { name: 'arrays nested 8,000 deep as the body', send: rawJson(deepArray(8_000)), expect: invalidRequest },
  { name: 'objects nested 2,500 deep as the body', send: rawJson(deepObject(2_500)), expect: invalidRequest },
  {
    name: 'arrays nested 7,000 deep as the remark',
    send: jsonWithRawMember(withoutField('remark'), `"remark":${deepArray(7_000)}`),
    expect: invalidRequest,
  },
  {
    name: 'objects nested 2,000 deep as the remark',
    send: jsonWithRawMember(withoutField('remark'), `"remark":${deepObject(2_000)}`),
    expect: invalidRequest,
  },
  {
    name: 'objects nested 2,000 deep in an extra field, with a bad signature',
    send: jsonWithRawMember({ ...good, sign: HEX_64 }, `"extra":${deepObject(2_000)}`),
    expect: invalidSignature,
  },

  // Strings with no faithful UTF-8 form, signed as Node would encode them.
  {
    name: 'a lone surrogate in remark',
    send: jsonWithRawMember({ ...good, remark: undefined, sign: signLike('\ud800') }, '"remark":"\\ud800"'),
    expect: invalidRequest,
  },
  {
    name: 'a lone surrogate in a key',
    send: jsonWithRawMember(good, '"\\udc00":"x"'),
    expect: invalidRequest,
  },
  {
    name: 'a NUL character in remark',
    send: asJson(signedCallback(apiKey, trackId, 'like_article', 'a\u0000b')),
    expect: invalidRequest,
  },
  {
    name: 'a NUL character in event',
    send: asJson(signedCallback(apiKey, trackId, 'like_article\u0000', 'r')),
    expect: invalidRequest,
  },
  {
    name: 'a NUL character in track_id',
    send: asJson(signedCallback(apiKey, `${trackId}\u0000`, 'like_article')),
    expect: invalidRequest,
  },

  // SQL in track_id: bound as a parameter, so it is just an unknown id (or a malformed one).
  {
    name: "a track_id of x' OR '1'='1 (has =)",
    send: asJson(signedCallback(apiKey, "x' OR '1'='1", 'like_article')),
    expect: invalidRequest,
  },
  {
    name: "a track_id of x';DROP TABLE participants;-- (has spaces)",
    send: asJson(signedCallback(apiKey, "x';DROP TABLE participants;--", 'like_article')),
    expect: invalidRequest,
  },
  {
    name: "a shape-valid track_id of x';DROP/**/TABLE/**/participants;--",
    send: asJson(signedCallback(apiKey, "x';DROP/**/TABLE/**/participants;--", 'like_article')),
    expect: unknownTrackId,
  },
  {
    name: 'a track_id of % (a LIKE wildcard)',
    send: asJson(signedCallback(apiKey, '%', 'like_article')),
    expect: unknownTrackId,
  },

  // Prototype pollution.
  {
    name: 'a __proto__ member',
    send: jsonWithRawMember(good, '"__proto__":{"x":1}'),
    expect: invalidRequest,
  },
  {
    name: 'a constructor.prototype member',
    send: jsonWithRawMember(good, '"constructor":{"prototype":{"x":1}}'),
    expect: invalidRequest,
  },

  // Media types: JSON, and form bodies for browsers' plain forms; nothing else.
  {
    name: 'a text/plain body',
    send: { payload: JSON.stringify(good), headers: { 'content-type': 'text/plain' } },
    expect: unsupportedMediaType,
  },
  {
    name: 'an application/xml body',
    send: { payload: '<callback/>', headers: { 'content-type': 'application/xml' } },
    expect: unsupportedMediaType,
  },
  {
    name: 'a gzip-compressed body',
    send: rawJson(gzipSync(JSON.stringify(good)), { 'content-encoding': 'gzip' }),
    expect: unsupportedMediaType,
  },
  {
    name: 'a plain body labelled gzip',
    send: rawJson(JSON.stringify(good), { 'content-encoding': 'gzip' }),
    expect: unsupportedMediaType,
  },
  {
    name: 'a body without a content type',
    send: { payload: JSON.stringify(good), headers: {} },
    expect: unsupportedMediaType,
  },
  {
    name: 'a form body with track_id twice',
    send: asForm(`track_id=${trackId}&track_id=${trackId}&event=like_article&sign=${good.sign}`),
    expect: invalidRequest,
  },
  {
    name: 'a shape-valid form body with an unknown track_id',
    send: asForm(`track_id=${UNKNOWN_TRACK_ID}&event=like_article&sign=${HEX_64}`),
    expect: unknownTrackId,
  },
  {
    name: 'a form body with a percent-encoded NUL in remark',
    send: asForm(`track_id=${trackId}&event=like_article&remark=%00&sign=${signLike('\u0000')}`),
    expect: invalidRequest,
  },
  // WHATWG decodes %FF to U+FFFD; a parser that keeps the text "%FF" instead reads a remark never sent.
  {
    name: 'a form body with percent-encoded invalid UTF-8 in remark',
    send: asForm(`track_id=${trackId}&event=like_article&remark=%FF&sign=${signLike('%FF')}`),
    expect: invalidRequest,
  },

  // Duplicate JSON keys: JSON.parse keeps the last, and the signature covers the first.
  {
    name: 'a duplicate event key',
    send: jsonWithRawMember(good, '"event":"sign_up"'),
    expect: [invalidRequest, invalidSignature],
  },
  {
    name: 'a duplicate track_id key naming an unknown track',
    send: jsonWithRawMember(good, `"track_id":"${UNKNOWN_TRACK_ID}"`),
    expect: [invalidRequest, unknownTrackId],
  },

  // Long header values around a callback whose signature is wrong.
  {
    name: 'an Origin header of 64 KiB',
    send: asJson({ ...good, sign: HEX_64 }, { origin: `https://${'o'.repeat(64 * 1024)}.example` }),
    expect: invalidSignature,
  },
  {
    name: 'a content type with 2,000 parameters',
    send: rawJson(JSON.stringify({ ...good, sign: HEX_64 }), {
      'content-type': `application/json; ${Array.from({ length: 2_000 }, (_, i) => `p${i}=v`).join('; ')}`,
    }),
    expect: invalidSignature,
  },
  {
    name: 'a content-length smaller than the body',
    send: rawJson(JSON.stringify(good), { 'content-length': '10' }),
    expect: invalidRequest,
  },

  // Encoding. RFC 8259 lets a parser ignore a BOM, so past it the wrong signature may be what is reported.
  {
    name: 'a UTF-8 BOM before the JSON',
    send: rawJson(`\ufeff${JSON.stringify({ ...good, sign: HEX_64 })}`),
    expect: [invalidRequest, invalidSignature],
  },
  // Decoding bad bytes to U+FFFD would make two different remarks one unit, and the signed text ambiguous.
  { name: 'invalid UTF-8 bytes in remark', send: rawJson(invalidUtf8Remark), expect: invalidRequest },
  {
    name: 'invalid UTF-8 bytes in track_id',
    send: rawJson(
      Buffer.concat([
        Buffer.from(`{"track_id":"${trackId}`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(`","event":"like_article","sign":"${HEX_64}"}`),
      ]),
    ),
    expect: invalidRequest,
  },
];

async function countRows(table: 'progress_units' | 'task_progress'): Promise<number> {
  const row = await server.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What a bad callback must not change: the participant's view and the rows behind it. */
async function progressState() {
  const me = await server.request({
    method: 'GET',
    url: `/api/v1/giveaways/${giveaway.slug}/entries/me`,
    headers: bearer(participant.token),
  });
  expect(me.statusCode).toBe(200);
  return {
    me: me.json(),
    progressUnits: await countRows('progress_units'),
    taskProgress: await countRows('task_progress'),
  };
}

function taskProgress(state: Awaited<ReturnType<typeof progressState>>, event: string) {
  const task = state.me.tasks.find((t: { event: string }) => t.event === event);
  return { count: task.count, completed: task.completed };
}

describe('POST /api/callback with malformed input', () => {
  it('counts a valid callback first, so that "unchanged" below means something', async () => {
    const res = await postCallback(server, signedCallback(apiKey, trackId, 'like_article', 'seed'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, code: 'recorded', progress: { count: 1, required: 3 } });
  });

  it('has at least 30 distinct bad callbacks', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const badCallback of cases) {
    const accepted = [badCallback.expect].flat();
    const answers = accepted.map((e) => `${e.status} ${e.code}`);
    it(`answers ${answers.join(' or ')} and changes nothing: ${badCallback.name}`, async () => {
      const before = await progressState();

      const res = await postCallback(server, badCallback.send.payload, badCallback.send.headers);

      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json();
      expect(body).toEqual({ ok: false, code: expect.any(String), message: expect.any(String) });
      expect(body.message.length).toBeGreaterThan(0);
      expect(`${res.statusCode} ${body.code}`).toBeOneOf(answers);

      expect(await progressState()).toEqual(before);
      expect(Object.prototype).not.toHaveProperty('x');
    });
  }

  it('still answers a valid callback afterwards, counts it once and keeps the rows consistent', async () => {
    const before = await progressState();
    // sign_up is a task no bad callback above could have counted, so its answer is known exactly.
    const signUp = signedCallback(apiKey, trackId, 'sign_up');

    const res = await postCallback(server, signUp);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, code: 'completed', progress: { count: 1, required: 1 } });

    const after = await progressState();
    expect(taskProgress(after, 'sign_up')).toEqual({ count: 1, completed: true });
    expect(taskProgress(after, 'like_article')).toEqual(taskProgress(before, 'like_article'));
    expect(after.progressUnits).toBe(before.progressUnits + 1);
    expect(after.taskProgress).toBe(before.taskProgress + 1);

    const retry = await postCallback(server, signUp);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ ok: true, code: 'duplicate' });
    expect(await progressState()).toEqual(after);
  });
});

describe('a callback with a key that could reach a prototype', () => {
  it('is refused by the key it has, not as JSON that is not valid', async () => {
    for (const [member, key] of [
      ['"__proto__":{"x":1}', '__proto__'],
      ['"\\u005f_proto__":{"x":1}', '__proto__'],
      ['"constructor":{"prototype":{"x":1}}', 'constructor.prototype'],
      ['"meta":[{"constructor":{"prototype":{}}}]', 'constructor.prototype'],
    ]) {
      const { payload, headers } = jsonWithRawMember(good, member);
      const res = await postCallback(server, payload, headers);
      expect(res.statusCode, member).toBe(400);
      expect(res.json(), member).toEqual({
        ok: false,
        code: 'invalid_request',
        message: `the body has a ${key} key, which is not accepted`,
      });
    }
    const broken = await postCallback(server, '{"__proto__":', { 'content-type': 'application/json' });
    expect(broken.json()).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/not valid JSON/),
    });
  });
});

describe("a malformed callback naming a deleted project's track_id", () => {
  it('is the 400 of any track_id that names nothing, even when the track_id was cached', async () => {
    const own = await startServer();
    const fixture = await liveGiveaway(own, { tasks: [{ event: 'like_article', requiredAmount: 3 }] });
    const fan = await join(own, fixture.slug);
    const ownTrackId = await trackIdFor(own, fan, fixture.tasks[0]?.id as string);
    // A counted callback caches the track_id's facts.
    const counted = await postCallback(own, signedCallback(fixture.apiKey, ownTrackId, 'like_article', 'a'));
    expect(counted.statusCode).toBe(200);
    const auth = bearer(fixture.host.token);
    await own.request({ method: 'POST', url: `/api/v1/giveaways/${fixture.giveawayId}/end`, headers: auth });
    const deleted = await own.request({
      method: 'DELETE',
      url: `/api/v1/projects/${fixture.projectId}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);

    const malformed = await postCallback(own, { track_id: ownTrackId, event: 42, sign: 'x' });
    expect(malformed.statusCode, malformed.body).toBe(400);
    expect(malformed.json()).toMatchObject({ ok: false, code: 'invalid_request' });
    const signed = await postCallback(own, signedCallback(fixture.apiKey, ownTrackId, 'like_article', 'b'));
    expect(signed.statusCode, signed.body).toBe(404);
  });
});
