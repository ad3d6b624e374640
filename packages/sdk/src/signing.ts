import { canonicalString, signCallback } from '@proofdrop/protocol';

/** The fields a callback signs; `remark` only when the callback carries one (an empty one included). */
export type CallbackFields = { trackId: string; event: string; remark?: string | undefined };

/**
 * The callback's canonical string: `track_id=<trackId>&event=<event>`, plus `&remark=<remark>` when there
 * is a remark. Values are used raw, never URL-encoded.
 *
 * @example
 * canonical({ trackId: 'kq3V9xYh2bQmR7tLp0sWfA', event: 'purchase', remark: 'order=42' });
 * // 'track_id=kq3V9xYh2bQmR7tLp0sWfA&event=purchase&remark=order=42'
 */
export function canonical({ trackId, event, remark }: CallbackFields): string {
  return canonicalString({ trackId, event, remark });
}

/**
 * The callback's `sign`: hex(HMAC-SHA256(key = API key, message = canonical string)), lowercase. For when
 * you post the callback yourself; `sendCallback` signs for you.
 *
 * @example
 * const body = { track_id: trackId, event: 'deposit', remark: deposit.id };
 * body.sign = sign(process.env.PROOFDROP_API_KEY, { trackId, event: 'deposit', remark: deposit.id });
 */
export function sign(apiKey: string, { trackId, event, remark }: CallbackFields): string {
  return signCallback(apiKey, remark === undefined ? { trackId, event } : { trackId, event, remark });
}
