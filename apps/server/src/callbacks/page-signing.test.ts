import { describe, expect, it } from 'vitest';
import { PAGE_SIGNING_HINT_PREFIX, pageOfHint, pageSigningHint } from './page-signing.js';

describe('a callback signed in a web page', () => {
  it('names the page by its origin, and reads it back from the hint', () => {
    for (const origin of ['https://shop.example', 'http://localhost:5173', 'http://[::1]:8080']) {
      const hint = pageSigningHint(origin) ?? '';
      expect(hint.startsWith(PAGE_SIGNING_HINT_PREFIX)).toBe(true);
      expect(hint).toMatch(/rotate the key$/);
      expect(pageOfHint(hint)).toBe(origin);
    }
  });

  it('does not repeat an origin that is not one, and says nothing without one', () => {
    for (const origin of [
      'null',
      'https://shop.example/path',
      'javascript:alert(1)',
      `https://${'a'.repeat(300)}`,
    ]) {
      expect(pageOfHint(pageSigningHint(origin) ?? '')).toBe(
        'a page without a web address: a local file or a sandboxed frame',
      );
    }
    expect(pageSigningHint(undefined)).toBeNull();
  });
});
