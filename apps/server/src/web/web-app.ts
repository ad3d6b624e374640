import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** apps/web/dist, seen from src/web/ (tsx) and dist/web/ (the build) alike. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** The web app's build: its folder of files and the page shell every client-side route answers with. */
export type WebApp = { root: string; indexHtml: string };

/** The build, or undefined when it has not been built: the server then serves the API alone. */
export async function loadWebApp(root: string): Promise<WebApp | undefined> {
  try {
    return { root, indexHtml: await fs.readFile(path.join(root, 'index.html'), 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Paths that are never a page: the API, the track links, the API docs and the build's own files. */
const NOT_PAGES = /^\/(api|go|docs|assets)(\/|$)/;

/**
 * A browser opening a client-side route (`/projects/…`, a reload on any screen) gets the page shell, and the
 * app's router draws the screen. Anything else that matched no route keeps the API's JSON 404.
 */
export function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (NOT_PAGES.test(request.url)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export function sendPage(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .serializer((payload: string) => payload)
    .send(html);
}
