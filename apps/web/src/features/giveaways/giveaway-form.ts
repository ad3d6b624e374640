import {
  type EditableField,
  type EntryChallenge,
  type Giveaway,
  type GiveawayInput,
  type GiveawayPatch,
  isBlankText,
  type WinnerMode,
} from '@proofdrop/contract';
import { countOf } from '../../lib/plural';
import { prizeRanks, rankSpan } from '../../lib/prize-ranks';

/** The events most hosts need; any other key (like_article, watch_video…) can be typed. */
export const PRESET_EVENTS = ['sign_up', 'deposit', 'purchase', 'click', 'play_game'] as const;

export type TaskDraft = {
  key: string;
  websiteId: string;
  event: string;
  name: string;
  requiredAmount: string;
};

export type GiveawayForm = {
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  winnerMode: WinnerMode;
  winnerCount: string;
  prizes: { key: string; name: string; description: string }[];
  tasks: TaskDraft[];
  entryChallenge: EntryChallenge;
  requireVerifiedEmail: boolean;
};

let counter = 0;
/** Rows need stable React keys of their own: tasks being edited have no id yet. */
export const rowKey = () => `row-${++counter}`;

/**
 * A new task row on `websiteId`, its event the first preset no task of that website has yet: a website
 * takes each event once, so a second `sign_up` would only be refused.
 */
export function emptyTask(websiteId: string, tasks: readonly TaskDraft[] = []): TaskDraft {
  const taken = new Set(tasks.filter((t) => t.websiteId === websiteId).map((t) => t.event.trim()));
  return {
    key: rowKey(),
    websiteId,
    event: PRESET_EVENTS.find((event) => !taken.has(event)) ?? '',
    name: '',
    requiredAmount: '1',
  };
}

/** `datetime-local` speaks the browser's local time without a zone; the API speaks ISO 8601 instants. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function formFromGiveaway(giveaway: Giveaway | undefined, firstWebsiteId: string): GiveawayForm {
  if (!giveaway) {
    return {
      title: '',
      description: '',
      startsAt: '',
      endsAt: '',
      winnerMode: 'lucky_draw',
      winnerCount: '1',
      prizes: [],
      tasks: [emptyTask(firstWebsiteId)],
      // The API's default stays "none" for scripts; a host creating one here gets bots kept out.
      entryChallenge: 'pow',
      requireVerifiedEmail: false,
    };
  }
  return {
    title: giveaway.title,
    description: giveaway.description,
    // Published without a start time, it started when it was published: the form shows when that was.
    startsAt: toLocalInput(giveaway.startsAt ?? giveaway.publishedAt),
    endsAt: toLocalInput(giveaway.endsAt),
    winnerMode: giveaway.winnerMode,
    winnerCount: String(giveaway.winnerCount),
    prizes: giveaway.prizes.map((p) => ({ key: rowKey(), name: p.name, description: p.description ?? '' })),
    tasks: giveaway.tasks.map((t) => ({
      key: rowKey(),
      websiteId: t.websiteId,
      event: t.event,
      name: t.name,
      requiredAmount: String(t.requiredAmount),
    })),
    entryChallenge: giveaway.entryChallenge,
    requireVerifiedEmail: giveaway.requireVerifiedEmail,
  };
}

type FormValues = Omit<GiveawayInput, 'startsAt' | 'endsAt'> & {
  startsAt: string | null;
  endsAt: string | null;
};

/** The form as the API's input; the server checks it again and its message is shown when it refuses. */
function toGiveawayInput(form: GiveawayForm): FormValues {
  return {
    title: form.title,
    description: form.description,
    startsAt: fromLocalInput(form.startsAt),
    endsAt: fromLocalInput(form.endsAt),
    winnerMode: form.winnerMode,
    winnerCount: Number(form.winnerCount),
    prizes: form.prizes
      .filter((p) => !isBlankText(p.name))
      .map((p) => ({
        name: p.name.trim(),
        ...(isBlankText(p.description) ? {} : { description: p.description.trim() }),
      })),
    tasks: form.tasks.map((t) => ({
      websiteId: t.websiteId,
      event: t.event.trim(),
      name: t.name,
      requiredAmount: Number(t.requiredAmount),
    })),
    entryChallenge: form.entryChallenge,
    requireVerifiedEmail: form.requireVerifiedEmail,
  };
}

/** A create sends everything but empty times; an edit sends only what may still change. */
export function createBody(form: GiveawayForm): GiveawayInput {
  const { startsAt, endsAt, ...rest } = toGiveawayInput(form);
  return { ...rest, ...(startsAt ? { startsAt } : {}), ...(endsAt ? { endsAt } : {}) };
}

export function patchBody(form: GiveawayForm, editable: readonly EditableField[]): GiveawayPatch {
  const input = toGiveawayInput(form);
  const published = !editable.includes('tasks');
  const patch: GiveawayPatch = {};
  for (const field of editable) {
    // A published giveaway's end may only move later; an empty end there means "leave it".
    if (published && field === 'endsAt' && input.endsAt === null) continue;
    Object.assign(patch, { [field]: input[field] });
  }
  return patch;
}

const listOf = new Intl.ListFormat('en', { type: 'conjunction' });

/**
 * What the form's prizes and number of winners leave out, by the prize-per-rank rule: the winners who would
 * get no named prize, or the prizes nobody would get. Null when they match, or before there is a count.
 */
export function prizesNote(form: GiveawayForm): string | null {
  const { prizes, winnerCount } = toGiveawayInput(form);
  if (!Number.isInteger(winnerCount) || winnerCount < 1) return null;
  const { withoutPrize, unawarded } = prizeRanks(prizes ?? [], winnerCount);
  if (unawarded.length > 0) {
    return `With ${countOf(winnerCount, 'winner')}, nobody gets ${listOf.format(unawarded.map((p) => p.name))}.`;
  }
  if (withoutPrize === null) return null;
  const several = withoutPrize.to > withoutPrize.from;
  return `The ${rankSpan(withoutPrize)} ${several ? 'winners get' : 'winner gets'} no named prize.`;
}

export function editableLabel(editable: readonly EditableField[]): string {
  const names: Record<EditableField, string> = {
    title: 'the title',
    description: 'the description',
    startsAt: 'the start',
    endsAt: 'a later end',
    winnerMode: 'the winner mode',
    winnerCount: 'the number of winners',
    prizes: 'the prizes',
    tasks: 'the tasks',
    entryChallenge: 'the bot protection',
    requireVerifiedEmail: 'whether emails are verified',
  };
  return editable.map((f) => names[f]).join(', ');
}
