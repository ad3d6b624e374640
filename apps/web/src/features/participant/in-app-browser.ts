/** Apps whose built-in browser loses the page when a participant leaves for a task (their user agents say so). */
const IN_APP_BROWSERS: [RegExp, string][] = [
  [/Instagram/i, 'Instagram'],
  [/FBAN|FBAV|FB_IAB|FBIOS/, 'Facebook'],
  [/musical_ly|BytedanceWebview|TikTok/i, 'TikTok'],
  [/Twitter/i, 'X'],
  [/LinkedInApp/i, 'LinkedIn'],
  [/Snapchat/i, 'Snapchat'],
  [/MicroMessenger/i, 'WeChat'],
  [/\bLine\//, 'LINE'],
];

/** The app whose built-in browser shows this page, or null in an ordinary browser. */
export function inAppBrowser(userAgent: string): string | null {
  return IN_APP_BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
}
