import { describe, expect, it } from 'vitest';
import { inAppBrowser } from './in-app-browser';

describe('inAppBrowser', () => {
  it('names the app of a built-in browser', () => {
    expect(
      inAppBrowser(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 300.0.0.0',
      ),
    ).toBe('Instagram');
    expect(
      inAppBrowser(
        'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/440.0.0.0;]',
      ),
    ).toBe('Facebook');
    expect(inAppBrowser('Mozilla/5.0 (Linux; Android 13) Chrome/120 Mobile musical_ly_2023')).toBe('TikTok');
  });

  it('says nothing in ordinary browsers', () => {
    expect(
      inAppBrowser(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
      ),
    ).toBeNull();
    expect(
      inAppBrowser(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBeNull();
  });
});
