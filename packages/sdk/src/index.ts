export { type CallbackInput, type ClientOptions, createClient, type ProofdropClient } from './client.js';
export { ProofdropError, type ProofdropErrorCode } from './errors.js';
export { type CallbackFields, canonical, sign } from './signing.js';
export type { CallbackVerdict } from './verdict.js';
export {
  verifyWebhook,
  WEBHOOK_TOLERANCE_S,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookHeaders,
} from './webhooks.js';
