/**
 * A callback that carries `Origin` was posted by a web page's script: browsers send it with every POST,
 * server-side HTTP clients do not. One signed there means the API key is in that page, where anyone who
 * opens it can read it. Its log row says so (as its hint), and the project page warns from those rows.
 */
const PREFIX = 'signed in a web page (';
const SUFFIX = '): anyone who opens it can read your API key; sign on your server, then rotate the key';

/** An origin as browsers write it; anything else (`null` from a file or a sandboxed frame) is not named. */
const ORIGIN = /^https?:\/\/(?:[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/;
const NO_ADDRESS = 'a page without a web address: a local file or a sandboxed frame';

/** The log's hint for a callback verified with the project's key and posted with `origin`; null without. */
export function pageSigningHint(origin: string | undefined): string | null {
  if (origin === undefined) return null;
  return `${PREFIX}${ORIGIN.test(origin) ? origin : NO_ADDRESS}${SUFFIX}`;
}

/** The prefix every such hint starts with, to find them in the log. */
export const PAGE_SIGNING_HINT_PREFIX = PREFIX;

/** The page a hint names, as `pageSigningHint` wrote it. */
export function pageOfHint(hint: string): string {
  return hint.slice(PREFIX.length, hint.length - SUFFIX.length);
}
