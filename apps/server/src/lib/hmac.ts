import { createHmac } from 'node:crypto';
import type { HmacHex } from '@proofdrop/protocol';

/**
 * The protocol's HMAC through node:crypto: the same digest as its portable one (hmac.test.ts checks both
 * against the shared vectors), in a third of the time, on the path every callback takes.
 */
export const nodeHmacHex: HmacHex = (key, message) =>
  createHmac('sha256', key).update(message, 'utf8').digest('hex');
