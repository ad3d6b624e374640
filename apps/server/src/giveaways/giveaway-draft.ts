import type {
  EntryChallenge,
  FieldError,
  GiveawayInput,
  Prize,
  TaskInput,
  WinnerMode,
} from '@proofdrop/contract';
import { NOT_A_TIME, parseIsoTime } from '../lib/iso-time.js';

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

/** `field`: the body's field it is about (`endsAt`, `tasks.1.event`), with its problem in its own name. */
export type DraftProblem = {
  code: 'invalid_request' | 'unprocessable';
  message: string;
  field?: FieldError;
};

/** Checks what the schema cannot: times in order, tasks on this project's websites, no task twice. */
export function checkGiveawayDraft(
  input: GiveawayInput,
  projectWebsiteIds: ReadonlySet<string>,
  now: number,
): GiveawayDraft | DraftProblem {
  const startsAt = input.startsAt === undefined ? null : parseIsoTime(input.startsAt);
  const endsAt = input.endsAt === undefined ? null : parseIsoTime(input.endsAt);
  if (startsAt === undefined) return invalid(`startsAt ${NOT_A_TIME}`, 'startsAt');
  if (endsAt === undefined) return invalid(`endsAt ${NOT_A_TIME}`, 'endsAt');
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt)
    return invalid('endsAt must be after startsAt', 'endsAt', 'endsAt must be after the start');
  if (endsAt !== null && endsAt <= now) return invalid('endsAt must be in the future', 'endsAt');

  const seen = new Set<string>();
  const tasks: Required<TaskInput>[] = [];
  for (const [i, task] of input.tasks.entries()) {
    if (!projectWebsiteIds.has(task.websiteId)) {
      return {
        code: 'unprocessable',
        message: `task ${i + 1}: the website is not one of this project's`,
        field: { field: `tasks.${i}.websiteId`, message: "websiteId is not one of this project's websites" },
      };
    }
    const pair = `${task.websiteId} ${task.event}`;
    if (seen.has(pair)) {
      return invalid(
        `task ${i + 1} repeats the event "${task.event}" on the same website`,
        `tasks.${i}.event`,
        `event "${task.event}" is already a task on this website`,
      );
    }
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

/** A problem with one field; the field's own message is the problem's unless it needs the form's words. */
function invalid(message: string, field: string, fieldMessage = message): DraftProblem {
  return { code: 'invalid_request', message, field: { field, message: fieldMessage } };
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
