import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics, one registry per app so that several apps in one process (tests) stay apart. */
export function createMetrics() {
  const registry = new Registry();
  const callbacks = new Counter({
    name: 'proofdrop_callbacks_total',
    help: 'Callbacks answered, by code (recorded, completed, duplicate, invalid_signature, …)',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const trackLinks = new Counter({
    name: 'proofdrop_track_links_total',
    help: 'Track links followed (GET /go/:taskId), by HTTP status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const lookupReads = new Counter({
    name: 'proofdrop_lookup_reads_total',
    help: "Database reads of the hot path's caches on a miss, by what was read (track, participant, task, …)",
    labelNames: ['what'] as const,
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'proofdrop_writer_batch_size',
    help: 'Operations committed together by the writer',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: 'proofdrop_writer_commit_seconds',
    help: 'From handing a batch to the writer to its durable commit (on SQLite, batches that waited for a commit share the next)',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'proofdrop_writer_queue_depth',
    help: 'Operations handed to the writer and not yet durable',
    registers: [registry],
  });
  const sseClients = new Gauge({
    name: 'proofdrop_sse_clients',
    help: 'Connected live-update (Server-Sent Events) clients',
    registers: [registry],
  });
  return { registry, callbacks, trackLinks, lookupReads, batchSize, commitSeconds, queueDepth, sseClients };
}

export type Metrics = ReturnType<typeof createMetrics>;
