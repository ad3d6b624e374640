import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;

/** Open streams per HTTP server: a stream never ends by itself, so closing the server ends them. */
const openStreams = new WeakMap<object, Set<ServerResponse>>();

export function endEventStreams(server: object): void {
  for (const res of openStreams.get(server) ?? []) res.end();
}

/**
 * What a stream may hold unsent for a client that reads slowly. Past it the stream is ended: the client
 * reconnects and, where it can, resumes with Last-Event-ID, instead of the server buffering without end.
 */
const MAX_UNSENT_BYTES = 1024 * 1024;

export type EventStream = {
  /** Resolves once the event is handed to the socket, waiting for `drain` when the client reads slowly. */
  send: (event: string, data: unknown, id?: number) => Promise<void>;
  /** Called once when the client goes away. */
  onClose: (cleanup: () => void) => void;
  /** Ends the stream from this side (the client reconnects, and is authorised afresh). */
  end: () => void;
};

/** Server-Sent Events on this request: headers now, a comment every 15 s so proxies keep it open. */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const res = reply.raw;
  // The reply's headers so far (the security headers, CORS) go on the stream too.
  res.writeHead(200, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  const streams = openStreams.get(request.server.server) ?? new Set<ServerResponse>();
  openStreams.set(request.server.server, streams);
  streams.add(res);
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
  const cleanups: (() => void)[] = [() => clearInterval(heartbeat), () => streams.delete(res)];
  let closed = false;
  let drained: Promise<void> | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const write = (text: string): Promise<void> => {
    if (closed) return Promise.resolve();
    if (res.writableLength > MAX_UNSENT_BYTES) {
      res.destroy();
      return Promise.resolve();
    }
    if (res.write(text)) return drained ?? Promise.resolve();
    drained ??= new Promise<void>((resolve) => {
      const done = () => {
        drained = undefined;
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
    return drained;
  };
  res.once('close', close);
  // The client may have gone while the route was still authorising: then clean up at once.
  if (request.raw.destroyed || res.destroyed) close();
  return {
    send: (event, data, id) =>
      write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    onClose: (cleanup) => {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
    end: () => {
      // Closed first, so that nothing under way (a push, the heartbeat) writes after the end.
      close();
      res.end();
    },
  };
}
