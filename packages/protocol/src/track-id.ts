import { TRACK_ID_PATTERN } from '@proofdrop/contract';

const TRACK_ID = new RegExp(TRACK_ID_PATTERN);

/** A track_id the callback accepts: it keeps the canonical string unambiguous (see TRACK_ID_PATTERN). */
export function isTrackId(value: string): boolean {
  return TRACK_ID.test(value);
}

/**
 * The link a participant is sent to: the website's own link with `track_id` and `send` appended to its
 * query. The link is otherwise kept byte for byte, its existing query and `#hash` included.
 */
export function trackedUrl(websiteUrl: string, trackId: string, event: string): string {
  const hashAt = websiteUrl.indexOf('#');
  const base = hashAt === -1 ? websiteUrl : websiteUrl.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : websiteUrl.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}track_id=${encodeURIComponent(trackId)}&send=${encodeURIComponent(event)}${hash}`;
}
