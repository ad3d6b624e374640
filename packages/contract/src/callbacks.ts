import { type Static, Type } from 'typebox';
import { EMAIL_MAX_LENGTH, EVENT_MESSAGE, EVENT_PATTERN, EventSchema, nullable } from './common.js';

/** The longest remark a callback may send. */
export const REMARK_MAX_LENGTH = 512;

import { CALLBACK_SUCCESS_CODES, CODES, type Code, CodeSchema } from './errors.js';

/** Printable ASCII without space, `&` or `=`: what keeps the canonical string unambiguous. */
export const TRACK_ID_PATTERN = "^[!-%'-<>-~]{1,128}$";

/** A v2 callback's `ts` as the canonical string spells it: whole unix seconds, no sign, no leading zero. */
export const TS_PATTERN = '^(0|[1-9][0-9]{0,10})$';

export const CallbackBodySchema = Type.Object(
  {
    track_id: Type.String({
      pattern: TRACK_ID_PATTERN,
      errorMessage:
        'must be the track_id from the link the participant arrived by: 1–128 characters, no spaces, & or =',
      description: 'from the link the participant arrived by',
    }),
    event: Type.String({
      pattern: EVENT_PATTERN,
      errorMessage: EVENT_MESSAGE,
      description: 'the task event, e.g. sign_up',
    }),
    remark: Type.Optional(
      Type.String({
        maxLength: REMARK_MAX_LENGTH,
        description: 'names the unit of a counted task; signed when present',
      }),
    ),
    sign: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'hex(HMAC-SHA256(key = API key, message = canonical string))',
    }),
    ts: Type.Optional(
      Type.Union(
        [Type.Integer({ minimum: 0, maximum: 99_999_999_999 }), Type.String({ pattern: TS_PATTERN })],
        {
          errorMessage: 'must be the unix time in seconds, as a number or its digits',
          description:
            'v2 signature: the unix time in seconds when the callback was signed, appended to the canonical string as "&ts=" + ts; refused (401 stale_timestamp) beyond ±5 minutes of the server clock',
        },
      ),
    ),
  },
  {
    description:
      'canonical = "track_id=" + track_id + "&event=" + event [+ "&remark=" + remark when the body has remark] [+ "&ts=" + ts when the body has ts (v2)]',
    examples: [
      { track_id: 'kq3V9xYh2bQmR7tLp0sWfA', event: 'sign_up', remark: 'order-42', sign: '<64 hex>' },
    ],
  },
);
export type CallbackBody = Static<typeof CallbackBodySchema>;

export const CallbackAnswerSchema = Type.Object({
  ok: Type.Boolean(),
  code: CodeSchema,
  message: Type.String(),
  progress: Type.Optional(Type.Object({ count: Type.Integer(), required: Type.Integer() })),
  eligible: Type.Optional(Type.Boolean()),
});
export type CallbackAnswer = Static<typeof CallbackAnswerSchema>;

/**
 * The codes of a callback's answers that a retry would not change, success or refusal: what a sender acts
 * on. The others ask it to try again (`rate_limited`, `unavailable`) or come from something else answering.
 */
export const CALLBACK_VERDICT_CODES = [
  ...CALLBACK_SUCCESS_CODES,
  'invalid_request',
  'invalid_signature',
  'stale_timestamp',
  'unknown_track_id',
  'giveaway_not_live',
  'unknown_event',
  'payload_too_large',
  'unsupported_media_type',
] as const satisfies readonly Code[];
export type CallbackVerdictCode = (typeof CALLBACK_VERDICT_CODES)[number];

/** A callback's answer once no retry would change it (see `CALLBACK_VERDICT_CODES`). */
export type CallbackVerdict = {
  [K in keyof CallbackAnswer]: K extends 'code' ? CallbackVerdictCode : CallbackAnswer[K];
};

export const CallbackLogEntrySchema = Type.Object({
  id: Type.Integer({ description: 'increasing; the live stream sends it as the event id' }),
  receivedAt: Type.String(),
  trackId: Type.Union([Type.String(), Type.Null()]),
  event: Type.Union([Type.String(), Type.Null()]),
  remark: Type.Union([Type.String(), Type.Null()]),
  code: CodeSchema,
  detail: Type.String(),
  expectedCanonical: Type.Union([Type.String(), Type.Null()], {
    description: 'for invalid_signature: the exact string(s) that verify, one per line (never the key)',
  }),
  hint: Type.Union([Type.String(), Type.Null()], {
    description: 'a known integration mistake, when recognised',
  }),
});
export type CallbackLogEntry = Static<typeof CallbackLogEntrySchema>;

/**
 * The codes a project's log holds: a callback's verdicts and its rate limit. A body too large or of another
 * type never names its track_id, so it is logged for no project.
 */
export const CALLBACK_LOG_CODES = [
  ...CALLBACK_VERDICT_CODES.filter(
    (code) => code !== 'payload_too_large' && code !== 'unsupported_media_type',
  ),
  'rate_limited',
] as Code[];

