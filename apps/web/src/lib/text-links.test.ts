import { describe, expect, it } from 'vitest';
import { textLinks } from './text-links';

describe("a host's text with its web addresses", () => {
  it('finds each address, leaving out the punctuation that ends its sentence', () => {
    expect(textLinks('Rules: https://shop.example/rules. Questions (https://shop.example/faq?q=1)!')).toEqual(
      [
        { text: 'Rules: ' },
        { href: 'https://shop.example/rules' },
        { text: '. Questions (' },
        { href: 'https://shop.example/faq?q=1' },
        { text: ')!' },
      ],
    );
  });

  it('leaves text without an address, or with another scheme, as text', () => {
    expect(textLinks('Win a bike.')).toEqual([{ text: 'Win a bike.' }]);
    expect(textLinks('javascript:alert(1) ftp://x.example')).toEqual([
      { text: 'javascript:alert(1) ftp://x.example' },
    ]);
    expect(textLinks('')).toEqual([]);
  });
});
