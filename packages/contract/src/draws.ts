import { type Static, Type } from 'typebox';
import { nullable } from './common.js';
import { WinnerModeSchema, WinnerPrizeSchema } from './giveaways.js';

const Hex = Type.String({ pattern: '^[0-9a-f]+$', errorMessage: 'must be lowercase hex' });

/** Everything public about a draw; with `seed` and `winners` once drawn. Enough to recompute it all. */
export const DrawProofSchema = Type.Object({
  version: Type.String({ examples: ['proofdrop-draw-v1'] }),
  winnerMode: WinnerModeSchema,
  winnerCount: Type.Integer(),
  commitment: Type.String({ description: 'hex(SHA-256(seed)), public from publish' }),
  committedAt: Type.String(),
  guarantee: Type.String({
    description:
      'what the proof guarantees, for people: with a beacon, nobody knew the randomness before the freeze',
  }),
  beacon: nullable(
    Type.Object({
      chain: Type.String(),
      chainHash: Type.String(),
      round: nullable(Type.Integer()),
      signature: nullable(Type.String()),
      randomness: nullable(Type.String()),
    }),
  ),
  frozenAt: nullable(Type.String()),
  entries: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'opaque entry ids, frozen order',
  }),
  listHash: nullable(Type.String()),
  merkleRoot: nullable(Type.String()),
  seed: nullable(Type.String({ description: 'revealed once the winners are drawn' })),
  winners: nullable(Type.Array(Type.Object({ rank: Type.Integer(), entryId: Type.String() }))),
});
export type DrawProof = Static<typeof DrawProofSchema>;

export const BeaconInputSchema = Type.Object(
  {
    round: Type.Integer({ minimum: 1 }),
    signature: Type.String({ maxLength: 200, description: 'the round’s BLS signature, hex' }),
  },
  { additionalProperties: false, description: 'the drand round, when no relay is configured' },
);
export type BeaconInput = Static<typeof BeaconInputSchema>;

export const DrawInputSchema = Type.Optional(
  Type.Object({ beacon: Type.Optional(BeaconInputSchema) }, { additionalProperties: false }),
);
export type DrawInput = Static<typeof DrawInputSchema>;

export const WinnerSchema = Type.Object({
  participantId: Type.String(),
  rank: Type.Integer(),
  email: Type.String(),
  prize: WinnerPrizeSchema,
});
export type Winner = Static<typeof WinnerSchema>;

export const DrawResultSchema = Type.Object({ winners: Type.Array(WinnerSchema), proof: DrawProofSchema });
export type DrawResult = Static<typeof DrawResultSchema>;

export const InclusionParams = Type.Object({
  slug: Type.String({ maxLength: 100 }),
  participantId: Type.String({ maxLength: 64 }),
});

export const InclusionProofSchema = Type.Object({
  entryId: Type.String(),
  index: Type.Integer(),
  siblings: Type.Array(
    Type.Object({ side: Type.Union([Type.Literal('left'), Type.Literal('right')]), hash: Hex }),
  ),
  merkleRoot: Type.String(),
});
export type InclusionProofAnswer = Static<typeof InclusionProofSchema>;
