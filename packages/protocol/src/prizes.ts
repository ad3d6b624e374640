import type { Prize } from '@proofdrop/contract';

/**
 * Which prize a winner gets. The host lists the prizes in rank order: prize 1 goes to winner #1, prize 2
 * to winner #2, and so on. A winner ranked past the end of the list gets no named prize (null), and a
 * prize listed past the number of winners goes to nobody. A giveaway that gives every winner the same
 * prize lists it once per winner. The server's answers, exports, webhooks and mails and the web app's
 * pages all read a winner's prize here.
 */
export function prizeForRank<P extends Prize>(prizes: readonly P[], rank: number): P | null {
  if (!Number.isInteger(rank) || rank < 1) return null;
  return prizes[rank - 1] ?? null;
}

/** The prizes some winner can get, with the rank that gets each: those beyond `winnerCount` go to nobody. */
export function awardedPrizes<P extends Prize>(
  prizes: readonly P[],
  winnerCount: number,
): { rank: number; prize: P }[] {
  const awarded: { rank: number; prize: P }[] = [];
  for (let rank = 1; rank <= winnerCount; rank++) {
    const prize = prizeForRank(prizes, rank);
    if (prize === null) break;
    awarded.push({ rank, prize });
  }
  return awarded;
}
