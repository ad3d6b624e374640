import { canonicalString, signCallback } from '@proofdrop/protocol';

/**
 * The fields a callback signs; `remark` only when the callback carries one (an empty one included), `ts`
 * (unix seconds) only for a v2 signature, and then the body carries the same `ts`.
 */
export type CallbackFields = {
  trackId: string;
  event: string;
  remark?: string | undefined;
  ts?: number | string | undefined;
};

/**
 * The callback's canonical string: `track_id=<trackId>&event=<event>`, plus `&remark=<remark>` when there
 * is a remark, plus `&ts=<ts>` for a v2 signature. Values are used raw, never URL-encoded.
 *
 * @example
 * canonical({ trackId: 'kq3V9xYh2bQmR7tLp0sWfA', event: 'purchase', remark: 'order=42' });
 * // 'track_id=kq3V9xYh2bQmR7tLp0sWfA&event=purchase&remark=order=42'
 * canonical({ trackId: 'kq3V9xYh2bQmR7tLp0sWfA', event: 'purchase', remark: 'order=42', ts: 1790000000 });
 * // 'track_id=kq3V9xYh2bQmR7tLp0sWfA&event=purchase&remark=order=42&ts=1790000000'
 */
export function canonical({ trackId, event, remark, ts }: CallbackFields): string {
  return canonicalString({ trackId, event, remark, ts: ts === undefined ? undefined : String(ts) });
}

/**
 * The callback's `sign`: hex(HMAC-SHA256(key = API key, message = canonical string)), lowercase. For when
 * you post the callback yourself; `sendCallback` signs for you. With `ts` it is a v2 signature: send that
 * `ts` in the body too, and sign just before sending, since Proofdrop refuses it 5 minutes later.
 *
 * @example
 * const body = { track_id: trackId, event: 'deposit', remark: deposit.id };
 * body.sign = sign(process.env.PROOFDROP_API_KEY, { trackId, event: 'deposit', remark: deposit.id });
 *
 * // v2: the same, with the current unix time in seconds, signed and sent.
 * const ts = Math.floor(Date.now() / 1000);
 * const v2 = { track_id: trackId, event: 'deposit', remark: deposit.id, ts };
 * v2.sign = sign(process.env.PROOFDROP_API_KEY, { trackId, event: 'deposit', remark: deposit.id, ts });
 */
export function sign(apiKey: string, { trackId, event, remark, ts }: CallbackFields): string {
  return signCallback(apiKey, {
    trackId,
    event,
    ...(remark === undefined ? {} : { remark }),
    ...(ts === undefined ? {} : { ts }),
  });
}
