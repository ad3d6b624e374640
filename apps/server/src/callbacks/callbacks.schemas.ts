import { type Static, Type } from 'typebox';
import { EVENT_PATTERN } from '../schemas.js';
import { TS_PATTERN } from './signature.js';

/** Printable ASCII without space, `&` or `=`: what keeps the canonical string unambiguous. */
export const TRACK_ID_PATTERN = "^[!-%'-<>-~]{1,128}$";

export const CallbackBodySchema = Type.Object(
  {
    track_id: Type.String({
      pattern: TRACK_ID_PATTERN,
      description: 'from the link the participant arrived by',
    }),
    event: Type.String({ pattern: EVENT_PATTERN, description: 'the task event, e.g. sign_up' }),
    remark: Type.Optional(
      Type.String({ maxLength: 512, description: 'names the unit of a counted task; signed when present' }),
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
export type CallbackBodyInput = Static<typeof CallbackBodySchema>;

export const CallbackAnswerSchema = Type.Object({
  ok: Type.Boolean(),
  code: Type.String({
    description:
      'recorded | completed | duplicate | verified (test track_id) | invalid_request | invalid_signature | stale_timestamp | unknown_track_id | unknown_event | giveaway_not_live | payload_too_large | unsupported_media_type | rate_limited',
  }),
  message: Type.String(),
  progress: Type.Optional(Type.Object({ count: Type.Integer(), required: Type.Integer() })),
  eligible: Type.Optional(Type.Boolean()),
});

export const CallbackLogEntrySchema = Type.Object({
  id: Type.Integer({ description: 'increasing; the live stream sends it as the event id' }),
  receivedAt: Type.String(),
  trackId: Type.Union([Type.String(), Type.Null()]),
  event: Type.Union([Type.String(), Type.Null()]),
  remark: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  detail: Type.String(),
  expectedCanonical: Type.Union([Type.String(), Type.Null()], {
    description: 'for invalid_signature: the exact string(s) that verify, one per line (never the key)',
  }),
  hint: Type.Union([Type.String(), Type.Null()], {
    description: 'a known integration mistake, when recognised',
  }),
});
