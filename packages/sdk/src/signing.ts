// Temporary until @proofdrop/protocol lands on main: then sign and canonical are re-exported from it.
import { createHmac } from 'node:crypto';

export type CallbackFields = { trackId: string; event: string; remark?: string | undefined };

export function canonical({ trackId, event, remark }: CallbackFields): string {
  const base = `track_id=${trackId}&event=${event}`;
  return remark === undefined ? base : `${base}&remark=${remark}`;
}

export function sign(apiKey: string, fields: CallbackFields): string {
  return createHmac('sha256', apiKey).update(canonical(fields), 'utf8').digest('hex');
}
