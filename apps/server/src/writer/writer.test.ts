import { describe, expect, it } from 'vitest';
import type { WriteOp, WriteResult } from './operations.js';
import type { Committer } from './ports.js';
import { Writer } from './writer.js';

/** A committer with no database behind it: each batch waits until the test lets it finish. */
class HeldCommitter implements Committer {
  readonly batches: { size: number; finish: () => void }[] = [];

  commit(ops: WriteOp[]): Promise<WriteResult[]> {
    return new Promise((resolve) => {
      this.batches.push({
        size: ops.length,
        finish: () => resolve(ops.map(() => ({ kind: 'log', logId: 1 }))),
      });
    });
  }

  onFailure(): void {}
  async close(): Promise<void> {}
}

const op: WriteOp = {
  kind: 'log',
  log: {
    project_id: 'prj_1',
    received_at: 1,
    track_id: null,
    event: null,
    remark: null,
    code: 'invalid_signature',
    detail: 'the signature does not match',
    expected_canonical: null,
    hint: null,
  },
};

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the writer', () => {
  it('commits one batch at a time by default: the next gathers until the first is durable', async () => {
    const committer = new HeldCommitter();
    const writer = new Writer(committer, { maxQueue: 100 });
    const first = writer.submit(op);
    await turn();
    const later = [writer.submit(op), writer.submit(op)];
    await turn();
    expect(committer.batches.map((b) => b.size)).toEqual([1]);
    committer.batches[0]?.finish();
    await first;
    await turn();
    expect(committer.batches.map((b) => b.size)).toEqual([1, 2]);
    committer.batches[1]?.finish();
    await Promise.all(later);
  });

  it('with two in flight, commits the next batch while one is committing, and no third', async () => {
    const committer = new HeldCommitter();
    const writer = new Writer(committer, { maxQueue: 100, inFlight: 2 });
    const first = writer.submit(op);
    await turn();
    const second = [writer.submit(op), writer.submit(op)];
    await turn();
    const third = writer.submit(op);
    await turn();
    expect(committer.batches.map((b) => b.size)).toEqual([1, 2]);
    committer.batches[1]?.finish();
    await Promise.all(second);
    await turn();
    expect(committer.batches.map((b) => b.size)).toEqual([1, 2, 1]);
    committer.batches[0]?.finish();
    committer.batches[2]?.finish();
    await Promise.all([first, third]);
  });
});
