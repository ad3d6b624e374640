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

/**
 * Every problem the rules found, in the body's order: `fields` names each field (`endsAt`, `tasks.1.event`)
 * with its problem in its own name, and `message` joins their sentences. 422 only when every problem is a
 * reference the project does not hold; any problem with the body's own values makes it a 400.
 */
export type DraftProblem = {
  code: 'invalid_request' | 'unprocessable';
  message: string;
  fields: FieldError[];
};

type Problem = { code: DraftProblem['code']; message: string; field: FieldError };

/**
 * Checks what the schema cannot: times in order, tasks on this project's websites, no task twice, and
 * verified emails only on a server that can send mail.
 */
export function checkGiveawayDraft(
  input: GiveawayInput,
  projectWebsiteIds: ReadonlySet<string>,
  now: number,
  canSendMail: boolean,
): GiveawayDraft | DraftProblem {
  const problems: Problem[] = [];
  const startsAt = input.startsAt === undefined ? null : parseIsoTime(input.startsAt);
  const endsAt = input.endsAt === undefined ? null : parseIsoTime(input.endsAt);
  if (startsAt === undefined) problems.push(invalid(`startsAt ${NOT_A_TIME}`, 'startsAt'));
  if (endsAt === undefined) problems.push(invalid(`endsAt ${NOT_A_TIME}`, 'endsAt'));
  else if (endsAt !== null && typeof startsAt === 'number' && endsAt <= startsAt)
    problems.push(invalid('endsAt must be after startsAt', 'endsAt', 'endsAt must be after the start'));
  else if (endsAt !== null && endsAt <= now) problems.push(invalid('endsAt must be in the future', 'endsAt'));

  const seen = new Set<string>();
  const tasks: Required<TaskInput>[] = [];
  for (const [i, task] of input.tasks.entries()) {
    if (!projectWebsiteIds.has(task.websiteId)) {
      problems.push({
        code: 'unprocessable',
        message: `task ${i + 1}: the website is not one of this project's`,
        field: { field: `tasks.${i}.websiteId`, message: "websiteId is not one of this project's websites" },
      });
      continue;
    }
    const pair = `${task.websiteId} ${task.event}`;
    if (seen.has(pair)) {
      problems.push(
        invalid(
          `task ${i + 1} repeats the event "${task.event}" on the same website`,
          `tasks.${i}.event`,
          `event "${task.event}" is already a task on this website`,
        ),
      );
      continue;
    }
    seen.add(pair);
    tasks.push({ ...task, name: task.name.trim(), requiredAmount: task.requiredAmount ?? 1 });
  }
  if (input.requireVerifiedEmail && !canSendMail) {
    const message =
      'requireVerifiedEmail needs outgoing mail, and this server has none: its operator must set SMTP_URL and MAIL_FROM so it can send the links that prove addresses';
    problems.push({ code: 'unprocessable', message, field: { field: 'requireVerifiedEmail', message } });
  }
  if (problems.length > 0) {
    return {
      code: problems.some((p) => p.code === 'invalid_request') ? 'invalid_request' : 'unprocessable',
      message: problems.map((p) => p.message).join('; '),
      fields: problems.map((p) => p.field),
    };
  }

  return {
    title: input.title.trim(),
    description: input.description ?? '',
    startsAt: startsAt ?? null,
    endsAt: endsAt ?? null,
    winnerMode: input.winnerMode,
    winnerCount: input.winnerCount,
    prizes: input.prizes ?? [],
    tasks,
    entryChallenge: input.entryChallenge ?? 'none',
    requireVerifiedEmail: input.requireVerifiedEmail ?? false,
  };
}

/** A problem with one field; the field's own message is the problem's unless it needs the form's words. */
function invalid(message: string, field: string, fieldMessage = message): Problem {
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
