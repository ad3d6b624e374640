/**
 * A website link must be an absolute http(s) URL. It is stored normalised (scheme and host lowercased, default
 * port dropped, unsafe characters percent-encoded), query and #hash kept.
 */
export function parseWebsiteUrl(url: string): { url: string; origin: string } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: 'url must be an absolute URL such as https://shop.example/signup' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { error: `url must use http or https, not ${parsed.protocol.replace(':', '')}` };
  }
  if (parsed.username || parsed.password) return { error: 'url must not carry a username or password' };
  return { url: parsed.href, origin: parsed.origin };
}
