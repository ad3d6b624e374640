import type { Phase } from '@proofdrop/contract';
import type { GiveawayStatus } from '../db/schema.js';

/**
 * Where a giveaway stands at `now`. The stored status moves only by a host's action (publish, end, draw);
 * `startsAt` and `endsAt` are applied here, so a giveaway whose end passed takes nothing even if nobody
 * pressed "end".
 */

export type Schedule = { status: GiveawayStatus; starts_at: number | null; ends_at: number | null };

export function giveawayPhase(giveaway: Schedule, now: number): Phase {
  switch (giveaway.status) {
    case 'draft':
    case 'ended':
    case 'drawn':
      return giveaway.status;
    case 'live':
      if (giveaway.ends_at !== null && now >= giveaway.ends_at) return 'ended';
      if (giveaway.starts_at !== null && now < giveaway.starts_at) return 'scheduled';
      return 'live';
  }
}

/** When the giveaway ended: when its host ended it, or at its endsAt if that came first; null before. */
export function endedAt(giveaway: Schedule & { ended_at: number | null }, phase: Phase): number | null {
  if (giveaway.ended_at !== null) return giveaway.ended_at;
  return phase === 'ended' || phase === 'drawn' ? giveaway.ends_at : null;
}

/**
 * When the phase next changes by the clock alone (startsAt or endsAt arriving), or null when only a host's
 * action can change it.
 */
export function nextPhaseChange(giveaway: Schedule, now: number): number | null {
  if (giveaway.status !== 'live') return null;
  if (giveaway.starts_at !== null && now < giveaway.starts_at) return giveaway.starts_at;
  if (giveaway.ends_at !== null && now < giveaway.ends_at) return giveaway.ends_at;
  return null;
}

export function notLiveReason(phase: Phase): string {
  switch (phase) {
    case 'draft':
      return 'the giveaway is not published yet';
    case 'scheduled':
      return 'the giveaway has not started yet';
    case 'ended':
      return 'the giveaway has ended';
    case 'drawn':
      return 'the giveaway has ended and its winners are drawn';
    case 'live':
      return 'the giveaway is live';
  }
}
