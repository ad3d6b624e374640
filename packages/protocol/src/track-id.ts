import { TRACK_ID_PATTERN } from '@proofdrop/contract';

const TRACK_ID = new RegExp(TRACK_ID_PATTERN);

/** A track_id the callback accepts: it keeps the canonical string unambiguous (see TRACK_ID_PATTERN). */
export function isTrackId(value: string): boolean {
  return TRACK_ID.test(value);
}

/**
 * The link a participant is sent to: the website's own link, as the URL parser normalises it, with
 * `track_id` and `send` appended to its query; its existing query and `#hash` are kept. Normalising here
 * too covers links stored before they were stored normalised: a tab or a newline the parser drops would
 * otherwise reach the redirect's Location header, which cannot carry them.
 */
export function trackedUrl(storedUrl: string, trackId: string, event: string): string {
  return withTrackId(normalizedLink(storedUrl), trackId, event);
}

/** A website's link as the URL parser normalises it; a link it cannot parse is left as it is. */
export function normalizedLink(storedUrl: string): string {
  return URL.canParse(storedUrl) ? new URL(storedUrl).href : storedUrl;
}

/**
 * trackedUrl for a link already normalised (normalizedLink): a server that follows the same link for every
 * participant parses it once, not on each click.
 */
export function withTrackId(link: string, trackId: string, event: string): string {
  const hashAt = link.indexOf('#');
  const base = hashAt === -1 ? link : link.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : link.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}track_id=${encodeURIComponent(trackId)}&send=${encodeURIComponent(event)}${hash}`;
}
