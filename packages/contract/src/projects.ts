import { type Static, Type } from 'typebox';
import { nullable, textSchema } from './common.js';

export const WebsiteSchema = Type.Object({
  id: Type.String({ examples: ['web_3KfT0aZ1bQ9xYp2L'] }),
  name: Type.String(),
  url: Type.String({ description: 'the link participants are sent to (normalised; query and #hash kept)' }),
  createdAt: Type.String(),
});
export type Website = Static<typeof WebsiteSchema>;

export const SignatureVersionSchema = Type.Union([Type.Literal('v1'), Type.Literal('v2')], {
  errorMessage: 'must be v1 or v2',
  description:
    'v1: callbacks verify with or without ts; v2: every callback must carry ts (unix seconds), signed as "&ts=" + ts and within ±5 minutes, so an old callback cannot be replayed',
});
export type SignatureVersion = Static<typeof SignatureVersionSchema>;

export const ProjectSchema = Type.Object({
  id: Type.String({ examples: ['prj_8Hq2mVn4Zr7TcLw1'] }),
  name: Type.String(),
  apiKey: Type.String({
    description: 'signs callbacks; shown only to the project owner',
    minLength: 64,
    maxLength: 64,
  }),
  previousKeyExpiresAt: nullable(Type.String(), {
    description: 'after a rotation, until when the previous key still verifies',
  }),
  signatureVersion: SignatureVersionSchema,
  createdAt: Type.String(),
});
export type Project = Static<typeof ProjectSchema>;

export const ProjectListSchema = Type.Object({ projects: Type.Array(ProjectSchema) });
export type ProjectList = Static<typeof ProjectListSchema>;

export const ProjectWithWebsitesSchema = Type.Intersect([
  ProjectSchema,
  Type.Object({
    websites: Type.Array(WebsiteSchema),
    keyInPage: nullable(
      Type.Object({
        page: Type.String({ description: "the page's origin, as its browser sent it" }),
        lastAt: Type.String({ description: 'when the latest such callback arrived' }),
      }),
      {
        description:
          "a callback verified with this project's key came from a web page's script (it carried Origin) in the last 7 days: the key is in that page, readable by anyone who opens it",
      },
    ),
  }),
]);
export type ProjectWithWebsites = Static<typeof ProjectWithWebsitesSchema>;

export const ProjectInputSchema = Type.Object({ name: textSchema(100) }, { additionalProperties: false });
export type ProjectInput = Static<typeof ProjectInputSchema>;

export const KeyRotationInputSchema = Type.Optional(
  Type.Object(
    {
      graceHours: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 720,
          description: 'how long the old key still verifies (default 24)',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);
export type KeyRotationInput = Static<typeof KeyRotationInputSchema>;

const WebsiteUrlSchema = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'an absolute http(s) link, stored normalised',
  examples: ['https://shop.example/signup?ref=giveaway'],
});

export const WebsiteInputSchema = Type.Object(
  { name: textSchema(100), url: WebsiteUrlSchema },
  { additionalProperties: false },
);
export type WebsiteInput = Static<typeof WebsiteInputSchema>;

/** A rename, a signature version, or both. */
export const ProjectPatchSchema = Type.Object(
  { name: Type.Optional(textSchema(100)), signatureVersion: Type.Optional(SignatureVersionSchema) },
  { additionalProperties: false, minProperties: 1 },
);
export type ProjectPatch = Static<typeof ProjectPatchSchema>;

/** A rename, a new link, or both. */
export const WebsitePatchSchema = Type.Object(
  { name: Type.Optional(textSchema(100)), url: Type.Optional(WebsiteUrlSchema) },
  { additionalProperties: false, minProperties: 1 },
);
export type WebsitePatch = Static<typeof WebsitePatchSchema>;
