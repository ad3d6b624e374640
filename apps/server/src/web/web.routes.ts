import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SlugParams } from '@proofdrop/contract';
import { AppError } from '../errors.js';
import type { Services } from '../services.js';
import { withHead } from './page-head.js';
import { sendPage, type WebApp } from './web-app.js';

type WebRoutesOptions = { web: WebApp; publicUrl: string; services: Pick<Services, 'giveaways'> };

/** Hashed file names change with their content, so a browser may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export const webRoutes: FastifyPluginAsyncTypebox<WebRoutesOptions> = async (
  app,
  { web, publicUrl, services: { giveaways } },
) => {
  await app.register(fastifyStatic, {
    root: web.root,
    // Files are listed once at start, so an unknown path falls through to the page shell or the JSON 404.
    wildcard: false,
    index: false,
    setHeaders: (reply, filePath) => {
      reply.header('cache-control', filePath.includes('/assets/') ? IMMUTABLE : 'no-cache');
    },
  });

  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendPage(reply, web.indexHtml));

  /** The participant page and its proof: the shell, headed with the giveaway's title for link previews. */
  for (const [suffix, titled] of [
    ['', (title: string) => title],
    ['/proof', (title: string) => `Proof of the draw: ${title}`],
  ] as const) {
    app.get(`/g/:slug${suffix}`, { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
      const url = `${publicUrl}/g/${encodeURIComponent(request.params.slug)}${suffix}`;
      try {
        const giveaway = await giveaways.getPublic(request.params.slug);
        const head = { title: titled(giveaway.title), description: giveaway.description, url };
        return sendPage(reply, withHead(web.indexHtml, head));
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found')
          return sendPage(reply, web.indexHtml, 404);
        throw error;
      }
    });
  }
};
