import type { CountOutcome } from '../../giveaways/progress.js';
import type { CountOp, LogRow, WriteOp, WriteResult } from '../operations.js';

/**
 * A batch and its answers as they cross to the writer thread and back: one flat array of strings and
 * numbers each way, a tag and then the fields of each operation in a fixed order. Structured clone copies
 * every object's keys with its values; a flat array is cheaper to copy on the main thread, where the
 * requests are answered, and leaves less garbage there. The writer thread rebuilds the objects.
 */
export type Flat = (string | number | null)[];

const LOG = 0;
const COUNT = 1;
const TRACK = 2;
const ERROR = 3;

const ELIGIBLE = 1;
const REPLAYED = 2;
const AWAITING_PROOF = 4;

export function encodeOps(ops: WriteOp[]): Flat {
  const flat: Flat = [];
  for (const op of ops) {
    if (op.kind === 'log') {
      const l = op.log;
      flat.push(LOG, ...logFields(l), l.code, l.detail);
    } else if (op.kind === 'count') {
      flat.push(
        COUNT,
        op.taskId,
        op.participantId,
        op.giveawayId,
        op.requiredAmount,
        op.unitKey,
        op.replay?.sign ?? null,
        op.replay?.expiresAt ?? null,
        ...logFields(op.log),
      );
    } else {
      const r = op.row;
      flat.push(TRACK, r.track_id, r.project_id, r.website_id, r.giveaway_id, r.participant_id, r.created_at);
    }
  }
  return flat;
}

function logFields(l: Omit<LogRow, 'code' | 'detail'>): Flat {
  return [l.project_id, l.received_at, l.track_id, l.event, l.remark, l.expected_canonical, l.hint];
}

export function decodeOps(flat: Flat): WriteOp[] {
  const ops: WriteOp[] = [];
  let i = 0;
  const next = <T>() => flat[i++] as T;
  // A count's log row always has its event; a log row's may be null.
  const log = <E extends string | null>(): Omit<LogRow, 'code' | 'detail' | 'event'> & { event: E } => ({
    project_id: next(),
    received_at: next(),
    track_id: next(),
    event: next<E>(),
    remark: next(),
    expected_canonical: next(),
    hint: next(),
  });
  while (i < flat.length) {
    const tag = next<number>();
    if (tag === LOG) {
      const fields = log<string | null>();
      ops.push({ kind: 'log', log: { ...fields, code: next(), detail: next() } });
    } else if (tag === COUNT) {
      const taskId = next<string>();
      const participantId = next<string>();
      const giveawayId = next<string>();
      const requiredAmount = next<number>();
      const unitKey = next<string>();
      const sign = next<string | null>();
      const expiresAt = next<number | null>();
      const op: CountOp = {
        kind: 'count',
        taskId,
        participantId,
        giveawayId,
        requiredAmount,
        unitKey,
        log: log<string>(),
      };
      if (sign !== null && expiresAt !== null) op.replay = { sign, expiresAt };
      ops.push(op);
    } else {
      ops.push({
        kind: 'track',
        row: {
          track_id: next(),
          project_id: next(),
          website_id: next(),
          giveaway_id: next(),
          participant_id: next(),
          created_at: next(),
        },
      });
    }
  }
  return ops;
}

export function encodeResults(results: WriteResult[]): Flat {
  const flat: Flat = [];
  for (const r of results) {
    if (r.kind === 'log') flat.push(LOG, r.logId);
    else if (r.kind === 'count') {
      const flags =
        (r.eligible ? ELIGIBLE : 0) | (r.replayed ? REPLAYED : 0) | (r.awaitingProof ? AWAITING_PROOF : 0);
      flat.push(COUNT, r.logId, r.code, r.count, flags);
    } else if (r.kind === 'track') flat.push(TRACK, r.trackId);
    else flat.push(ERROR, r.message);
  }
  return flat;
}

export function decodeResults(flat: Flat): WriteResult[] {
  const results: WriteResult[] = [];
  let i = 0;
  const next = <T>() => flat[i++] as T;
  while (i < flat.length) {
    const tag = next<number>();
    if (tag === LOG) results.push({ kind: 'log', logId: next() });
    else if (tag === COUNT) {
      const logId = next<number>();
      const code = next<CountOutcome['code']>();
      const count = next<number>();
      const flags = next<number>();
      results.push({
        kind: 'count',
        logId,
        code,
        count,
        eligible: (flags & ELIGIBLE) !== 0,
        ...(flags & REPLAYED ? { replayed: true } : {}),
        ...(flags & AWAITING_PROOF ? { awaitingProof: true } : {}),
      });
    } else if (tag === TRACK) results.push({ kind: 'track', trackId: next() });
    else results.push({ kind: 'error', message: next() });
  }
  return results;
}
