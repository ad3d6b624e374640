import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireHost } from '../http/auth.js';
import { errorResponses, IdParam } from '../schemas.js';
import type { Services } from '../services.js';

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Hex = Type.String({ pattern: '^[0-9a-f]+$' });

export const DrawProofSchema = Type.Object({
  version: Type.String({ examples: ['proofdrop-draw-v1'] }),
  winnerMode: Type.Union([Type.Literal('lucky_draw'), Type.Literal('first_come')]),
  winnerCount: Type.Integer(),
  commitment: Type.String({ description: 'hex(SHA-256(seed)), public from publish' }),
  committedAt: Type.String(),
  guarantee: Type.String(),
  beacon: Type.Union([
    Type.Object({
      chain: Type.String(),
      chainHash: Type.String(),
      round: Type.Union([Type.Integer(), Type.Null()]),
      signature: nullable(Type.String()),
      randomness: nullable(Type.String()),
    }),
    Type.Null(),
  ]),
  frozenAt: nullable(Type.String()),
  entries: Type.Union([Type.Array(Type.String()), Type.Null()], {
    description: 'opaque entry ids, frozen order',
  }),
  listHash: nullable(Type.String()),
  merkleRoot: nullable(Type.String()),
  seed: nullable(Type.String({ description: 'revealed once the winners are drawn' })),
  winners: Type.Union([
    Type.Array(Type.Object({ rank: Type.Integer(), entryId: Type.String() })),
    Type.Null(),
  ]),
});

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });

export const drawsRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'hosts' | 'draws'> }> = async (
  app,
  { services },
) => {
  const { hosts, draws } = services;

  app.post(
    '/api/v1/giveaways/:giveawayId/draw',
    {
      schema: {
        tags: ['draw'],
        summary: 'Draw the winners of an ended giveaway and reveal the seed',
        params: IdParam('giveawayId', 'gw'),
        body: Type.Optional(
          Type.Object(
            {
              beacon: Type.Optional(
                Type.Object(
                  {
                    round: Type.Integer({ minimum: 1 }),
                    signature: Type.String({ maxLength: 200, description: 'the round’s BLS signature, hex' }),
                  },
                  {
                    additionalProperties: false,
                    description: 'the drand round, when no relay is configured',
                  },
                ),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: {
          200: Type.Object({
            winners: Type.Array(
              Type.Object({ participantId: Type.String(), rank: Type.Integer(), email: Type.String() }),
            ),
            proof: DrawProofSchema,
          }),
          ...errorResponses(400, 401, 404, 409, 422),
        },
      },
    },
    async (request) => {
      const host = await requireHost(request, hosts);
      return draws.draw(host.id, request.params.giveawayId, request.body?.beacon);
    },
  );

  app.get(
    '/api/v1/giveaways/:slug/draw',
    {
      schema: {
        tags: ['draw'],
        summary: 'The public proof of the draw: check it with `proofdrop verify-draw <this url>`',
        params: SlugParams,
        response: { 200: DrawProofSchema, ...errorResponses(404) },
      },
    },
    async (request) => draws.publicProof(request.params.slug),
  );

  app.get(
    '/api/v1/giveaways/:slug/draw/inclusion/:participantId',
    {
      schema: {
        tags: ['draw'],
        summary: 'Merkle proof that an entry is in the frozen list',
        params: Type.Object({
          slug: Type.String({ maxLength: 100 }),
          participantId: Type.String({ maxLength: 64 }),
        }),
        response: {
          200: Type.Object({
            entryId: Type.String(),
            index: Type.Integer(),
            siblings: Type.Array(
              Type.Object({ side: Type.Union([Type.Literal('left'), Type.Literal('right')]), hash: Hex }),
            ),
            merkleRoot: Type.String(),
          }),
          ...errorResponses(404, 409),
        },
      },
    },
    async (request) => draws.inclusion(request.params.slug, request.params.participantId),
  );
};
