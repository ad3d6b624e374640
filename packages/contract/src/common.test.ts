import { describe, expect, it } from 'vitest';
import { isBlankText, textSchema } from './common.js';

describe('blank text', () => {
  const { pattern } = textSchema(100) as { pattern?: string };
  const required = new RegExp(pattern ?? '', 'u');
  const samples: [string, boolean][] = [
    ['', true],
    ['   ', true],
    ['\u200B\u2060\uFEFF', true],
    ['\u3164\u2800 ', true],
    ['A bike', false],
    ['\u200B bike', false],
    ['👩‍💻', false],
  ];

  it.each(samples)('%j is blank: %s, as the required-text pattern says', (text, blank) => {
    expect(isBlankText(text)).toBe(blank);
    expect(required.test(text)).toBe(!blank);
  });
});
