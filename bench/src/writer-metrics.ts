/** The server's own account of its group commits, from its Prometheus metrics. */
export type WriterTotals = { batches: number; operations: number; commitSeconds: number };

export async function writerTotals(base: string): Promise<WriterTotals> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    batches: value('proofdrop_writer_batch_size_count'),
    operations: value('proofdrop_writer_batch_size_sum'),
    commitSeconds: value('proofdrop_writer_commit_seconds_sum'),
  };
}

/** Mean operations a batch, and mean ms from hand-off to durable commit, between two readings; none without a batch. */
export function batchFigures(
  before: WriterTotals,
  after: WriterTotals,
): { batch: number; commitMs: number } | undefined {
  const batches = after.batches - before.batches;
  if (batches === 0) return undefined;
  return {
    batch: Math.round(((after.operations - before.operations) / batches) * 10) / 10,
    commitMs: Math.round(((after.commitSeconds - before.commitSeconds) / batches) * 1000 * 100) / 100,
  };
}
