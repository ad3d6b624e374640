import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The web app is served from this origin and built by Vite: its scripts, styles and API calls come from
 * here. React sets inline styles (style attributes), hence 'unsafe-inline' for styles alone; scripts never
 * run inline. /docs (Swagger UI) loads only its own files and works under the same policy.
 */
const PAGE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Data (JSON, CSV, event streams, scripts, redirects) is never a document: shown anyway, it loads and runs nothing. */
const DATA_DIRECTIVES = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/** What a browser renders as a document of its own, and so what gets the document's policy. */
const DOCUMENT_TYPE = /^\s*(text\/html|application\/xhtml\+xml|image\/svg\+xml)\b/i;

/** Answers that carry an API key, a webhook secret, a session or a participant token: never cached. */
const NO_STORE = [
  /^\/api\/v1\/auth\//,
  /^\/api\/v1\/projects(\/|$)/,
  /^\/api\/v1\/giveaways\/:slug\/entries(\/verify|\/mine)?$/,
];

/** The headers every answer gets, worked out once for a server's public address. */
export type SecurityHeaders = { document: Record<string, string>; data: Record<string, string> };

export function securityHeaders(publicUrl: string): SecurityHeaders {
  const https = publicUrl.startsWith('https:');
  const common = {
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    // Sent over plain http it would mean nothing, and pin nothing; over https it keeps browsers there.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  };
  const document = helmetHeaders({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      // Upgrading requests on a plain-http install would break every request it makes.
      directives: https ? { ...PAGE_DIRECTIVES, upgradeInsecureRequests: [] } : PAGE_DIRECTIVES,
    },
  });
  // Headers that only steer a document (its window, its agent cluster, its DNS prefetching) or old
  // plug-ins and filters mean nothing on data, and each header costs every answer its checks and bytes:
  // data's shorter set took ~7% off the callback's main-thread instructions (the README's speed section).
  const data = helmetHeaders({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: DATA_DIRECTIVES },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  return { document, data };
}

export function registerSecurityHeaders(app: FastifyInstance, headers: SecurityHeaders): void {
  const { document: documentHeaders, data: dataHeaders } = headers;
  // Every answer starts as data; one that turns out to be a document gets the document's headers as it is
  // sent, whichever route, error handler or plug-in made it. On the reply, not the raw response: with no
  // header set on the raw response, Node writes the reply's in one pass, where each raw setHeader would be
  // checked and stored once more. A live stream, which takes the raw response over, writes them itself
  // (event-stream.ts), and the router's own refusals, which no hook sees, get them in answerFrameworkErrors.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(dataHeaders);
    done();
  });
  const noStore = new Map<string, boolean>();
  app.addHook('onSend', (request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && DOCUMENT_TYPE.test(type)) reply.headers(documentHeaders);
    const route = request.routeOptions.url;
    if (route !== undefined) {
      let secret = noStore.get(route);
      if (secret === undefined) {
        secret = NO_STORE.some((pattern) => pattern.test(route));
        noStore.set(route, secret);
      }
      if (secret) reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}

/**
 * The headers helmet sets for these options, worked out once. Our policy holds no per-request part (no
 * nonce), and @fastify/helmet would build helmet's whole middleware again for every request: a tenth of
 * the track link's CPU.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => {},
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}
