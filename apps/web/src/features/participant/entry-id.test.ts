import { describe, expect, it } from 'vitest';
import { maskEntryId } from './entry-id';

describe('maskEntryId', () => {
  it('keeps the prefix and the first and last four characters', () => {
    expect(maskEntryId('pt_0123456789abcdef')).toBe('pt_0123…cdef');
  });

  it('leaves short ids whole', () => {
    expect(maskEntryId('pt_0123')).toBe('pt_0123');
  });
});
