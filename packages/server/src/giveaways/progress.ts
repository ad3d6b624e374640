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
