import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HostSite = { url: string; visits: URL[]; close: () => Promise<void> };

/**
 * A stand-in for the host's own website: the page a participant lands on from "Go". It records each visit's
 * URL, so a test can read the `track_id` and `send` Proofdrop appended, as the host's server would.
 */
export async function startHostSite(): Promise<HostSite> {
  const visits: URL[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host-site.local');
    if (request.method === 'GET' && url.pathname === '/welcome') visits.push(url);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      '<!doctype html><html lang="en"><meta charset="utf-8"><title>Example Shop</title><h1>Welcome to Example Shop</h1>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/welcome?ref=giveaway`,
    visits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
