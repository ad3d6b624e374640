/**
 * A callback that carries `Origin` was sent by a web page's script: browsers send it with every POST,
 * server-side HTTP clients do not. If that page signed it, the API key is in the page, where anyone who
 * opens it can read it. Its log row says so (as its hint), and its project keeps the page and the time of
 * the latest such callback that counted, for the dashboard to warn (projects.service.ts).
 */

/** An origin as browsers write it; anything else (`null` from a file or a sandboxed frame) is not repeated. */
const ORIGIN = /^https?:\/\/(?:[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/;
const NO_ADDRESS = 'a page without a web address: a local file or a sandboxed frame';

/** The page an Origin header names, in words when it names no web address. */
export function pageOf(origin: string): string {
  return ORIGIN.test(origin) ? origin : NO_ADDRESS;
}

/** The log's hint for a callback verified with the project's key and sent with `origin`; null without. */
export function pageSigningHint(origin: string | undefined): string | null {
  if (origin === undefined) return null;
  return `sent from a web page (${pageOf(origin)}): if the page signed it, anyone who opens it can read your API key; sign on your server, then rotate the key`;
}
