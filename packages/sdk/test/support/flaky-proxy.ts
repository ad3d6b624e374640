import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does with one request:
 * - `pass`: forwards it and returns the answer;
 * - `unavailable`: answers 503 itself, as a load balancer does while the server restarts;
 * - `rate_limited`: answers 429 with `Retry-After: 1`;
 * - `reset`: drops the connection once the request arrived, before the server sees it;
 * - `lose_answer`: forwards it, lets the server count it, then drops the connection instead of answering;
 * - `hang`: never answers (until the proxy closes), so the client times out.
 */
export type Behaviour = 'pass' | 'unavailable' | 'rate_limited' | 'reset' | 'lose_answer' | 'hang';

export type FlakyProxy = {
  url: string;
  /** What the proxy did with each request, in arrival order. */
  log: Behaviour[];
  /** What to do with the next requests, in order; `pass` once the list is spent. */
  plan(...behaviours: Behaviour[]): void;
  /**
   * Decides each request by its number (0-based) and how many requests with the very same body came before
   * it (0 for a first attempt), instead of by plan; undefined goes back to the plan.
   */
  decideBy(decide: ((requestNumber: number, repeats: number) => Behaviour) | undefined): void;
  close(): Promise<void>;
};

/** A proxy in front of `target` that fails the ways networks and deployments do. */
export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const upstream = new URL(target);
  const planned: Behaviour[] = [];
  const byPlan = (): Behaviour => planned.shift() ?? 'pass';
  let decide: (requestNumber: number, repeats: number) => Behaviour = byPlan;
  const bodiesSeen = new Map<string, number>();
  const log: Behaviour[] = [];
  const sockets = new Set<Socket>();

  function forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (
                typeof value === 'string' &&
                !['connection', 'keep-alive', 'transfer-encoding'].includes(name)
              ) {
                headers[name] = value;
              }
            }
            resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
          });
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const repeats = bodiesSeen.get(body.toString()) ?? 0;
    bodiesSeen.set(body.toString(), repeats + 1);
    const behaviour = decide(log.length, repeats);
    log.push(behaviour);

    if (behaviour === 'reset') return req.socket.destroy();
    if (behaviour === 'hang') return;
    if (behaviour === 'unavailable') {
      return res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>503 Service Unavailable</h1>');
    }
    if (behaviour === 'rate_limited') {
      return res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
        .end(JSON.stringify({ ok: false, code: 'rate_limited', message: 'slow down' }));
    }
    const answer = await forward(req, body);
    // The server has committed and answered; the answer is lost on its way back.
    if (behaviour === 'lose_answer') return req.socket.destroy();
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    plan: (...behaviours) => {
      planned.push(...behaviours);
    },
    decideBy: (fn) => {
      decide = fn ?? byPlan;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
