import { describe, expect, it } from 'vitest';
import { findMalformedString } from './well-formed.js';

describe('findMalformedString', () => {
  it('passes clean bodies, paired surrogates included', () => {
    expect(
      findMalformedString({ track_id: 'tr_1', event: 'buy', remark: 'order 😀 #1', n: 3 }),
    ).toBeUndefined();
    expect(
      findMalformedString({ tasks: [{ name: 'Sign up' }, { name: 'Like', amount: 3 }] }),
    ).toBeUndefined();
    expect(findMalformedString(undefined)).toBeUndefined();
    expect(findMalformedString('plain')).toBeUndefined();
  });

  it('says where a NUL or a lone surrogate is, in a value or in a key', () => {
    expect(findMalformedString({ remark: 'a\0b' })).toBe(
      'body/remark contains a NUL character or an unpaired surrogate',
    );
    expect(findMalformedString({ tasks: [{ name: 'ok' }, { name: 'x\uD800' }] })).toBe(
      'body/tasks/1/name contains a NUL character or an unpaired surrogate',
    );
    expect(findMalformedString({ nested: { 'k\uDFFF': 1 } }, 'query')).toBe(
      'query/nested has a key with a NUL character or an unpaired surrogate',
    );
    expect(findMalformedString('\0', 'path')).toBe('path contains a NUL character or an unpaired surrogate');
  });

  it('walks a body nested far deeper than the stack would allow', () => {
    let deep: unknown = 'bottom\0';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findMalformedString(deep)).toMatch(/^body(\/0){100000} contains a NUL/);
  });
});
