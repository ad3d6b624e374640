import type { EntryChallenge, GiveawayInput, Prize, TaskInput, WinnerMode } from '@proofdrop/contract';

export type GiveawayDraft = {
  title: string;
  description: string;
  startsAt: number | null;
  endsAt: number | null;
  winnerMode: WinnerMode;
  winnerCount: number;
  prizes: Prize[];
  tasks: Required<TaskInput>[];
  entryChallenge: EntryChallenge;
  requireVerifiedEmail: boolean;
};

export type DraftProblem = { code: 'invalid_request' | 'unprocessable'; message: string };

/** Checks what the schema cannot: times in order, tasks on this project's websites, no task twice. */
export function checkGiveawayDraft(
  input: GiveawayInput,
  projectWebsiteIds: ReadonlySet<string>,
  now: number,
): GiveawayDraft | DraftProblem {
  const startsAt = input.startsAt === undefined ? null : Date.parse(input.startsAt);
  const endsAt = input.endsAt === undefined ? null : Date.parse(input.endsAt);
  if (Number.isNaN(startsAt)) return invalid('startsAt is not a valid ISO 8601 time');
  if (Number.isNaN(endsAt)) return invalid('endsAt is not a valid ISO 8601 time');
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt)
    return invalid('endsAt must be after startsAt');
  if (endsAt !== null && endsAt <= now) return invalid('endsAt must be in the future');

  const seen = new Set<string>();
  const tasks: Required<TaskInput>[] = [];
  for (const [i, task] of input.tasks.entries()) {
    if (!projectWebsiteIds.has(task.websiteId)) {
      return { code: 'unprocessable', message: `task ${i + 1}: the website is not one of this project's` };
    }
    const pair = `${task.websiteId} ${task.event}`;
    if (seen.has(pair)) return invalid(`task ${i + 1} repeats the event "${task.event}" on the same website`);
    seen.add(pair);
    tasks.push({ ...task, name: task.name.trim(), requiredAmount: task.requiredAmount ?? 1 });
  }

  return {
    title: input.title.trim(),
    description: input.description ?? '',
    startsAt,
    endsAt,
    winnerMode: input.winnerMode,
    winnerCount: input.winnerCount,
    prizes: input.prizes ?? [],
    tasks,
    entryChallenge: input.entryChallenge ?? 'none',
    requireVerifiedEmail: input.requireVerifiedEmail ?? false,
  };
}

function invalid(message: string): DraftProblem {
  return { code: 'invalid_request', message };
}

export function slugify(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return base || 'giveaway';
}
