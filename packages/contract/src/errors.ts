import { type Static, Type } from 'typebox';

/** Every error code the API answers with, and its HTTP status: one place to read them all. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  forbidden: 403,
  cross_site_request: 403,
  not_found: 404,
  unknown_track_id: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  email_taken: 409,
  already_entered: 409,
  giveaway_not_live: 409,
  invalid_state: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_event: 422,
  unprocessable: 422,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The callback's answers that are not errors (200), `verified` being a test track_id's. */
export const CALLBACK_SUCCESS_CODES = ['recorded', 'completed', 'duplicate', 'verified'] as const;
export type CallbackSuccessCode = (typeof CALLBACK_SUCCESS_CODES)[number];

/** Every `code` an answer or a callback log row can carry. */
export type Code = ErrorCode | CallbackSuccessCode;

export const CODES = [...CALLBACK_SUCCESS_CODES, ...(Object.keys(ERROR_STATUS) as ErrorCode[])] as Code[];

// A string enum rather than a union of literals: the answer's serializer then writes it as a plain string.
export const CodeSchema = Type.Enum(CODES, {
  type: 'string',
  description: 'machine-readable code',
  examples: ['invalid_request'],
});

export const FieldErrorSchema = Type.Object({
  field: Type.String({
    description: "the body's field, by its path (items counted from 0)",
    examples: ['tasks.0.event'],
  }),
  message: Type.String({
    description: 'what is wrong with it, in its own name',
    examples: ['event is required'],
  }),
});
export type FieldError = Static<typeof FieldErrorSchema>;

export const ErrorSchema = Type.Object(
  {
    ok: Type.Literal(false),
    code: CodeSchema,
    message: Type.String({ description: 'what was wrong, for a person' }),
    fields: Type.Optional(
      Type.Array(FieldErrorSchema, {
        description: "on a body that does not fit the route's schema: each field's first problem, for a form",
      }),
    ),
  },
  { $id: 'Error' },
);
export type ErrorBody = Static<typeof ErrorSchema>;

/** The error answers of a route, one entry per status it can fail with. */
export const errorResponses = <const S extends number>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorSchema])) as Record<S, typeof ErrorSchema>;
