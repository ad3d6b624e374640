import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The web app is served from this origin and built by Vite: its scripts, styles and API calls come from
 * here. React sets inline styles (style attributes), hence 'unsafe-inline' for styles alone; scripts never
 * run inline. /docs (Swagger UI) loads only its own files and works under the same policy.
 */
const DIRECTIVES = {
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

/** Answers that carry an API key, a webhook secret, a session or a participant token: never cached. */
const NO_STORE = [
  /^\/api\/v1\/auth\//,
  /^\/api\/v1\/projects(\/|$)/,
  /^\/api\/v1\/giveaways\/:slug\/entries$/,
];

export async function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): Promise<void> {
  const https = publicUrl.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      // Upgrading requests on a plain-http install would break every request it makes.
      directives: https ? { ...DIRECTIVES, upgradeInsecureRequests: [] } : DIRECTIVES,
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Sent over plain http it would mean nothing, and pin nothing; over https it keeps browsers there.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  app.addHook('onSend', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route && NO_STORE.some((pattern) => pattern.test(route))) reply.header('cache-control', 'no-store');
  });
}
