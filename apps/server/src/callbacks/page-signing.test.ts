import { describe, expect, it } from 'vitest';
import { pageOf, pageSigningHint } from './page-signing.js';

describe('a callback sent from a web page', () => {
  it('names the page by its origin', () => {
    for (const origin of ['https://shop.example', 'http://localhost:5173', 'http://[::1]:8080']) {
      expect(pageOf(origin)).toBe(origin);
      expect(pageSigningHint(origin)).toMatch(
        new RegExp(`^sent from a web page \\(${origin.replace(/[[\].]/g, '\\$&')}\\): .*rotate the key$`),
      );
    }
  });

  it('does not repeat an origin that is not one, and says nothing without one', () => {
    for (const origin of [
      'null',
      'https://shop.example/path',
      'javascript:alert(1)',
      `https://${'a'.repeat(300)}`,
    ]) {
      expect(pageOf(origin)).toBe('a page without a web address: a local file or a sandboxed frame');
    }
    expect(pageSigningHint(undefined)).toBeNull();
  });
});
