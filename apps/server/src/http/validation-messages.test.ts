import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  explainSchemaErrors,
  fieldName,
  type SchemaError,
  withEmptyAsRequired,
  withSchemaMessages,
} from './validation-messages.js';

const Giveaway = Type.Object(
  {
    email: Type.String({ pattern: '^[^@]+@[^@]+$', errorMessage: 'must be an email address' }),
    title: Type.String({ minLength: 1, maxLength: 5, pattern: '\\S', errorMessage: 'must not be blank' }),
    password: Type.Optional(Type.String({ minLength: 8 })),
    ts: Type.Optional(
      Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]+$' })], {
        errorMessage: 'must be unix seconds',
      }),
    ),
    amount: Type.Optional(Type.Integer({ minimum: 1 })),
    tasks: Type.Optional(
      Type.Array(
        Type.Object({
          event: Type.String({ pattern: '^[a-z_]+$', errorMessage: 'must be a key like sign_up' }),
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const explain = (value: unknown, part = 'body') => {
  const errors = withSchemaMessages(Giveaway, Compile(Giveaway).Errors(value) as Iterable<SchemaError>);
  return explainSchemaErrors(withEmptyAsRequired(errors, value), part).message;
};

describe('validation messages', () => {
  it('says an empty change names nothing to change, rather than counting its properties', () => {
    const Patch = Type.Object({ name: Type.Optional(Type.String()) }, { minProperties: 1 });
    const errors = Compile(Patch).Errors({}) as Iterable<SchemaError>;
    expect(explainSchemaErrors(withSchemaMessages(Patch, errors), 'body').message).toBe(
      'the body names nothing to change: send at least one field',
    );
  });

  it('words a pattern by its schema, never by its regular expression', () => {
    expect(explain({ email: 'nope', title: 'x' })).toBe('email must be an email address');
  });

  it('numbers items from 1 and names the field inside them', () => {
    expect(explain({ email: 'a@b', title: 'x', tasks: [{ event: 'ok' }, { event: 'Bad Key' }] })).toBe(
      'task 2: event must be a key like sign_up',
    );
    expect(explain({ email: 'a@b', title: 'x', tasks: [{}] })).toBe('task 1: event is required');
  });

  it('names what is missing, unknown or out of range, and says each problem once', () => {
    expect(explain({ title: 'too long a title', amount: 0, extra: 1 })).toBe(
      'email is required; extra is not a field this accepts; title must be at most 5 characters long; amount must be at least 1',
    );
  });

  it('says an empty field is required, once, and lengths in characters', () => {
    expect(explain({ email: 'a@b', title: '' })).toBe('title is required');
    expect(explain({ email: 'a@b', title: ' ' })).toBe('title must not be blank');
    expect(explain({ email: 'a@b', title: 'x', password: 'short' })).toBe(
      'password must be at least 8 characters long',
    );
    // Left blank, a field that asks for 8 characters is missing, not short.
    expect(explain({ email: 'a@b', title: 'x', password: '' })).toBe('password is required');
  });

  it('lets a union with words of its own speak for its members', () => {
    expect(explain({ email: 'a@b', title: 'x', ts: 'soon' })).toBe('ts must be unix seconds');
  });

  it('names the part of the request when it is not the body', () => {
    expect(explain({ email: 'a@b', title: 'x', amount: 0 }, 'querystring')).toBe(
      'query parameter amount must be at least 1',
    );
    expect(explain('text')).toBe('the body must be a JSON object');
  });

  it("gives a form each field's first problem by its path in the body, in the field's own name", () => {
    const fields = (value: unknown) =>
      explainSchemaErrors(
        withSchemaMessages(Giveaway, Compile(Giveaway).Errors(value) as Iterable<SchemaError>),
        'body',
      ).fields;
    expect(fields({ title: '', tasks: [{ event: 'ok' }, {}], extra: 1 })).toEqual([
      { field: 'email', message: 'email is required' },
      { field: 'extra', message: 'extra is not a field this accepts' },
      { field: 'title', message: 'title is required' },
      { field: 'tasks.1.event', message: 'event is required' },
    ]);
    expect(fields({ email: 'a@b', title: 'x', tasks: [{ event: 'Bad Key' }] })).toEqual([
      { field: 'tasks.0.event', message: 'event must be a key like sign_up' },
    ]);
    // The body as a whole is no field of a form.
    expect(fields('text')).toEqual([]);
  });

  it('turns JSON pointers into field names', () => {
    expect(fieldName('')).toBe('');
    expect(fieldName('/a~1b')).toBe('a/b');
    expect(fieldName('/prizes/0')).toBe('prize 1');
    expect(fieldName('/status/0')).toBe('status item 1');
    expect(fieldName('/settings/limit')).toBe('settings.limit');
    expect(fieldName('/matrix/0/1')).toBe('matrix item 1, item 2');
  });
});
