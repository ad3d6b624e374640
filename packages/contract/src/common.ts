import {
  type Static,
  type TNull,
  type TSchema,
  type TSchemaOptions,
  type TString,
  type TUnion,
  Type,
} from 'typebox';

/** Pieces shared by many routes' schemas. */

export const EmailSchema = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$',
  description: 'an email address (trimmed and lowercased)',
  examples: ['ada@example.com'],
});

export const IdParam = <K extends string>(name: K, prefix: string) =>
  Type.Object({ [name]: Type.String({ maxLength: 64, description: `an id like ${prefix}_…` }) } as Record<
    K,
    TString
  >);

/** The contract's event key: presets or a custom key such as `like_article`. */
export const EVENT_PATTERN = '^[A-Za-z0-9_.:-]{1,64}$';
export const EventSchema = Type.String({
  pattern: EVENT_PATTERN,
  description: 'event key: sign_up, deposit, purchase, click, play_game or a custom key',
  examples: ['sign_up', 'like_article'],
});

/** Display text: no control characters, no lone surrogates. */
export const textSchema = (maxLength: number, minLength = 1, description?: string) =>
  Type.String({
    minLength,
    maxLength,
    pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$',
    description,
  });

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });

export const nullable = <T extends TSchema>(schema: T, options?: TSchemaOptions): TUnion<[T, TNull]> =>
  Type.Union([schema, Type.Null()], options);

export const OkSchema = Type.Object({ ok: Type.Boolean() });
export type Ok = Static<typeof OkSchema>;

/** The answer of a DELETE that worked: nothing to say. */
export const NoContentSchema = Type.Null({ description: 'done' });
