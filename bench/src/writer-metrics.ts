/** The server's own account of its group commits, from its Prometheus metrics. */
export type WriterTotals = { commits: number; operations: number; handOffs: number; waitSeconds: number };

export async function writerTotals(base: string): Promise<WriterTotals> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    commits: value('proofdrop_writer_batch_size_count'),
    operations: value('proofdrop_writer_batch_size_sum'),
    handOffs: value('proofdrop_writer_commit_seconds_count'),
    waitSeconds: value('proofdrop_writer_commit_seconds_sum'),
  };
}

/**
 * Between two readings: mean operations a commit, and mean ms from handing a batch to the writer to its
 * durable commit; none without a commit.
 */
export function batchFigures(
  before: WriterTotals,
  after: WriterTotals,
): { batch: number; commitMs: number } | undefined {
  const commits = after.commits - before.commits;
  const handOffs = after.handOffs - before.handOffs;
  if (commits === 0 || handOffs === 0) return undefined;
  return {
    batch: Math.round(((after.operations - before.operations) / commits) * 10) / 10,
    commitMs: Math.round(((after.waitSeconds - before.waitSeconds) / handOffs) * 1000 * 100) / 100,
  };
}
