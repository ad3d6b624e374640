import { type Static, Type } from 'typebox';
import { EventSchema, textSchema } from '../schemas.js';

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

export const PrizeSchema = Type.Object(
  { name: textSchema(200), description: Type.Optional(textSchema(2000, 0)) },
  { additionalProperties: false },
);

export const WinnerModeSchema = Type.Union([Type.Literal('lucky_draw'), Type.Literal('first_come')]);

export const EntryChallengeSchema = Type.Union([Type.Literal('none'), Type.Literal('pow')], {
  description:
    'pow: each join must carry a solved proof-of-work challenge (ALTCHA) from GET /api/v1/giveaways/{slug}/challenge',
});

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
export type GiveawayInputBody = Static<typeof GiveawayInputSchema>;

export const TaskSchema = Type.Object({
  id: Type.String(),
  websiteId: Type.String(),
  event: Type.String(),
  name: Type.String(),
  requiredAmount: Type.Integer(),
});

const PhaseSchema = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('scheduled'),
    Type.Literal('live'),
    Type.Literal('ended'),
    Type.Literal('drawn'),
  ],
  { description: 'scheduled: published, before startsAt; ended: ended by the host or endsAt passed' },
);

const nullableString = Type.Union([Type.String(), Type.Null()]);

const PublicGiveawaySchema = Type.Object({
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
});

const hostFields = {
  id: Type.String(),
  projectId: Type.String(),
  publishedAt: nullableString,
  createdAt: Type.String(),
};
const statsField = { stats: Type.Object({ entries: Type.Integer(), eligible: Type.Integer() }) };

export const GiveawaySchema = Type.Object({ ...PublicGiveawaySchema.properties, ...hostFields });

export const GiveawayWithStatsSchema = Type.Object({ ...GiveawaySchema.properties, ...statsField });

/** By slug the public fields; by id, for the host, the rest too. */
export const GiveawayLookupSchema = Type.Object({
  ...PublicGiveawaySchema.properties,
  ...Type.Partial(Type.Object({ ...hostFields, ...statsField })).properties,
});
