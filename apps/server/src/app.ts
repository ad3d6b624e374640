import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '@proofdrop/contract';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { startBackgroundJobs } from './background-jobs.js';
import { callbacksRoutes } from './callbacks/callbacks.routes.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './db/database.js';
import { serverSecret } from './db/server-secrets.js';
import { drawsRoutes } from './draws/draws.routes.js';
import { AppError } from './errors.js';
import { giveawaysRoutes } from './giveaways/giveaways.routes.js';
import { hostsRoutes } from './hosts/hosts.routes.js';
import { registerJsonParser } from './http/body-parsers.js';
import { answerClientErrors, answerFrameworkErrors, registerErrorHandling } from './http/error-handler.js';
import { endEventStreams } from './http/event-stream.js';
import { missingHost } from './http/host-header.js';
import { registerRequestLog } from './http/request-log.js';
import { registerSameOriginCheck } from './http/same-origin.js';
import { registerSecurityHeaders, securityHeaders } from './http/security-headers.js';
import { validatorCompiler } from './http/validation.js';
import { explainSchemaErrors, type SchemaError } from './http/validation-messages.js';
import { findMalformedString } from './http/well-formed.js';
import { type Alarm, type Clock, systemAlarm, systemClock } from './lib/clock.js';
import { opsRoutes } from './ops.routes.js';
import { participantsRoutes } from './participants/participants.routes.js';
import { projectsRoutes } from './projects/projects.routes.js';
import { openSecretBox } from './secrets/sealed-at-rest.js';
import type { SecretBox } from './secrets/secret-box.js';
import { createServices, type Services, type WebhookDns } from './services.js';
import { webRoutes } from './web/web.routes.js';
import { DEFAULT_WEB_ROOT, isPageRequest, loadWebApp, sendPage } from './web/web-app.js';
import { webhooksRoutes } from './webhooks/webhooks.routes.js';

export type AppOptions = {
  config: Config;
  clock?: Clock;
  /** Rings at times of `clock`; a test clock brings its own. */
  alarm?: Alarm;
  /** The web app's build (apps/web/dist); when it is missing the server serves the API alone. */
  webRoot?: string;
  /** How webhook deliveries resolve names; tests bring their own DNS. */
  webhookDns?: WebhookDns;
};
export type App = { app: FastifyInstance; db: Db; services: Services };

/**
 * A connection with nothing sent either way for this long is closed. Live streams send a heartbeat every 15 s,
 * so they stay open.
 */
const IDLE_CONNECTION_MS = 60_000;

/** Never logged: credentials travel in these headers. */
const REDACTED = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/** A hop count trusts that many proxies nearest to us, whatever their addresses. */
function trustProxyOption(trust: Config['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

export async function buildApp({
  config,
  clock = systemClock,
  alarm = systemAlarm,
  webRoot = DEFAULT_WEB_ROOT,
  webhookDns,
}: AppOptions): Promise<App> {
  const web = await loadWebApp(webRoot);
  // The writer's checkpoint thread copies the WAL back; no commit of this connection's does it (SQLite).
  const db = await openDatabase(config.database, 'background');
  const requestTimeoutMs = config.http.requestTimeoutS * 1000;
  let box: SecretBox;
  try {
    box = await openSecretBox(db, config);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const answerHeaders = securityHeaders(config.publicUrl);
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACTED, censor: '[redacted]' } },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    // Messages a participant or host can act on: `task 2: event is required`, not a path and a regex.
    schemaErrorFormatter: (errors, part) => {
      const { message, fields } = explainSchemaErrors(errors as SchemaError[], part);
      return new AppError('invalid_request', message, undefined, fields);
    },
    frameworkErrors: answerFrameworkErrors(answerHeaders.data),
    clientErrorHandler: answerClientErrors(answerHeaders.data),
    // Only then is X-Forwarded-For believed: the throttles count the real client, not the proxy.
    trustProxy: trustProxyOption(config.trustProxy),
    // A client that sends its request slowly, or opens a connection and says nothing, gives it back.
    requestTimeout: requestTimeoutMs,
    connectionTimeout: IDLE_CONNECTION_MS,
    http: {
      // Node looks for late requests on this beat; its default of 30 s would stretch a short timeout.
      connectionsCheckingInterval: 1000,
      requireHostHeader: false,
      headersTimeout: requestTimeoutMs === 0 ? 60_000 : Math.min(60_000, requestTimeoutMs),
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (config.http.maxConnections > 0) app.server.maxConnections = config.http.maxConnections;
  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON (and the callback also forms); a text/plain body is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  registerJsonParser(app);

  registerRequestLog(app);
  if (!web) app.log.warn({ webRoot }, 'the web app is not built (npm run build): serving the API alone');
  registerErrorHandling(
    app,
    web && ((request, reply) => (isPageRequest(request) ? sendPage(reply, web.indexHtml) : undefined)),
  );
  // Path and query too: PostgreSQL cannot even compare a NUL, so `/projects/%00` would fail in the database.
  app.addHook('preValidation', (request, _reply, done) => {
    const problem =
      missingHost(request) ??
      findMalformedString(request.params, 'path') ??
      findMalformedString(request.query, 'query') ??
      findMalformedString(request.body);
    done(problem ? new AppError('invalid_request', problem) : undefined);
  });
  app.addSchema(ErrorSchema);

  registerSecurityHeaders(app, answerHeaders);
  await app.register(cookie, { secret: await serverSecret(db, box, 'cookie_secret') });
  registerSameOriginCheck(app, config.publicUrl);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Proofdrop API',
        version: '0.1.0',
        description: "Giveaways whose entries are proven by the host's own website with signed callbacks.",
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // The validator badge would be an image from elsewhere, which the CSP refuses.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });

  const services = await createServices(db, config, clock, alarm, app.log, box, webhookDns);
  const jobs = startBackgroundJobs(services, app.log);
  // Live streams would hold the close open for ever: end them first, then let requests in flight finish.
  app.addHook('preClose', (done) => {
    endEventStreams(app.server);
    done();
  });
  app.addHook('onClose', async () => {
    await services.webhooks.stop();
    await jobs.stop();
    await services.callbacks.flushRejections();
    services.mail?.close();
    await services.writer.close();
    await services.bus.close();
    await db.destroy();
  });
  await app.register(hostsRoutes, { services });
  await app.register(projectsRoutes, { services });
  await app.register(giveawaysRoutes, { services });
  await app.register(participantsRoutes, { services });
  await app.register(callbacksRoutes, { services });
  await app.register(drawsRoutes, { services });
  await app.register(webhooksRoutes, { services });

  await app.register(opsRoutes, { services, db });
  if (web) await app.register(webRoutes, { web, publicUrl: config.publicUrl, services });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.ready();
  return { app, db, services };
}
