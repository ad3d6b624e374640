import { type Static, Type } from 'typebox';
import { nullable } from './common.js';

export const WEBHOOK_EVENTS = [
  'participant.joined',
  'task.completed',
  'participant.eligible',
  'giveaway.ended',
  'giveaway.drawn',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

// An enum, not a union of mapped literals, whose static type TypeBox reads as never.
export const WebhookEventSchema = Type.Enum(WEBHOOK_EVENTS, {
  type: 'string',
  errorMessage: `must be one of ${WEBHOOK_EVENTS.join(', ')}`,
});

/** What each event's delivery carries as its `data`. */
export type WebhookEventData = {
  'participant.joined': { giveawayId: string; participantId: string; email: string };
  'task.completed': {
    giveawayId: string;
    participantId: string;
    taskId: string;
    event: string;
    count: number;
  };
  'participant.eligible': { giveawayId: string; participantId: string; eligibleAt: string };
  'giveaway.ended': { giveawayId: string; endedAt: string; eligibleCount: number };
  'giveaway.drawn': {
    giveawayId: string;
    /** `prize`: the name of the prize listed at the winner's rank, null past the end of the list. */
    winners: { participantId: string; rank: number; email: string; prize: string | null }[];
  };
};

/**
 * A test event: sent to one endpoint when its host asks (Send test event), whatever it subscribes to. It
 * changes nothing and is tried once, so a receiver that is not ready neither gets retries for a day nor
 * has its endpoint disabled.
 */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
export type WebhookTestData = { projectId: string; endpointId: string };

/** A delivery's body: `{ type, timestamp, data }`, `data` by its `type`, `timestamp` when it happened. */
export type WebhookPayload =
  | { [E in WebhookEvent]: { type: E; timestamp: string; data: WebhookEventData[E] } }[WebhookEvent]
  | { type: typeof WEBHOOK_TEST_EVENT; timestamp: string; data: WebhookTestData };

export const EndpointSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  secret: Type.String({ description: 'whsec_…: verify deliveries with any Standard Webhooks library' }),
  enabled: Type.Boolean(),
  previousSecretExpiresAt: nullable(Type.String(), {
    description: 'after a rotation with a grace period: until when deliveries also carry the old signature',
  }),
  disabledReason: nullable(Type.String(), { description: 'why deliveries stopped, when they did' }),
  createdAt: Type.String(),
});
export type Endpoint = Static<typeof EndpointSchema>;

export const EndpointListSchema = Type.Object({ endpoints: Type.Array(EndpointSchema) });
export type EndpointList = Static<typeof EndpointListSchema>;

/** An endpoint's events: one at least, each once at most (repeats are dropped). */
const endpointEvents = (description: string, errorMessage: string) =>
  Type.Array(WebhookEventSchema, { minItems: 1, maxItems: WEBHOOK_EVENTS.length, description, errorMessage });

export const EndpointInputSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    events: Type.Optional(
      endpointEvents(
        'the events to deliver; without it, every one',
        'must name at least one event (leave it out for every event)',
      ),
    ),
  },
  { additionalProperties: false },
);
export type EndpointInput = Static<typeof EndpointInputSchema>;

export const EndpointPatchSchema = Type.Object(
  {
    events: Type.Optional(
      endpointEvents(
        'the events to deliver from now on',
        'must name at least one event (to deliver none, set enabled to false)',
      ),
    ),
    enabled: Type.Optional(
      Type.Boolean({ description: 'false: no event is queued for it until it is enabled again' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type EndpointPatch = Static<typeof EndpointPatchSchema>;

export const EndpointParams = Type.Object({
  projectId: Type.String({ maxLength: 64 }),
  endpointId: Type.String({ maxLength: 64 }),
});

export const SecretRotationInputSchema = Type.Optional(
  Type.Object(
    {
      graceHours: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 720,
          description: 'how long deliveries are also signed with the old secret (default 24)',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);
export type SecretRotationInput = Static<typeof SecretRotationInputSchema>;

export const MessageParams = Type.Object({
  ...EndpointParams.properties,
  messageId: Type.String({ maxLength: 64 }),
});

/** Where a delivery stands: still to go (or to retry), delivered, or given up after its retries. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** How many of an endpoint's newest deliveries one read filtered by state looks through (see nextBefore). */
export const DELIVERY_SCAN = 5_000;

/** A page's `nextBefore`: the last delivery shown, as its time and id, which order the list. */
export const DELIVERY_CURSOR_PATTERN = '^[0-9]{1,15}:[A-Za-z0-9_]{1,64}$';

export const DeliveryQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  state: Type.Optional(
    Type.Enum(DELIVERY_STATES, {
      type: 'string',
      errorMessage: `must be one of ${DELIVERY_STATES.join(', ')}`,
      description: 'only deliveries in this state',
    }),
  ),
  before: Type.Optional(
    Type.String({
      pattern: DELIVERY_CURSOR_PATTERN,
      errorMessage: "must be a page's nextBefore",
      description: "only deliveries older than this: the last page's nextBefore",
    }),
  ),
});
export type DeliveryQuery = Static<typeof DeliveryQuerySchema>;

export const DeliverySchema = Type.Object({
  messageId: Type.String(),
  eventType: Type.String(),
  state: Type.Enum(DELIVERY_STATES, { type: 'string' }),
  attempts: Type.Array(
    Type.Object({
      at: Type.String(),
      status: nullable(Type.Integer()),
      error: nullable(Type.String()),
      durationMs: Type.Integer(),
    }),
  ),
  nextAttemptAt: nullable(Type.String()),
  createdAt: Type.String(),
});
export type Delivery = Static<typeof DeliverySchema>;

export const DeliveryListSchema = Type.Object({
  deliveries: Type.Array(DeliverySchema),
  nextBefore: nullable(Type.String(), {
    description: `pass as before to read on, older: null once no older delivery is left. A read filtered by state looks through at most ${DELIVERY_SCAN} deliveries, so a page may hold fewer than limit, or none, and still have a nextBefore`,
  }),
});
export type DeliveryList = Static<typeof DeliveryListSchema>;

export const AcceptedSchema = Type.Object({ ok: Type.Literal(true) });

export const WebhookTestSchema = Type.Object({
  ok: Type.Literal(true),
  messageId: Type.String({ description: "the test delivery's id: it shows in the endpoint's deliveries" }),
});
export type WebhookTest = Static<typeof WebhookTestSchema>;
