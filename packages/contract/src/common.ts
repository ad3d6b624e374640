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

/** The longest address SMTP carries (RFC 5321's path limit less its brackets). */
export const EMAIL_MAX_LENGTH = 254;

export const EmailSchema = Type.String({
  minLength: 3,
  maxLength: EMAIL_MAX_LENGTH,
  pattern: '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$',
  errorMessage: 'must be an email address, like ada@example.com',
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
/** What the server says of an event key that does not fit EVENT_PATTERN. */
export const EVENT_MESSAGE = 'must be 1–64 letters, digits or the signs _ . : - (like sign_up)';
export const EventSchema = Type.String({
  pattern: EVENT_PATTERN,
  errorMessage: EVENT_MESSAGE,
  description: 'event key: sign_up, deposit, purchase, click, play_game or a custom key',
  examples: ['sign_up', 'like_article'],
});

const CONTROL = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F';
/**
 * Characters of the basic plane that show as nothing, which `\s` does not cover: zero-width spaces and
 * joiners, direction and other format marks, variation selectors, the blank Braille pattern, interlinear
 * annotation marks, and the Hangul fillers often used for "empty" names. (Patterns stay within the basic
 * plane, so that they read the same with or without a regular expression's `u` flag.)
 */
const INVISIBLE =
  '\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u2800\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF9-\\uFFFB';

/**
 * Invisible characters past the basic plane: tag characters, the variation selectors supplement, and the
 * format controls of shorthand and musical notation. A pattern cannot name them and still read the same in
 * every dialect (Fastify compiles patterns without the `u` flag, TypeBox with it, other languages have
 * neither), so required text refines its pattern with isBlankText.
 */
const ASTRAL_INVISIBLE =
  /[\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E007F}]|\p{Variation_Selector}/gu;

const BLANK = new RegExp(`^[${INVISIBLE}\\s]*$`);

/** Whether text would show as nothing: what a required text field refuses, for a form to leave out first. */
export const isBlankText = (text: string): boolean => BLANK.test(text.replace(ASTRAL_INVISIBLE, ''));

const NOT_BLANK = 'must not be blank, nor hold control characters';

/**
 * Display text: no control characters, no lone surrogates. Required text (`minLength` 1 or more) must hold
 * something visible: a name of blanks or zero-width characters would show as nothing, with nothing to click.
 */
export const textSchema = (maxLength: number, minLength = 1, description?: string) => {
  const text = (pattern: string, errorMessage: string) =>
    Type.String({ minLength, maxLength, pattern, errorMessage, description });
  return minLength > 0
    ? Type.Refine(
        text(`^[^${CONTROL}]*[^${CONTROL}${INVISIBLE}\\s][^${CONTROL}]*$`, NOT_BLANK),
        (value) => !isBlankText(value),
        () => NOT_BLANK,
      )
    : text(`^[^${CONTROL}]*$`, 'must not hold control characters');
};

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });

export const nullable = <T extends TSchema>(schema: T, options?: TSchemaOptions): TUnion<[T, TNull]> =>
  Type.Union([schema, Type.Null()], options);

export const OkSchema = Type.Object({ ok: Type.Boolean() });
export type Ok = Static<typeof OkSchema>;

/** What this server can do beyond the core, as its settings decide: the dashboard offers only what works. */
export const ServerFeaturesSchema = Type.Object({
  sendsMail: Type.Boolean({
    description: 'SMTP_URL is set: giveaways can ask for verified emails, and participants get entry links',
  }),
  fetchesBeacons: Type.Boolean({
    description:
      'DRAND_RELAY_URL is set: a draw with a beacon fetches its round; otherwise the host pastes it',
  }),
});
export type ServerFeatures = Static<typeof ServerFeaturesSchema>;

/** The answer of a DELETE that worked: nothing to say. */
export const NoContentSchema = Type.Null({ description: 'done' });
