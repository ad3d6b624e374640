import { createHmac } from 'node:crypto';
import type autocannon from 'autocannon';
import { canonicalString, newTrackId } from './from-server.js';
import type { Fan } from './seed.js';

/**
 * Validly signed callbacks with a fresh remark each, over every participant in turn: every request writes.
 * The HMAC is node:crypto's, the cheapest here, since the load generator shares the machine with the server.
 */
export function callbackRequest(apiKey: string, fans: Fan[], tag: string): autocannon.Request {
  let seq = 0;
  return {
    method: 'POST',
    path: '/api/callback',
    headers: { 'content-type': 'application/json' },
    setupRequest: (request) => {
      const n = seq++;
      const { trackId } = fans[n % fans.length] as Fan;
      const event = 'like_article';
      const remark = `${tag}-${n}`;
      const sign = createHmac('sha256', apiKey)
        .update(canonicalString({ trackId, event, remark }))
        .digest('hex');
      return { ...request, body: JSON.stringify({ track_id: trackId, event, remark, sign }) };
    },
  };
}

/** The track link of each participant in turn, signed in with the participant's token. */
export function trackLinkRequest(fans: Fan[]): autocannon.Request {
  let seq = 0;
  return {
    method: 'GET',
    setupRequest: (request) => {
      const fan = fans[seq++ % fans.length] as Fan;
      return { ...request, path: `/go/${fan.goTaskId}`, headers: { authorization: `Bearer ${fan.token}` } };
    },
  };
}

/** The bare server's twin of a callback: a JSON body of the same size, parsed and answered. */
export const barePostRequest: autocannon.Request = {
  method: 'POST',
  path: '/json',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ track_id: newTrackId(), event: 'like_article', remark: 'x', sign: 'f'.repeat(64) }),
};

export const bareGetRequest: autocannon.Request = { method: 'GET', path: '/hello' };
