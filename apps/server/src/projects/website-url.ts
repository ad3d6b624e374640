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

/** What a track link adds to a website's link for each participant (protocol's withTrackId). */
const TRACK_LINK_PARAMS = ['track_id', 'send'];

/**
 * A website's link, which a task's Go button opens with the participant's own `track_id` and `send`
 * appended: a link that already carried one would reach the website with two, and a site reading the
 * first would send callbacks for a track_id that names nobody.
 */
export function parseTaskLink(url: string): { url: string; origin: string } | { error: string } {
  const parsed = parseWebsiteUrl(url);
  if ('error' in parsed) return parsed;
  const query = new URL(parsed.url).searchParams;
  const taken = TRACK_LINK_PARAMS.find((name) => query.has(name));
  return taken
    ? { error: `url must not carry ${taken}: each participant's link gets its own track_id and send` }
    : parsed;
}
