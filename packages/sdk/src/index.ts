export {
  type CallbackInput,
  type CallbackVerdict,
  type ClientOptions,
  createClient,
  type ProofdropClient,
  type SignatureVersion,
  type VerdictCode,
} from './client.js';
export { ProofdropError, type ProofdropErrorCode } from './errors.js';
export { type CallbackFields, canonical, sign } from './signing.js';
export {
  verifyWebhook,
  type WebhookEvent,
  type WebhookEventData,
  type WebhookEventType,
  type WebhookHeaders,
} from './webhooks.js';
