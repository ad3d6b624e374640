import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;

/** Open streams per HTTP server: a stream never ends by itself, so closing the server ends them. */
const openStreams = new WeakMap<object, Set<ServerResponse>>();

export function endEventStreams(server: object): void {
  for (const res of openStreams.get(server) ?? []) res.end();
}

export type EventStream = {
  send: (event: string, data: unknown, id?: number) => void;
  /** Called once when the client goes away. */
  onClose: (cleanup: () => void) => void;
};

/** Server-Sent Events on this request: headers now, a comment every 15 s so proxies keep it open. */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  const streams = openStreams.get(request.server.server) ?? new Set<ServerResponse>();
  openStreams.set(request.server.server, streams);
  streams.add(res);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const cleanups: (() => void)[] = [() => clearInterval(heartbeat), () => streams.delete(res)];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  res.once('close', close);
  // The client may have gone while the route was still authorising: then clean up at once.
  if (request.raw.destroyed || res.destroyed) close();
  return {
    send: (event, data, id) => {
      if (closed) return;
      res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose: (cleanup) => {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
  };
}
