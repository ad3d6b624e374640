import type { SignatureVersion } from '@proofdrop/contract';
import {
  acceptedCanonicals,
  diagnoseSignature,
  isFreshTimestamp,
  MISTAKE_HINTS,
  type SignedFields,
  unverifiedMessage,
  V2_MAX_SKEW_SECONDS,
  verifySignature,
} from '@proofdrop/protocol';
import { giveawayPhase, notLiveReason, type Schedule } from '../giveaways/lifecycle.js';
import { nodeHmacHex } from '../lib/hmac.js';

/**
 * The callback's rules, in the contract's order: the track_id exists → the signature verifies → the
 * giveaway is live → the event is a task of the track_id's website → count. A caller without a valid
 * signature learns nothing about the giveaway or its tasks.
 */

export type CallbackBody = {
  track_id: string;
  event: string;
  remark?: string;
  sign: string;
  /** v2: unix seconds, signed as `&ts=<ts>`. */
  ts?: number | string;
};

export type TrackRecord = {
  trackId: string;
  projectId: string;
  websiteId: string;
  websiteName: string;
  /** null for a Check API callback test id, which verifies the signature and counts nothing. */
  entry: { giveawayId: string; participantId: string; schedule: Schedule } | null;
  /** The tasks of this website in this giveaway. */
  tasks: readonly { id: string; event: string; requiredAmount: number }[];
};

export type Rejection = {
  outcome: 'reject';
  code: 'unknown_track_id' | 'invalid_signature' | 'stale_timestamp' | 'giveaway_not_live' | 'unknown_event';
  message: string;
  /** What the log says when it differs from the answer: the log shows the expected string beside it. */
  logDetail?: string;
  expectedCanonical?: string;
  hint?: string;
};

export type Verdict =
  | Rejection
  | { outcome: 'test' }
  | { outcome: 'count'; taskId: string; requiredAmount: number; remark: string | undefined };

export function signedFields(body: CallbackBody): SignedFields {
  return {
    trackId: body.track_id,
    event: body.event,
    remark: body.remark,
    ts: body.ts === undefined ? undefined : String(body.ts),
  };
}

export function judgeCallback(
  body: CallbackBody,
  track: TrackRecord | undefined,
  keys: readonly string[],
  now: number,
  signatureVersion: SignatureVersion,
  /** Look for the known signing mistakes when the signature fails (several HMACs more). */
  diagnose = true,
): Verdict {
  if (!track) {
    return {
      outcome: 'reject',
      code: 'unknown_track_id',
      message:
        "no such track_id: send the track_id the participant's link brought (its ?track_id=…) as it came, to the Proofdrop whose giveaway made it",
    };
  }

  const fields = signedFields(body);
  if (signatureVersion === 'v2' && fields.ts === undefined) {
    return {
      outcome: 'reject',
      code: 'invalid_signature',
      message:
        'this project accepts v2 signatures only: send ts (unix seconds) in the body and sign the canonical string with "&ts=" + ts appended',
    };
  }
  if (!verifySignature(fields, body.sign, keys, nodeHmacHex)) {
    if (!diagnose)
      return { outcome: 'reject', code: 'invalid_signature', message: unverifiedMessage(fields) };
    const mistake = keys[0] === undefined ? undefined : diagnoseSignature(fields, body.sign, keys[0]);
    const hint = mistake && MISTAKE_HINTS[mistake];
    return {
      outcome: 'reject',
      code: 'invalid_signature',
      message: hint
        ? `sign does not verify: ${hint}`
        : `${unverifiedMessage(fields)}; the project's callback log shows the expected string`,
      ...(hint ? {} : { logDetail: unverifiedMessage(fields) }),
      expectedCanonical: acceptedCanonicals(fields).join('\n'),
      ...(hint ? { hint } : {}),
    };
  }

  // Checked once the signature holds: only a genuine but old (or replayed) callback is called stale.
  if (fields.ts !== undefined && !isFreshTimestamp(fields.ts, now)) {
    const skew = Math.round(Number(fields.ts) - now / 1000);
    return {
      outcome: 'reject',
      code: 'stale_timestamp',
      message: `ts is ${Math.abs(skew)} s ${skew < 0 ? 'behind' : 'ahead of'} the server's clock (${Math.floor(now / 1000)}); v2 callbacks are accepted within ±${V2_MAX_SKEW_SECONDS} s of their ts: sign when sending, and check the sending server's clock`,
    };
  }
  if (!track.entry) return { outcome: 'test' };

  const phase = giveawayPhase(track.entry.schedule, now);
  if (phase !== 'live')
    return { outcome: 'reject', code: 'giveaway_not_live', message: notLiveReason(phase) };

  const task = track.tasks.find((t) => t.event === body.event);
  if (!task) {
    const events = track.tasks.map((t) => t.event).join(', ') || 'none';
    return {
      outcome: 'reject',
      code: 'unknown_event',
      message: `event "${body.event}" is not a task of website "${track.websiteName}" in this giveaway (its events: ${events})`,
    };
  }
  return { outcome: 'count', taskId: task.id, requiredAmount: task.requiredAmount, remark: body.remark };
}

/**
 * What a verified callback on a Check API callback test track_id says: a test id belongs to no giveaway,
 * so its event is checked against the tasks its website has in any giveaway, and a wrong event name does
 * not pass for one a real callback would count.
 */
export function testCallbackMessage(
  event: string,
  websiteName: string,
  websiteEvents: readonly string[],
): string {
  const verified = 'signature verified on a test track_id; nothing was counted';
  if (websiteEvents.includes(event)) {
    return `${verified}, and event "${event}" is a task of website "${websiteName}"`;
  }
  const known =
    websiteEvents.length === 0
      ? 'it has no task in any giveaway yet'
      : `its tasks' events: ${websiteEvents.join(', ')}`;
  return `${verified}, but event "${event}" is no task of website "${websiteName}" (${known}): a participant's callback with it would be refused as unknown_event`;
}

/**
 * The name of the first of the host's other projects whose key verifies a callback this project's did
 * not: a site that signs with its staging project's key, say. For the host's log alone, which may name
 * the host's own projects; the caller's answer does not.
 */
export function projectSignedWith(
  body: CallbackBody,
  others: readonly { name: string; keys: readonly string[] }[],
): string | undefined {
  const fields = signedFields(body);
  return others.find((other) => verifySignature(fields, body.sign, other.keys, nodeHmacHex))?.name;
}

export const otherProjectHint = (name: string) =>
  `signed with the API key of your project "${name}", not this project's: sign with this project's key`;
