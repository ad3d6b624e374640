import { type Static, Type } from 'typebox';
import { EventSchema, nullable, textSchema } from './common.js';

export const TaskInputSchema = Type.Object(
  {
    websiteId: Type.String({ maxLength: 64 }),
    event: EventSchema,
    name: textSchema(200, 1, 'shown to participants, e.g. "Create an account on Example Shop"'),
    requiredAmount: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description: 'how many times it must be done (default 1)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TaskInput = Static<typeof TaskInputSchema>;

export const PrizeSchema = Type.Object(
  { name: textSchema(200), description: Type.Optional(textSchema(2000, 0)) },
  { additionalProperties: false },
);
export type Prize = Static<typeof PrizeSchema>;

/** A winner's prize by the rule of `prizeForRank` (@proofdrop/protocol): the prize listed at their rank. */
export const WinnerPrizeSchema = nullable(Type.String({ examples: ['Gold'] }), {
  description:
    'the name of the prize listed at the winner’s rank: prize 1 goes to winner #1, prize 2 to #2, and so on; null for a winner ranked past the end of the list, and for an entry that did not win',
});

export const WinnerModeSchema = Type.Union([Type.Literal('lucky_draw'), Type.Literal('first_come')], {
  errorMessage: 'must be lucky_draw or first_come',
});
export type WinnerMode = Static<typeof WinnerModeSchema>;

export const EntryChallengeSchema = Type.Union([Type.Literal('none'), Type.Literal('pow')], {
  errorMessage: 'must be none or pow',
  description:
    'pow: each join must carry a solved proof-of-work challenge (ALTCHA) from GET /api/v1/giveaways/{slug}/challenge',
});
export type EntryChallenge = Static<typeof EntryChallengeSchema>;

export const GiveawayInputSchema = Type.Object(
  {
    title: textSchema(200),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    startsAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601; default: when published' })),
    endsAt: Type.Optional(
      Type.String({ maxLength: 40, description: 'ISO 8601; default: until ended by the host' }),
    ),
    winnerMode: WinnerModeSchema,
    winnerCount: Type.Integer({ minimum: 1, maximum: 100_000 }),
    prizes: Type.Optional(Type.Array(PrizeSchema, { maxItems: 100 })),
    tasks: Type.Array(TaskInputSchema, { maxItems: 50 }),
    entryChallenge: Type.Optional(EntryChallengeSchema),
    requireVerifiedEmail: Type.Optional(
      Type.Boolean({
        description:
          'entries count once their email address is proven by an emailed link; needs the server to send mail (SMTP_URL)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type GiveawayInput = Static<typeof GiveawayInputSchema>;

const clearableTime = (description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()], { description }));

/** Any of the input's fields; a draft takes them all, a published giveaway only what `editable` lists. */
export const GiveawayPatchSchema = Type.Object(
  {
    ...Type.Partial(GiveawayInputSchema).properties,
    startsAt: clearableTime('ISO 8601, or null to start when published'),
    endsAt: clearableTime('ISO 8601, or null to run until ended by the host (drafts only)'),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type GiveawayPatch = Static<typeof GiveawayPatchSchema>;

export const TaskSchema = Type.Object({
  id: Type.String(),
  websiteId: Type.String(),
  event: Type.String(),
  name: Type.String(),
  requiredAmount: Type.Integer(),
});
export type Task = Static<typeof TaskSchema>;

export const PhaseSchema = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('scheduled'),
    Type.Literal('live'),
    Type.Literal('ended'),
    Type.Literal('drawn'),
  ],
  { description: 'scheduled: published, before startsAt; ended: ended by the host or endsAt passed' },
);
export type Phase = Static<typeof PhaseSchema>;

const nullableString = nullable(Type.String());

export const PublicGiveawaySchema = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  startsAt: nullableString,
  endsAt: nullableString,
  winnerMode: WinnerModeSchema,
  winnerCount: Type.Integer(),
  prizes: Type.Array(PrizeSchema),
  status: PhaseSchema,
  endedAt: nullableString,
  tasks: Type.Array(TaskSchema),
  entryChallenge: EntryChallengeSchema,
  requireVerifiedEmail: Type.Boolean({
    description: 'joining mails a link to the address; the entry counts once it is followed',
  }),
  mailsEntryLinks: Type.Boolean({
    description:
      'the server sends mail, so a participant can ask for a link to their entry (POST …/entries/link) and follow it from another browser',
  }),
});
export type PublicGiveaway = Static<typeof PublicGiveawaySchema>;

/** Every field of a giveaway that PATCH may change while it is a draft. */
export const EDITABLE_FIELDS = [
  'title',
  'description',
  'startsAt',
  'endsAt',
  'winnerMode',
  'winnerCount',
  'prizes',
  'tasks',
  'entryChallenge',
  'requireVerifiedEmail',
] as const;
export const EditableFieldSchema = Type.Enum(EDITABLE_FIELDS);
export type EditableField = (typeof EDITABLE_FIELDS)[number];

const hostFields = {
  id: Type.String(),
  projectId: Type.String(),
  publishedAt: nullableString,
  createdAt: Type.String(),
  editable: Type.Array(EditableFieldSchema, {
    description:
      'what PATCH may still change: everything in a draft; title, description and a later endsAt once published',
  }),
};
const statsField = { stats: Type.Object({ entries: Type.Integer(), eligible: Type.Integer() }) };

export const GiveawaySchema = Type.Object({ ...PublicGiveawaySchema.properties, ...hostFields });
export type Giveaway = Static<typeof GiveawaySchema>;

export const GiveawayWithStatsSchema = Type.Object({ ...GiveawaySchema.properties, ...statsField });
export type GiveawayWithStats = Static<typeof GiveawayWithStatsSchema>;

export const GiveawayListSchema = Type.Object({ giveaways: Type.Array(GiveawaySchema) });
export type GiveawayList = Static<typeof GiveawayListSchema>;

/** By slug the public fields; by id, for the host, the rest too. */
export const GiveawayLookupSchema = Type.Object({
  ...PublicGiveawaySchema.properties,
  ...Type.Partial(Type.Object({ ...hostFields, ...statsField })).properties,
});
export type GiveawayLookup = Static<typeof GiveawayLookupSchema>;

export const GiveawayRefParams = Type.Object({ giveaway: Type.String({ maxLength: 100 }) });

export const PublishInputSchema = Type.Optional(
  Type.Object(
    {
      beacon: Type.Optional(
        Type.Boolean({ description: 'also mix a drand quicknet round, fixed at the end, into the draw' }),
      ),
    },
    { additionalProperties: false },
  ),
);
export type PublishInput = Static<typeof PublishInputSchema>;
