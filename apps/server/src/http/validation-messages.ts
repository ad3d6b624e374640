import type { FieldError } from '@proofdrop/contract';
import type { TSchema } from 'typebox';

/** A schema error as TypeBox reports it. */
export type SchemaError = {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
};

/**
 * Puts a schema's own `errorMessage` (the contract gives one to every pattern) in place of the message that
 * quotes its regular expression, which tells a participant nothing.
 */
export function withSchemaMessages(root: TSchema, errors: Iterable<SchemaError>): SchemaError[] {
  return [...errors].map((error) => {
    const own = (schemaAt(root, error.schemaPath) as { errorMessage?: unknown } | undefined)?.errorMessage;
    return typeof own === 'string' && ['pattern', 'anyOf', 'enum', 'minItems'].includes(error.keyword)
      ? { ...error, message: own }
      : error;
  });
}

/**
 * An empty text is missing, whatever length its schema asks for: `email is required`, not `email must be at
 * least 3 characters long` for a field left blank.
 */
export function withEmptyAsRequired(errors: SchemaError[], value: unknown): SchemaError[] {
  return errors.map((error) =>
    error.keyword === 'minLength' && valueAt(value, error.instancePath) === ''
      ? { ...error, keyword: 'empty' }
      : error,
  );
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const segment of instancePath.split('/').slice(1).map(unescapePointer)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

const PARTS: Record<string, string> = {
  body: '',
  querystring: 'query parameter ',
  params: 'path parameter ',
  headers: 'header ',
};

/** JSON's type names as someone who has not read the JSON spec says them (`must be a whole number`). */
const TYPES: Record<string, string> = {
  object: 'a JSON object',
  array: 'a list (a JSON array)',
  string: 'text (a JSON string)',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

const COMPARISONS: Record<string, string> = { '<=': 'at most', '>=': 'at least', '<': 'below', '>': 'above' };

/** What is wrong where: the field's JSON pointer, and what is wrong with it (`is required`). */
type Problem = { path: string; says: string };

/**
 * Each field's first problem, in the order TypeBox found them. An empty title is `is required`, not also
 * `must not be blank` from the same field's pattern; a union with words of its own speaks for its members,
 * and without, its members speak.
 */
function problemsOf(errors: SchemaError[]): Problem[] {
  const worded = new Set(
    errors.filter((e) => e.keyword === 'anyOf' && ownWords(e)).map((e) => e.instancePath),
  );
  const described = new Set<string>();
  return errors.flatMap((error): Problem[] => {
    if (described.has(error.instancePath)) return [];
    switch (error.keyword) {
      case 'boolean':
        return [];
      case 'required':
        return listed(error.params.requiredProperties).map((name) => ({
          path: `${error.instancePath}/${name}`,
          says: 'is required',
        }));
      case 'additionalProperties':
        return listed(error.params.additionalProperties).map((name) => ({
          path: `${error.instancePath}/${name}`,
          says: 'is not a field this accepts',
        }));
      case 'anyOf':
        return ownWords(error) ? [{ path: error.instancePath, says: error.message }] : [];
      default: {
        if (worded.has(error.instancePath)) return [];
        described.add(error.instancePath);
        return [{ path: error.instancePath, says: plainWords(error) }];
      }
    }
  });
}

/**
 * What a refusal says of a request part that does not fit its schema, from one reading of the errors:
 *
 * - `message`: one sentence per field, its first problem, naming the field as a form would (`email must be
 *   an email address`, `task 2: event is required`), items counted from 1 as the pages number them;
 * - `fields` (the body only): each field by its path in the body (`tasks.0.event`, items from 0 as the body
 *   has them) with its problem in its own name (`event is required`), for a form to show beside the input,
 *   whose box already says which task. A problem with the body as a whole has no field.
 */
export function explainSchemaErrors(
  errors: SchemaError[],
  part: string,
): { message: string; fields: FieldError[] } {
  const problems = problemsOf(errors);
  const prefix = PARTS[part] ?? `${part} `;
  const field = (path: string) => `${prefix}${fieldName(path) || (part === 'body' ? 'the body' : part)}`;
  const sentences = problems.map((problem) => `${field(problem.path)} ${problem.says}`);
  return {
    message:
      [...new Set(sentences)].join('; ') || `the ${part === 'querystring' ? 'query' : part} is not valid`,
    fields: part === 'body' ? fieldsOf(problems) : [],
  };
}

function fieldsOf(problems: Problem[]): FieldError[] {
  const byField = new Map<string, string>();
  for (const { path, says } of problems) {
    const segments = path.split('/').slice(1).map(unescapePointer);
    if (segments.length === 0) continue;
    const field = segments.join('.');
    const last = segments.at(-1) as string;
    const name = /^\d+$/.test(last) ? fieldName(path) : last;
    if (!byField.has(field)) byField.set(field, `${name} ${says}`);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** TypeBox's `must not have fewer than 1 characters` as a form says it. */
function plainWords(error: SchemaError): string {
  if (error.keyword === 'empty') return 'is required';
  if (error.keyword === 'repeated') return repeatedWords(error);
  const limit = Number(error.params.limit);
  if (error.keyword === 'minLength')
    return limit === 1 ? 'is required' : `must be at least ${limit} characters long`;
  if (error.keyword === 'maxLength') return `must be at most ${limit} characters long`;
  if (error.keyword === 'minProperties') {
    return limit === 1
      ? 'names nothing to change: send at least one field'
      : `must have at least ${limit} fields`;
  }
  const type = error.keyword === 'type' ? TYPES[String(error.params.type)] : undefined;
  if (type) return `must be ${type}`;
  const comparison = COMPARISONS[String(error.params.comparison)];
  return comparison ? `must be ${comparison} ${limit}` : error.message;
}

/** A query parameter given more than once, as given: `is given twice (limit=1&limit=2): give it once`. */
function repeatedWords(error: SchemaError): string {
  const values = listed(error.params.values);
  const name = fieldName(error.instancePath);
  const times = values.length === 2 ? 'twice' : `${values.length} times`;
  return `is given ${times} (${values.map((value) => `${name}=${value}`).join('&')}): give it once`;
}

const ownWords = (error: SchemaError) => !error.message.startsWith('must match a schema');

const listed = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** `/tasks/1/event` → `task 2: event`; `/email` → `email`; `` → ``. */
export function fieldName(instancePath: string): string {
  const segments = instancePath.split('/').slice(1).map(unescapePointer);
  const items: string[] = [];
  let rest: string[] = [];
  for (const segment of segments) {
    const n = /^\d+$/.test(segment) ? Number(segment) + 1 : undefined;
    if (n !== undefined && rest.length > 0) {
      items.push(`${singular(rest.join('.'))} ${n}`);
      rest = [];
    } else if (n !== undefined && items.length > 0) {
      items.push(`item ${n}`);
    } else {
      rest.push(segment);
    }
  }
  const name = rest.join('.');
  return [items.join(', '), name].filter(Boolean).join(': ');
}

const singular = (name: string) => (/[^su]s$/.test(name) ? name.slice(0, -1) : `${name} item`);

/** The sub-schema a TypeBox schemaPath (`#/properties/tasks/items/properties/event`) names. */
function schemaAt(root: TSchema, schemaPath: string): unknown {
  let node: unknown = root;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[unescapePointer(raw)];
  }
  return node;
}

/** A JSON pointer's segment as the name it stands for (RFC 6901). */
const unescapePointer = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~');
