/**
 * Progress rules. A task counts units up to its required amount: a callback with a remark is the unit
 * named by that remark (the same remark counts once); a callback without one is always a new unit.
 */

export const PRESET_EVENTS = ['sign_up', 'deposit', 'purchase', 'click', 'play_game'] as const;

/** The key under which a unit is stored; the unique index on it is what makes retries safe. */
export function unitKey(remark: string | undefined, freshId: () => string): string {
  return remark === undefined || remark === '' ? `n:${freshId()}` : `r:${remark}`;
}

export type TaskProgress = { requiredAmount: number; count: number };

export function isComplete(progress: TaskProgress): boolean {
  return progress.count >= progress.requiredAmount;
}

/** Eligible once every task is complete; a giveaway without tasks makes every entrant eligible. */
export function isEligible(tasks: readonly TaskProgress[]): boolean {
  return tasks.every(isComplete);
}

export type CountOutcome = {
  code: 'recorded' | 'completed' | 'duplicate' | 'giveaway_not_live';
  count: number;
  eligible: boolean;
  /** A duplicate because the very same body came within the replay window. */
  replayed?: boolean;
  /** Every task is done, but the entry counts only once its email address is proven. */
  awaitingProof?: boolean;
};

/** What the callback log and the answer say of a counted unit. */
export function countMessage(outcome: CountOutcome, requiredAmount: number): string {
  switch (outcome.code) {
    case 'recorded':
      return `counted ${outcome.count} of ${requiredAmount}`;
    case 'completed':
      if (outcome.awaitingProof) {
        return 'task completed; every task is done, and the entry counts once its email address is confirmed';
      }
      return outcome.eligible
        ? 'task completed; every task is done, the participant is eligible'
        : 'task completed';
    case 'giveaway_not_live':
      return 'the giveaway ended before this callback could be counted';
    case 'duplicate':
      if (outcome.replayed)
        return 'the same callback body came again within the replay window; nothing changed';
      return outcome.count >= requiredAmount
        ? 'the task is already complete; nothing changed'
        : 'this remark was already counted for this task; nothing changed';
  }
}
