import { type Static, type TSchema, Type } from 'typebox';
import {
  CallbackAnswerSchema,
  CallbackBodySchema,
  CallbackEventsQuerySchema,
  CallbackLogQuerySchema,
  CallbackLogSchema,
  CallbackTestInputSchema,
  CallbackTestSchema,
  EventStreamSchema,
  LastEventIdHeadersSchema,
} from './callbacks.js';
import { IdParam, NoContentSchema, OkSchema, ServerFeaturesSchema, SlugParams } from './common.js';
import {
  DrawInputSchema,
  DrawProofSchema,
  DrawResultSchema,
  InclusionParams,
  InclusionProofSchema,
} from './draws.js';
import { ErrorSchema, errorResponses } from './errors.js';
import {
  GiveawayInputSchema,
  GiveawayListSchema,
  GiveawayLookupSchema,
  GiveawayPatchSchema,
  GiveawayRefParams,
  GiveawaySchema,
  GiveawayWithStatsSchema,
  PublishInputSchema,
} from './giveaways.js';
import {
  CredentialsSchema,
  HostSchema,
  InviteSchema,
  PasswordChangeSchema,
  SessionSchema,
  SignedInSchema,
  SignupInputSchema,
  SignupStatusSchema,
} from './hosts.js';
import {
  EntriesPageSchema,
  EntriesQuerySchema,
  EntryInputSchema,
  EntryLinkInputSchema,
  EntrySchema,
  ExportQuerySchema,
  LinkMailedSchema,
  LinkRequestedSchema,
  LinkRequestSchema,
  MyEntryIfAnySchema,
  MyEntrySchema,
  ParticipantsExportSchema,
  PowChallengeSchema,
  VisitSchema,
  WinnersExportSchema,
} from './participants.js';
import {
  KeyRotationInputSchema,
  ProjectInputSchema,
  ProjectListSchema,
  ProjectPatchSchema,
  ProjectSchema,
  ProjectWithWebsitesSchema,
  WebsiteInputSchema,
  WebsitePatchSchema,
  WebsiteSchema,
} from './projects.js';
import {
  AcceptedSchema,
  DeliveryListSchema,
  DeliveryQuerySchema,
  EndpointInputSchema,
  EndpointListSchema,
  EndpointParams,
  EndpointPatchSchema,
  EndpointSchema,
  MessageParams,
  SecretRotationInputSchema,
  WebhookTestSchema,
} from './webhooks.js';

export type RouteSpec = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  params?: TSchema;
  querystring?: TSchema;
  headers?: TSchema;
  body?: TSchema;
  response: Record<number, TSchema>;
};

const ProjectParams = IdParam('projectId', 'prj');
const WebsiteParams = Type.Object({
  ...ProjectParams.properties,
  ...IdParam('websiteId', 'web').properties,
});
const GiveawayParams = IdParam('giveawayId', 'gw');
const TaskParams = IdParam('taskId', 'task');
const CallbackAnswers = Object.fromEntries(
  [200, 400, 401, 404, 409, 413, 415, 422, 429].map((status) => [status, CallbackAnswerSchema]),
) as Record<200 | 400 | 401 | 404 | 409 | 413 | 415 | 422 | 429, typeof CallbackAnswerSchema>;

/**
 * Every route of the API: the server registers each with these schemas, so what it serves cannot drift
 * from what clients are typed against. The server adds what is for people (summaries, tags).
 */
