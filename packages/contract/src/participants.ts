import { type Static, type TArray, Type } from 'typebox';
import { EmailSchema, nullable } from './common.js';
import { WinnerPrizeSchema } from './giveaways.js';

export const EntryInputSchema = Type.Object(
  {
    email: EmailSchema,
    altcha: Type.Optional(
      Type.String({
        maxLength: 4096,
        description:
          'for a giveaway with entryChallenge "pow": the ALTCHA widget\'s value, base64 of {challenge, solution}',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EntryInput = Static<typeof EntryInputSchema>;

export const EntrySchema = Type.Object({
  participantId: Type.String(),
  token: Type.String({ description: "the participant's bearer token; also set as a cookie" }),
  verified: Type.Boolean({
    description: 'false: the giveaway verifies emails and this address is not proven yet (see message)',
  }),
  message: Type.Optional(Type.String({ description: 'what to do next, when there is something' })),
});
export type Entry = Static<typeof EntrySchema>;

/** A join with an address that entered a giveaway that verifies emails: a link went to that address. */
export const LinkMailedSchema = Type.Object({
  ok: Type.Literal(true),
  verified: Type.Literal(false),
  message: Type.String(),
});
export type LinkMailed = Static<typeof LinkMailedSchema>;

export const EntryLinkInputSchema = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200, description: 'from the link: #verify=<token>' }) },
  { additionalProperties: false },
);
export type EntryLinkInput = Static<typeof EntryLinkInputSchema>;

export const LinkRequestSchema = Type.Object({ email: EmailSchema }, { additionalProperties: false });
export type LinkRequest = Static<typeof LinkRequestSchema>;

export const LinkRequestedSchema = Type.Object({ ok: Type.Literal(true), message: Type.String() });
export type LinkRequested = Static<typeof LinkRequestedSchema>;

/** An ALTCHA PoW v2 challenge, as its widget reads it from its `challenge` URL. */
export const PowChallengeSchema = Type.Object(
  {
    parameters: Type.Object(
      {
        algorithm: Type.String(),
        nonce: Type.String(),
        salt: Type.String(),
        cost: Type.Integer(),
        keyLength: Type.Integer(),
        keyPrefix: Type.String(),
        expiresAt: Type.Optional(Type.Integer({ description: 'unix seconds' })),
        data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      },
      { additionalProperties: true },
    ),
    signature: Type.Optional(Type.String()),
  },
  { description: 'an ALTCHA PoW v2 challenge, as its widget reads it' },
);
export type PowChallenge = Static<typeof PowChallengeSchema>;

export const TaskProgressSchema = Type.Object({
  taskId: Type.String(),
  event: Type.String(),
  name: Type.String(),
  requiredAmount: Type.Integer(),
  count: Type.Integer(),
  completed: Type.Boolean(),
});
export type TaskProgress = Static<typeof TaskProgressSchema>;

export const MyEntrySchema = Type.Object({
  participantId: Type.String(),
  email: Type.String({ description: 'the address this entry was made with' }),
  eligible: Type.Boolean({ description: 'every task done, and the address proven when that is required' }),
  verified: Type.Boolean({ description: 'the address is proven by an emailed link' }),
  verificationRequired: Type.Boolean({
    description: 'the giveaway counts the entry only once its address is proven',
  }),
  finishedRank: nullable(
    Type.Integer({
      minimum: 1,
      description:
        'a first-come giveaway: the place in which this entry became eligible (1: first), which its winners are the first of; null in a lucky draw, or until eligible',
    }),
  ),
  tasks: Type.Array(TaskProgressSchema),
});
export type MyEntry = Static<typeof MyEntrySchema>;

/** This browser's entry in a giveaway, if it joined: a page asks this without a refusal for "not yet". */
export const MyEntryIfAnySchema = Type.Object({
  entry: Type.Union([MyEntrySchema, Type.Null()], {
    description: 'null when the request carries no entry of this giveaway',
  }),
});
export type MyEntryIfAny = Static<typeof MyEntryIfAnySchema>;

export const VisitSchema = Type.Object({
  trackId: Type.String({ description: "the participant's track_id for this task's website" }),
  url: Type.String({ description: 'the website link with track_id and send appended' }),
});
export type Visit = Static<typeof VisitSchema>;

export const ParticipantRowSchema = Type.Object({
  participantId: Type.String(),
  email: Type.String(),
  joinedAt: Type.String(),
  eligible: Type.Boolean(),
  eligibleAt: nullable(Type.String()),
  winnerRank: nullable(Type.Integer()),
  prize: WinnerPrizeSchema,
  emailVerified: Type.Boolean({ description: 'the address is proven by an emailed link' }),
  networkEntries: nullable(
    Type.Integer({
      description:
        'entries of this giveaway that joined from the same /24 (IPv4) or /48 (IPv6) network, this one included; a signal to review, not a verdict',
    }),
  ),
  disposableEmail: Type.Boolean({ description: 'the email is at a known disposable-mail domain' }),
  tasks: Type.Array(Type.Object({ taskId: Type.String(), count: Type.Integer(), completed: Type.Boolean() })),
});
export type ParticipantRow = Static<typeof ParticipantRowSchema>;

export const ExportQuerySchema = Type.Object({
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      default: 'json',
      errorMessage: 'must be json or csv',
    }),
  ),
});
export type ExportQuery = Static<typeof ExportQuerySchema>;

const exportOf = <K extends string>(key: K) =>
  Type.Union([
    Type.Object({ [key]: Type.Array(ParticipantRowSchema) } as Record<
      K,
      TArray<typeof ParticipantRowSchema>
    >),
    Type.String({ description: 'CSV, with ?format=csv' }),
  ]);

export const ParticipantsExportSchema = exportOf('participants');
export const WinnersExportSchema = exportOf('winners');

export const EntriesQuerySchema = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 254, description: 'part of the email, any case' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const EntriesPageSchema = Type.Object({
  entries: Type.Array(ParticipantRowSchema),
  total: Type.Integer({ description: 'how many entries match, over all pages' }),
});
export type EntriesPage = Static<typeof EntriesPageSchema>;
