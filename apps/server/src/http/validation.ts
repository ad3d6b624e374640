import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { type SchemaError, withEmptyAsRequired, withSchemaMessages } from './validation-messages.js';

/**
 * TypeBox validation, as @fastify/type-provider-typebox's compiler does it (params, query and headers
 * converted to the schema's types first; no type coercion of bodies, so `"track_id": 123` is a 400, not
 * "123"), plus two things: a value that already fits is taken as it is, without a conversion pass (on the
 * hot routes, the conversion cost more than the check), and a body schema marked optional lets a POST
 * without a body through. Errors carry the schema's own words (`errorMessage`) where it has them.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  const errors = (value: unknown) =>
    withEmptyAsRequired(withSchemaMessages(schema, check.Errors(value) as Iterable<SchemaError>), value);
  const validate = (value: unknown) => {
    if (check.Check(value)) return { value };
    if (httpPart === 'body') return { error: errors(value) };
    const repeated = httpPart === 'querystring' ? repeatedParameters(schema, value) : [];
    if (repeated.length > 0) return { error: repeated };
    // Convert may change the value in place: the texts are read first.
    const texts = typeof value === 'object' && value !== null ? { ...(value as object) } : value;
    const converted = misspeltNumbers(schema, texts, Value.Convert(schema, value));
    return check.Check(converted) ? { value: converted } : { error: errors(converted) };
  };
  const optional = httpPart === 'body' && (schema as { '~optional'?: boolean })['~optional'] === true;
  return optional
    ? (value) => (value === undefined || value === null ? { value: undefined } : validate(value))
    : validate;
};

/**
 * A query parameter given more than once arrives as the list of its values, which the check would call the
 * wrong type (`limit must be a whole number`): it is named as repeated instead, unless it takes a list.
 */
function repeatedParameters(schema: TSchema, query: unknown): SchemaError[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!properties || typeof query !== 'object' || query === null) return [];
  return Object.entries(query).flatMap(([name, values]) =>
    Array.isArray(values) && Object.hasOwn(properties, name) && properties[name]?.type !== 'array'
      ? [
          {
            keyword: 'repeated',
            schemaPath: `#/properties/${name}`,
            instancePath: `/${name}`,
            params: { values },
            message: 'is given more than once',
          },
        ]
      : [],
  );
}

const SPELLED = { integer: /^-?\d+$/, number: /^-?\d+(\.\d+)?$/ } as const;

/**
 * The conversion with each number that was not written as one put back as the text it came as, so the
 * check refuses it: the conversion reads "1.5" as the integer 1, and "0x10" and "1e1" as 16 and 10, which
 * would answer a different question from the one asked.
 */
function misspeltNumbers(schema: TSchema, original: unknown, converted: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties;
  if (!properties || typeof original !== 'object' || original === null) return converted;
  if (typeof converted !== 'object' || converted === null) return converted;
  let result = converted as Record<string, unknown>;
  for (const [key, text] of Object.entries(original)) {
    const type = properties[key]?.type;
    if (typeof text !== 'string' || (type !== 'integer' && type !== 'number')) continue;
    if (!SPELLED[type].test(text)) result = { ...result, [key]: text };
  }
  return result;
}
