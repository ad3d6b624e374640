import type { FastifyReply, FastifyRequest } from 'fastify';
import { BoundedMap } from '../lib/bounded-map.js';
import { setSignedCookie, signedCookie } from './auth.js';

/**
 * One cookie for all of a browser's entries, `giveawayId.token` pairs newest first, instead of one cookie
 * per giveaway: those piled up for 180 days each and made every request heavier. It stays on path `/`,
 * since the participant page, the API under /api/v1/giveaways/<slug>, the visits under /api/v1/tasks and
 * the track link under /go all need it. Ids and tokens never hold `.` or `~`, which encode as themselves.
 */
export const PARTICIPANT_COOKIE = 'pd_p';
const COOKIE_DAYS = 180;
/** About 2.8 KB of pairs: a cookie must stay under 4 KB, so the oldest entries give way. */
const MAX_ENTRIES = 40;

/**
 * Cookies already verified, by their signed text, for each server (its cookie plugin's unsign function,
 * which holds the server's secret): a browser sends the same cookie with every request, and checking its
 * signature (an HMAC over up to 4 KB) cost more than the rest of a track link. The text carries its own
 * signature, so a hit is as good as a check. Bounded: about 3 MB a server at most.
 */
const verifiedBy = new WeakMap<FastifyRequest['unsignCookie'], BoundedMap<string, [string, string][]>>();

function entries(request: FastifyRequest): [string, string][] {
  const raw = request.cookies[PARTICIPANT_COOKIE];
  if (!raw) return [];
  let verified = verifiedBy.get(request.unsignCookie);
  if (!verified) {
    verified = new BoundedMap(1000);
    verifiedBy.set(request.unsignCookie, verified);
  }
  const cached = verified.get(raw);
  if (cached) return cached;
  const value = signedCookie(request, PARTICIPANT_COOKIE);
  if (!value) return [];
  const pairs = value
    .split('~')
    .map((pair) => pair.split('.'))
    .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== '' && pair[1] !== '');
  verified.set(raw, pairs);
  return pairs;
}

/** This browser's participant token for the giveaway, if it entered it. */
export function participantTokenFor(request: FastifyRequest, giveawayId: string): string | undefined {
  return entries(request).find(([id]) => id === giveawayId)?.[1];
}

/** Adds an entry to the browser's cookie, keeping its others. */
export function rememberEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: { giveawayId: string; token: string },
  secure: boolean,
): void {
  const kept = entries(request).filter(([id]) => id !== entry.giveawayId);
  const value = [[entry.giveawayId, entry.token], ...kept]
    .slice(0, MAX_ENTRIES)
    .map((pair) => pair.join('.'))
    .join('~');
  setSignedCookie(reply, PARTICIPANT_COOKIE, value, {
    expires: new Date(Date.now() + COOKIE_DAYS * 86_400_000),
    secure,
  });
}
