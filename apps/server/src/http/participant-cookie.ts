import type { FastifyReply, FastifyRequest } from 'fastify';
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

function entries(request: FastifyRequest): [string, string][] {
  const value = signedCookie(request, PARTICIPANT_COOKIE);
  if (!value) return [];
  return value
    .split('~')
    .map((pair) => pair.split('.'))
    .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== '' && pair[1] !== '');
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