/** A callback the sender was told was taken (a 200), or refused. */
export const CALLBACK_LOG_OUTCOMES = ['accepted', 'refused'] as const;
export type CallbackLogOutcome = (typeof CALLBACK_LOG_OUTCOMES)[number];

/**
 * How many of a project's newest rows (older than `before`) one filtered read looks through. A filter
 * matching few rows of a long log would otherwise read the whole log; `nextBefore` goes on from there.
 */
export const CALLBACK_LOG_SCAN = 5_000;

export const CallbackLogQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 999_999_999_999_999,
      description: "only rows older than this id: the last page's nextBefore",
    }),
  ),
  outcome: Type.Optional(
    Type.Enum(CALLBACK_LOG_OUTCOMES, {
      type: 'string',
      errorMessage: `must be one of ${CALLBACK_LOG_OUTCOMES.join(', ')}`,
      description:
        'accepted: answered 200 (counted, completed, duplicate, verified); refused: any other answer',
    }),
  ),
  code: Type.Optional(
    Type.Enum(CALLBACK_LOG_CODES, {
      type: 'string',
      errorMessage: 'must be a code a callback can be answered with, e.g. invalid_signature',
      description: 'only rows with this code',
    }),
  ),
  trackId: Type.Optional(
    Type.String({
      pattern: TRACK_ID_PATTERN,
      errorMessage: 'must be a track_id: 1–128 characters, no spaces, & or =',
      description: 'only callbacks that named this track_id',
    }),
  ),
  remark: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: REMARK_MAX_LENGTH,
      errorMessage: `must be a remark as a callback sent it: 1–${REMARK_MAX_LENGTH} characters`,
      description: 'only callbacks with this remark (an order or article id, say)',
    }),
  ),
  email: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: EMAIL_MAX_LENGTH,
      description:
        "only callbacks that named a track_id of this participant's entries, in any giveaway of the project (any case)",
    }),
  ),
});
export type CallbackLogQuery = Static<typeof CallbackLogQuerySchema>;
export type CallbackLogFilter = Pick<CallbackLogQuery, 'outcome' | 'code' | 'trackId' | 'remark' | 'email'>;

/** The codes of each outcome: accepted are the answers with `ok: true`. */
export function codesOfOutcome(outcome: CallbackLogOutcome): Code[] {
  const accepted = outcome === 'accepted';
  return CODES.filter((code) => (CALLBACK_SUCCESS_CODES as readonly Code[]).includes(code) === accepted);
}

/** Whether a row is one a filtered log shows: the live stream sends every row, a filtered console keeps these. */
export function callbackLogMatches(
  entry: Pick<CallbackLogEntry, 'code' | 'trackId' | 'remark'>,
  filter: CallbackLogFilter,
  /** What an `email` filter stands for: the log's answer says (`trackIds`). */
  emailTrackIds: readonly string[] = [],
) {
  if (filter.code !== undefined && entry.code !== filter.code) return false;
  if (filter.email !== undefined && (entry.trackId === null || !emailTrackIds.includes(entry.trackId)))
    return false;
  if (filter.trackId !== undefined && entry.trackId !== filter.trackId) return false;
  if (filter.remark !== undefined && entry.remark !== filter.remark) return false;
  return filter.outcome === undefined || codesOfOutcome(filter.outcome).includes(entry.code);
}

export const CallbackLogSchema = Type.Object({
  callbacks: Type.Array(CallbackLogEntrySchema),
  newestId: Type.Integer({
    description:
      "the project's newest row when this was read, whatever the filter (0 when none): a live view follows the events stream from it",
  }),
  nextBefore: nullable(Type.Integer(), {
    description: `pass as before to read on, older: null once no older row is left. A filtered read looks through at most ${CALLBACK_LOG_SCAN} rows, so a page may hold fewer than limit, or none, and still have a nextBefore`,
  }),
  trackIds: Type.Optional(
    Type.Array(Type.String(), {
      description: "with email: the track_ids of that participant's entries, which the filter stands for",
    }),
  ),
});
export type CallbackLog = Static<typeof CallbackLogSchema>;

export const LastEventIdHeadersSchema = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({ pattern: '^[0-9]{1,15}$', errorMessage: 'must be the id of a log row (digits)' }),
  ),
});

export const CallbackEventsQuerySchema = Type.Object({
  after: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 999_999_999_999_999,
      description:
        'start after this row, as Last-Event-ID does (a browser cannot set that header on its first connection); the header wins when both are sent',
    }),
  ),
});

export const EventStreamSchema = Type.String({ description: 'text/event-stream' });

export const CallbackTestInputSchema = Type.Optional(
  Type.Object(
    {
      websiteId: Type.Optional(
        Type.String({ maxLength: 64, description: "default: the project's first website" }),
      ),
      event: Type.Optional(EventSchema),
    },
    { additionalProperties: false },
  ),
);
export type CallbackTestInput = Static<typeof CallbackTestInputSchema>;

export const CallbackTestSchema = Type.Object({
  trackId: Type.String(),
  link: Type.String(),
  websiteId: Type.String(),
  event: Type.String(),
});
export type CallbackTest = Static<typeof CallbackTestSchema>;
