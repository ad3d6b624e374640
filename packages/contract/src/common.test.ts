import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { isBlankText, textSchema } from './common.js';

describe('blank text', () => {
  const required = Compile(textSchema(100));
  const { pattern } = textSchema(100) as { pattern?: string };
  const samples: [string, boolean][] = [
    ['', true],
    ['   ', true],
    ['\u200B\u2060\uFEFF', true],
    ['\u3164\u2800 ', true],
    // Past the basic plane: tag characters, the variation selectors supplement, musical format controls.
    ['\u{E0041}\u{E0020}\u{E007F}', true],
    ['\u{E0100}\u{E01EF} \u{1D173}\u{1BCA0}', true],
    ['A bike', false],
    ['\u200B bike', false],
    ['👩‍💻', false],
    // A flag spelled with tag characters shows: its black flag is visible.
    ['\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', false],
  ];

  it.each(samples)('%j is blank: %s, as the required-text schema says', (text, blank) => {
    expect(isBlankText(text)).toBe(blank);
    expect(required.Check(text)).toBe(!blank);
  });

  it('keeps a pattern that reads the same with and without the u flag', () => {
    const withU = new RegExp(pattern ?? '', 'u');
    const withoutU = new RegExp(pattern ?? '');
    for (const [text] of samples) expect(withoutU.test(text)).toBe(withU.test(text));
  });
});
