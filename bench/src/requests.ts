import { createHmac } from 'node:crypto';
import type autocannon from 'autocannon';
import { canonicalString, newTrackId } from './from-server.js';
import type { Fan } from './seed.js';

/**
 * What a load sends. autocannon runs in the bench's own process, on the cores the servers use, so every load,
 * yardsticks included, goes through the same path: each request is built anew from a ready body, path and
 * headers (a `setupRequest` that only picks them), and the callback's signatures are made before its
 * measured run (`prepare`). Before, the bare loads sent one prebuilt buffer while every callback was signed
 * and built as it went: the load generator then spent ~53 µs of CPU a callback against ~16 a bare POST,
 * and the ratios measured autocannon as much as the server.
 */
export type RequestSource = {
  request: autocannon.Request;
  /** Makes the next `count` requests ahead of the measured run, so that it only hands them out. */
  prepare?: (count: number) => void;
  /** Requests made while the load ran, since the last `prepare`: the prepared ones ran out. */
  madeDuringLoad?: () => number;
};

const LIKE_EVENT = 'like_article';

function callbackBody(trackId: string, event: string, remark: string, sign: string): string {
  return JSON.stringify({ track_id: trackId, event, remark, sign });
}

/**
 * Validly signed callbacks with a fresh remark each, over every participant in turn: every request writes.
 * The HMAC is node:crypto's, the cheapest here.
 */
export function callbackRequest(apiKey: string, fans: Fan[], tag: string): RequestSource {
  let made = 0;
  const make = () => {
    const n = made++;
    const { trackId } = fans[n % fans.length] as Fan;
    const remark = `${tag}-${n}`;
    const sign = createHmac('sha256', apiKey)
      .update(canonicalString({ trackId, event: LIKE_EVENT, remark }))
      .digest('hex');
    return callbackBody(trackId, LIKE_EVENT, remark, sign);
  };
  let ready: string[] = [];
  let next = 0;
  let madeLate = 0;
  return {
    request: {
      method: 'POST',
      path: '/api/callback',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        let body = ready[next];
        if (body === undefined) {
          body = make();
          madeLate++;
        } else {
          next++;
        }
        request.body = body;
        return request;
      },
    },
    prepare: (count) => {
      ready = Array.from({ length: count }, make);
      next = 0;
      madeLate = 0;
    },
    madeDuringLoad: () => madeLate,
  };
}

/** The track link of each participant in turn, signed in with the participant's token. */
export function trackLinkRequest(fans: Fan[]): RequestSource {
  const links = fans.map((fan) => ({ path: `/go/${fan.goTaskId}`, authorization: `Bearer ${fan.token}` }));
  let seq = 0;
  return {
    request: {
      method: 'GET',
      setupRequest: (request) => {
        const link = links[seq++ % links.length] as (typeof links)[number];
        request.path = link.path;
        (request.headers as Record<string, string>).authorization = link.authorization;
        return request;
      },
    },
  };
}

/** The bare server's twin of a callback: a JSON body of the same size, parsed and answered. */
export function barePostRequest(): RequestSource {
  const body = callbackBody(newTrackId(), LIKE_EVENT, 'small-100000', 'f'.repeat(64));
  return {
    request: {
      method: 'POST',
      path: '/json',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        request.body = body;
        return request;
      },
    },
  };
}

/** The bare server's twin of a track link: a GET with a bearer token of the same size. */
export function bareGetRequest(fans: Fan[]): RequestSource {
  const authorization = `Bearer ${'x'.repeat((fans[0] as Fan).token.length)}`;
  return {
    request: {
      method: 'GET',
      setupRequest: (request) => {
        request.path = '/hello';
        (request.headers as Record<string, string>).authorization = authorization;
        return request;
      },
    },
  };
}
