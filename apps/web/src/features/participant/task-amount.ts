/**
 * How many times a task must be done, as the join form lists it: "(3 times)", unless its name already
 * says so ("Like 3 articles"), where it would read twice.
 */
export function timesNote(name: string, requiredAmount: number): string | undefined {
  if (requiredAmount <= 1) return undefined;
  return new RegExp(`(^|\\D)${requiredAmount}(\\D|$)`).test(name) ? undefined : `${requiredAmount} times`;
}
