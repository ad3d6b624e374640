import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';

/**
 * TypeBox validation (no type coercion of bodies, so `"track_id": 123` is a 400, not "123"), plus one
 * thing it lacks: a body schema marked optional lets a POST without a body through.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  const validate = TypeBoxValidatorCompiler(route);
  const optional =
    route.httpPart === 'body' && (route.schema as { '~optional'?: boolean })['~optional'] === true;
  return optional
    ? (value) => (value === undefined || value === null ? { value: undefined } : validate(value))
    : validate;
};