export const routes = {
  signup: {
    method: 'POST',
    url: '/api/v1/auth/signup',
    body: SignupInputSchema,
    response: { 201: SessionSchema, ...errorResponses(400, 403, 409, 429) },
  },
  signupStatus: {
    method: 'GET',
    url: '/api/v1/auth/signup',
    response: { 200: SignupStatusSchema },
  },
  login: {
    method: 'POST',
    url: '/api/v1/auth/login',
    body: CredentialsSchema,
    response: { 200: SessionSchema, ...errorResponses(400, 401, 429) },
  },
  logout: { method: 'POST', url: '/api/v1/auth/logout', response: { 204: Type.Null() } },
  me: { method: 'GET', url: '/api/v1/auth/me', response: { 200: HostSchema, ...errorResponses(401) } },
  signedIn: { method: 'GET', url: '/api/v1/auth/session', response: { 200: SignedInSchema } },
  createInvite: {
    method: 'POST',
    url: '/api/v1/auth/invites',
    response: { 201: InviteSchema, ...errorResponses(401) },
  },
  changePassword: {
    method: 'POST',
    url: '/api/v1/auth/password',
    body: PasswordChangeSchema,
    response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 409, 429) },
  },
  revokeSessions: {
    method: 'POST',
    url: '/api/v1/auth/sessions/revoke',
    response: { 204: Type.Null(), ...errorResponses(401) },
  },

  createProject: {
    method: 'POST',
    url: '/api/v1/projects',
    body: ProjectInputSchema,
    response: { 201: ProjectSchema, ...errorResponses(400, 401) },
  },
  listProjects: {
    method: 'GET',
    url: '/api/v1/projects',
    response: { 200: ProjectListSchema, ...errorResponses(401) },
  },
  getProject: {
    method: 'GET',
    url: '/api/v1/projects/:projectId',
    params: ProjectParams,
    response: { 200: ProjectWithWebsitesSchema, ...errorResponses(401, 404) },
  },
  updateProject: {
    method: 'PATCH',
    url: '/api/v1/projects/:projectId',
    params: ProjectParams,
    body: ProjectPatchSchema,
    response: { 200: ProjectSchema, ...errorResponses(400, 401, 403, 404) },
  },
  deleteProject: {
    method: 'DELETE',
    url: '/api/v1/projects/:projectId',
    params: ProjectParams,
    response: { 204: NoContentSchema, ...errorResponses(401, 403, 404, 409) },
  },
  rotateApiKey: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/api-key/rotate',
    params: ProjectParams,
    body: KeyRotationInputSchema,
    response: { 200: ProjectSchema, ...errorResponses(400, 401, 404, 409) },
  },
  addWebsite: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/websites',
    params: ProjectParams,
    body: WebsiteInputSchema,
    response: { 201: WebsiteSchema, ...errorResponses(400, 401, 404) },
  },
  editWebsite: {
    method: 'PATCH',
    url: '/api/v1/projects/:projectId/websites/:websiteId',
    params: WebsiteParams,
    body: WebsitePatchSchema,
    response: { 200: WebsiteSchema, ...errorResponses(400, 401, 403, 404) },
  },
  removeWebsite: {
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/websites/:websiteId',
    params: WebsiteParams,
    response: { 204: NoContentSchema, ...errorResponses(401, 403, 404, 409) },
  },

  createGiveaway: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/giveaways',
    params: ProjectParams,
    body: GiveawayInputSchema,
    response: { 201: GiveawaySchema, ...errorResponses(400, 401, 404, 422) },
  },
  listGiveaways: {
    method: 'GET',
    url: '/api/v1/projects/:projectId/giveaways',
    params: ProjectParams,
    response: { 200: GiveawayListSchema, ...errorResponses(401, 404) },
  },
  getGiveaway: {
    method: 'GET',
    url: '/api/v1/giveaways/:giveaway',
    params: GiveawayRefParams,
    response: { 200: GiveawayLookupSchema, ...errorResponses(401, 404) },
  },
  editGiveaway: {
    method: 'PATCH',
    url: '/api/v1/giveaways/:giveawayId',
    params: GiveawayParams,
    body: GiveawayPatchSchema,
    response: { 200: GiveawayWithStatsSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
  },
  deleteGiveaway: {
    method: 'DELETE',
    url: '/api/v1/giveaways/:giveawayId',
    params: GiveawayParams,
    response: { 204: NoContentSchema, ...errorResponses(401, 403, 404, 409) },
  },
  publishGiveaway: {
    method: 'POST',
    url: '/api/v1/giveaways/:giveawayId/publish',
    params: GiveawayParams,
    body: PublishInputSchema,
    response: { 200: GiveawayWithStatsSchema, ...errorResponses(400, 401, 404, 409, 422) },
  },
  endGiveaway: {
    method: 'POST',
    url: '/api/v1/giveaways/:giveawayId/end',
    params: GiveawayParams,
    response: { 200: GiveawayWithStatsSchema, ...errorResponses(401, 404, 409) },
  },

  entryChallenge: {
    method: 'GET',
    url: '/api/v1/giveaways/:slug/challenge',
    params: SlugParams,
    response: { 200: PowChallengeSchema, ...errorResponses(404, 409) },
  },
  enter: {
    method: 'POST',
    url: '/api/v1/giveaways/:slug/entries',
    params: SlugParams,
    body: EntryInputSchema,
    response: { 201: EntrySchema, 202: LinkMailedSchema, ...errorResponses(400, 404, 409, 429) },
  },
  followEntryLink: {
    method: 'POST',
    url: '/api/v1/giveaways/:slug/entries/verify',
    params: SlugParams,
    body: EntryLinkInputSchema,
    response: { 200: EntrySchema, ...errorResponses(400, 404) },
  },
  sendEntryLink: {
    method: 'POST',
    url: '/api/v1/giveaways/:slug/entries/link',
    params: SlugParams,
    body: LinkRequestSchema,
    response: { 202: LinkRequestedSchema, ...errorResponses(400, 404, 409, 429) },
  },
  myEntry: {
    method: 'GET',
    url: '/api/v1/giveaways/:slug/entries/me',
    params: SlugParams,
    response: { 200: MyEntrySchema, ...errorResponses(401, 404) },
  },
  myEntryIfAny: {
    method: 'GET',
    url: '/api/v1/giveaways/:slug/entries/mine',
    params: SlugParams,
    response: { 200: MyEntryIfAnySchema, ...errorResponses(404) },
  },
  myEntryEvents: {
    method: 'GET',
    url: '/api/v1/giveaways/:slug/entries/me/events',
    params: SlugParams,
    response: { 200: EventStreamSchema, ...errorResponses(401, 404, 429) },
  },
  visitTask: {
    method: 'POST',
    url: '/api/v1/tasks/:taskId/visits',
    params: TaskParams,
    response: { 200: VisitSchema, ...errorResponses(401, 404, 409) },
  },
  trackLink: {
    method: 'GET',
    url: '/go/:taskId',
    params: TaskParams,
    response: { 302: Type.Null() },
  },
  entries: {
    method: 'GET',
    url: '/api/v1/giveaways/:giveawayId/entries',
    params: GiveawayParams,
    querystring: EntriesQuerySchema,
    response: { 200: EntriesPageSchema, ...errorResponses(400, 401, 404) },
  },
  participants: {
    method: 'GET',
    url: '/api/v1/giveaways/:giveawayId/participants',
    params: GiveawayParams,
    querystring: ExportQuerySchema,
    response: { 200: ParticipantsExportSchema, ...errorResponses(400, 401, 404) },
  },
  winners: {
    method: 'GET',
    url: '/api/v1/giveaways/:giveawayId/winners',
    params: GiveawayParams,
    querystring: ExportQuerySchema,
    response: { 200: WinnersExportSchema, ...errorResponses(400, 401, 404) },
  },

  callback: {
    method: 'POST',
    url: '/api/callback',
    body: CallbackBodySchema,
    response: CallbackAnswers,
  },
  callbackLog: {
    method: 'GET',
    url: '/api/v1/projects/:projectId/callbacks',
    params: ProjectParams,
    querystring: CallbackLogQuerySchema,
    response: { 200: CallbackLogSchema, ...errorResponses(400, 401, 404) },
  },
  callbackLogEvents: {
    method: 'GET',
    url: '/api/v1/projects/:projectId/callbacks/events',
    params: ProjectParams,
    headers: LastEventIdHeadersSchema,
    querystring: CallbackEventsQuerySchema,
    response: { 200: EventStreamSchema, ...errorResponses(400, 401, 404, 429) },
  },
  callbackTest: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/callback-test',
    params: ProjectParams,
    body: CallbackTestInputSchema,
    response: { 201: CallbackTestSchema, ...errorResponses(400, 401, 404, 409, 429) },
  },

  draw: {
    method: 'POST',
    url: '/api/v1/giveaways/:giveawayId/draw',
    params: GiveawayParams,
    body: DrawInputSchema,
    response: { 200: DrawResultSchema, ...errorResponses(400, 401, 404, 409, 422) },
  },
  drawProof: {
    method: 'GET',
    url: '/api/v1/giveaways/:slug/draw',
    params: SlugParams,
    response: { 200: DrawProofSchema, ...errorResponses(404) },
  },
  inclusion: {
    method: 'GET',
    url: '/api/v1/giveaways/:slug/draw/inclusion/:participantId',
    params: InclusionParams,
    response: { 200: InclusionProofSchema, ...errorResponses(404, 409) },
  },

  createWebhook: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/webhooks',
    params: ProjectParams,
    body: EndpointInputSchema,
    response: { 201: EndpointSchema, ...errorResponses(400, 401, 404, 409) },
  },
  listWebhooks: {
    method: 'GET',
    url: '/api/v1/projects/:projectId/webhooks',
    params: ProjectParams,
    response: { 200: EndpointListSchema, ...errorResponses(401, 404) },
  },
  updateWebhook: {
    method: 'PATCH',
    url: '/api/v1/projects/:projectId/webhooks/:endpointId',
    params: EndpointParams,
    body: EndpointPatchSchema,
    response: { 200: EndpointSchema, ...errorResponses(400, 401, 404) },
  },
  enableWebhook: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/webhooks/:endpointId/enable',
    params: EndpointParams,
    response: { 200: EndpointSchema, ...errorResponses(401, 404) },
  },
  rotateWebhookSecret: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/webhooks/:endpointId/rotate-secret',
    params: EndpointParams,
    body: SecretRotationInputSchema,
    response: { 200: EndpointSchema, ...errorResponses(400, 401, 403, 404, 409) },
  },
  deleteWebhook: {
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/webhooks/:endpointId',
    params: EndpointParams,
    response: { 204: NoContentSchema, ...errorResponses(401, 403, 404) },
  },
  testWebhook: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/webhooks/:endpointId/test',
    params: EndpointParams,
    response: { 202: WebhookTestSchema, ...errorResponses(401, 404, 409, 429) },
  },
  webhookDeliveries: {
    method: 'GET',
    url: '/api/v1/projects/:projectId/webhooks/:endpointId/deliveries',
    params: EndpointParams,
    querystring: DeliveryQuerySchema,
    response: { 200: DeliveryListSchema, ...errorResponses(400, 401, 404) },
  },
  redeliver: {
    method: 'POST',
    url: '/api/v1/projects/:projectId/webhooks/:endpointId/messages/:messageId/redeliver',
    params: MessageParams,
    response: { 202: AcceptedSchema, ...errorResponses(401, 404, 429) },
  },

  features: { method: 'GET', url: '/api/v1/features', response: { 200: ServerFeaturesSchema } },
  healthz: { method: 'GET', url: '/healthz', response: { 200: OkSchema } },
  readyz: { method: 'GET', url: '/readyz', response: { 200: OkSchema, 503: ErrorSchema } },
} as const satisfies Record<string, RouteSpec>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;

type Part<R, K extends string> = R extends { [P in K]: infer S extends TSchema } ? Static<S> : undefined;

/** What a client sends and receives on a route, from the table's schemas. */
export type RouteParams<N extends RouteName> = Part<Routes[N], 'params'>;
export type RouteQuery<N extends RouteName> = Part<Routes[N], 'querystring'>;
export type RouteBody<N extends RouteName> = Part<Routes[N], 'body'>;
export type RouteResponse<N extends RouteName, S extends keyof Routes[N]['response']> = Static<
  Routes[N]['response'][S] & TSchema
>;
