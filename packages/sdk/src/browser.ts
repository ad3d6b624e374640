import { EVENT_PATTERN } from '@proofdrop/contract';
import { isTrackId } from '@proofdrop/protocol';

const isEvent = (value: string) => new RegExp(EVENT_PATTERN).test(value);

/** What a participant arrived with: their `track_id`, and the task event the link named (`send`). */
export type TrackedVisit = { trackId: string; event: string | undefined };

/** sessionStorage lives as long as the tab's visit and survives the site's redirects and page changes. */
const STORAGE_KEY = 'proofdrop.visit';
/** Where the visit is kept when the browser refuses storage (privacy modes): this page only. */
let kept: TrackedVisit | undefined;

/**
 * Reads `track_id` and `send` from the page's URL and keeps them for the rest of the visit. Call it on every
 * page the participant may land on: without a `track_id` in the URL it returns the one already kept (or
 * undefined: the visitor did not come from a giveaway).
 *
 * @example
 * <script type="module">
 *   import { captureTrackId } from '/assets/proofdrop-browser.js';
 *   captureTrackId();
 * </script>
 */
export function captureTrackId(url?: string | URL): TrackedVisit | undefined {
  // Outside a browser (server-side rendering) there is no location and no visit: an absolute url is read
  // alone, and nothing is kept, since the next call there is another visitor's.
  const inBrowser = typeof location !== 'undefined';
  const page = inBrowser ? location.href : undefined;
  const address = url ?? page;
  const params = address === undefined ? undefined : new URL(address, page).searchParams;
  const trackId = params?.get('track_id') ?? null;
  if (trackId === null || !isTrackId(trackId)) return inBrowser ? load() : undefined;
  const send = params?.get('send') ?? null;
  const visit = { trackId, event: send !== null && isEvent(send) ? send : undefined };
  if (!inBrowser) return visit;
  kept = visit;
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(visit));
  } catch {
    // Storage refused: the visit stays in memory for this page.
  }
  return visit;
}

/**
 * The `track_id` captured earlier in this visit, on any page of the site in the same tab (a link opened
 * in a new tab starts a new visit); undefined when there is none.
 *
 * @example
 * const trackId = getTrackId();
 * if (trackId) await fetch('/api/signup', { method: 'POST', body: JSON.stringify({ email, trackId }) });
 */
export function getTrackId(): string | undefined {
  return load()?.trackId;
}

/**
 * Puts the `track_id` in a hidden field of `form`, so the site's server receives it with the form and can
 * sign the callback there (the API key must never reach the browser). Does nothing without a `track_id`.
 *
 * @example
 * captureTrackId();
 * const form = document.querySelector('form#signup');
 * if (form instanceof HTMLFormElement) addTrackIdField(form);
 */
export function addTrackIdField(form: HTMLFormElement, name = 'track_id'): void {
  const trackId = getTrackId();
  if (trackId === undefined) return;
  const existing = form.elements.namedItem(name);
  const field = existing instanceof HTMLInputElement ? existing : document.createElement('input');
  field.type = 'hidden';
  field.name = name;
  field.value = trackId;
  if (field !== existing) form.append(field);
}

/**
 * The `track_id` as a request header for the site's own API calls: `{ 'X-Proofdrop-Track-Id': … }`, or
 * no header without one.
 *
 * @example
 * await fetch('/api/deposits', { method: 'POST', headers: { ...trackIdHeaders(), 'content-type': 'application/json' }, body });
 */
export function trackIdHeaders(): Record<string, string> {
  const trackId = getTrackId();
  return trackId === undefined ? {} : { 'X-Proofdrop-Track-Id': trackId };
}

function load(): TrackedVisit | undefined {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored !== null) {
      const visit = JSON.parse(stored) as Partial<TrackedVisit>;
      if (typeof visit.trackId === 'string' && isTrackId(visit.trackId)) {
        return { trackId: visit.trackId, event: typeof visit.event === 'string' ? visit.event : undefined };
      }
    }
  } catch {
    // Storage refused or tampered with: fall back to what this page captured.
  }
  return kept;
}
