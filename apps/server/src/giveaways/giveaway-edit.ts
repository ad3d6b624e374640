import {
  EDITABLE_FIELDS,
  type EditableField,
  type FieldError,
  type GiveawayInput,
  type GiveawayPatch,
  type Phase,
} from '@proofdrop/contract';
import { NOT_A_TIME, parseIsoTime } from '../lib/iso-time.js';

/**
 * Once published, participants have joined on the stated tasks, prizes and odds, and the draw's seed is
 * committed with the winner count: only the wording and a later end can still change.
 */
const PUBLISHED_FIELDS: EditableField[] = ['title', 'description', 'endsAt'];

export function editableFields(phase: Phase): EditableField[] {
  switch (phase) {
    case 'draft':
      return [...EDITABLE_FIELDS];
    case 'scheduled':
    case 'live':
      return PUBLISHED_FIELDS;
    case 'ended':
    case 'drawn':
      return [];
  }
}

/** A draft's stored fields with the patch laid over them, ready for checkGiveawayDraft. */
export function applyDraftPatch(current: GiveawayInput, patch: GiveawayPatch): GiveawayInput {
  const merged: GiveawayInput = { ...current };
  for (const field of EDITABLE_FIELDS) {
    const value = patch[field];
    if (value === undefined) continue;
    Object.assign(merged, { [field]: value === null ? undefined : value });
  }
  return merged;
}

export type PublishedEdit = { title?: string; description?: string; endsAt?: number };
/** `field`: the body's field it is about, with its problem in its own name (see DraftProblem). */
export type EditProblem = { code: 'invalid_request' | 'invalid_state'; message: string; field?: FieldError };

/** What a published, running giveaway may still change; anything else is refused with the reason. */
export function checkPublishedEdit(
  phase: Phase,
  current: { endsAt: number | null; startsAt: number | null },
  patch: GiveawayPatch,
  now: number,
): PublishedEdit | EditProblem {
  const allowed = editableFields(phase);
  if (allowed.length === 0) {
    return { code: 'invalid_state', message: `the giveaway has ${phase}: nothing about it can change now` };
  }
  const fixed = EDITABLE_FIELDS.filter((f) => patch[f] !== undefined && !allowed.includes(f));
  if (fixed.length > 0) {
    return {
      code: 'invalid_state',
      message: `${fixed.join(', ')} cannot change once the giveaway is published; its title, description and a later endsAt still can`,
    };
  }
  const edit: PublishedEdit = {};
  if (patch.title !== undefined) edit.title = patch.title.trim();
  if (patch.description !== undefined) edit.description = patch.description;
  if (patch.endsAt !== undefined) {
    if (patch.endsAt === null) {
      return endsAtProblem('invalid_state', 'endsAt cannot be cleared once the giveaway is published');
    }
    const endsAt = parseIsoTime(patch.endsAt);
    if (endsAt === undefined) return endsAtProblem('invalid_request', `endsAt ${NOT_A_TIME}`);
    if (current.endsAt !== null && endsAt <= current.endsAt) {
      return endsAtProblem(
        'invalid_state',
        'a published giveaway may only end later than announced, not sooner (End stops it now)',
        'endsAt may only move later once the giveaway is published',
      );
    }
    if (endsAt <= now || (current.startsAt !== null && endsAt <= current.startsAt)) {
      return endsAtProblem(
        'invalid_request',
        'endsAt must be in the future and after startsAt',
        'endsAt must be in the future and after the start',
      );
    }
    edit.endsAt = endsAt;
  }
  return edit;
}

function endsAtProblem(code: EditProblem['code'], message: string, fieldMessage = message): EditProblem {
  return { code, message, field: { field: 'endsAt', message: fieldMessage } };
}
