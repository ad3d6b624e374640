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
    return typeof own === 'string' && (error.keyword === 'pattern' || error.keyword === 'anyOf')
      ? { ...error, message: own }
      : error;
  });
}

const PARTS: Record<string, string> = {
  body: '',
  querystring: 'query parameter ',
  params: 'path parameter ',
  headers: 'header ',
};

const COMPARISONS: Record<string, string> = { '<=': 'at most', '>=': 'at least', '<': 'below', '>': 'above' };

/**
 * One sentence per field, its first problem, naming the field as a form would: `email must be an email
 * address`, `task 2: event is required`. Items count from 1, as the pages that send them number them. An
 * empty title is `title is required`, not also `must not be blank` from the same field's pattern.
 */
export function describeSchemaErrors(errors: SchemaError[], part: string): string {
  // A union with words of its own speaks for its members; without, its members speak.
  const worded = new Set(
    errors.filter((e) => e.keyword === 'anyOf' && ownWords(e)).map((e) => e.instancePath),
  );
  const prefix = PARTS[part] ?? `${part} `;
  const field = (path: string) => `${prefix}${fieldName(path) || (part === 'body' ? 'the body' : part)}`;
  const described = new Set<string>();
  const sentences = errors.flatMap((error): string[] => {
    if (described.has(error.instancePath)) return [];
    switch (error.keyword) {
      case 'boolean':
        return [];
      case 'required':
        return listed(error.params.requiredProperties).map(
          (name) => `${field(`${error.instancePath}/${name}`)} is required`,
        );
      case 'additionalProperties':
        return listed(error.params.additionalProperties).map(
          (name) => `${field(`${error.instancePath}/${name}`)} is not a field this accepts`,
        );
      case 'anyOf':
        return ownWords(error) ? [`${field(error.instancePath)} ${error.message}`] : [];
      default: {
        if (worded.has(error.instancePath)) return [];
        described.add(error.instancePath);
        return [`${field(error.instancePath)} ${plainWords(error)}`];
      }
    }
  });
  return [...new Set(sentences)].join('; ') || `the ${part === 'querystring' ? 'query' : part} is not valid`;
}

/** TypeBox's `must not have fewer than 1 characters` as a form says it. */
function plainWords(error: SchemaError): string {
  const limit = Number(error.params.limit);
  if (error.keyword === 'minLength')
    return limit === 1 ? 'is required' : `must be at least ${limit} characters long`;
  if (error.keyword === 'maxLength') return `must be at most ${limit} characters long`;
  const comparison = COMPARISONS[String(error.params.comparison)];
  return comparison ? `must be ${comparison} ${limit}` : error.message;
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
