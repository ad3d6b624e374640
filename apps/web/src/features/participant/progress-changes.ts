import type { MyEntry, TaskProgress } from '@proofdrop/contract';

/** The tasks whose count went up between two readings of an entry (a reconnect resends the same state). */
export function countedTasks(before: MyEntry, after: MyEntry): TaskProgress[] {
  const counts = new Map(before.tasks.map((task) => [task.taskId, task.count]));
  return after.tasks.filter((task) => task.count > (counts.get(task.taskId) ?? 0));
}

/** What changed, in words to announce once: a task counted or done, and eligibility reached. */
export function describeProgress(before: MyEntry, after: MyEntry): string[] {
  const messages = countedTasks(before, after).map((task) =>
    task.completed ? `${task.name}: done.` : `${task.name}: ${task.count} of ${task.requiredAmount} counted.`,
  );
  if (after.eligible && !before.eligible) messages.push('You are eligible for the draw.');
  return messages;
}
