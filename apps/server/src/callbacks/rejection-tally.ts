import type { LogRow } from '../writer/operations.js';

const SECOND_MS = 1000;

type Tally = { row: LogRow; count: number; second: number };

/**
 * Rejected callbacks over their project's log budget, counted instead of logged: one row per second, project
 * and code says how many there were ("… and 734 more invalid_signature"). A flood then costs the writer one
 * row a second, whatever its size.
 */
export class RejectionTally {
  private readonly tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly write: (row: LogRow) => Promise<void>) {}

  add(row: LogRow): void {
    const key = `${row.project_id} ${row.code}`;
    const tally = this.tallies.get(key);
    if (tally && tally.second === secondOf(row.received_at)) {
      tally.count++;
      return;
    }
    if (tally) void this.write(folded(tally));
    this.tallies.set(key, { row, count: 1, second: secondOf(row.received_at) });
    // The flood may stop: its last second is written a second later, not when the next rejection comes.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, SECOND_MS).unref();
  }

  /** Writes the counts of seconds before `now`: they are complete. */
  async settle(now: number): Promise<void> {
    if (this.tallies.size === 0) return;
    const done = [...this.tallies].filter(([, tally]) => tally.second < secondOf(now));
    for (const [key] of done) this.tallies.delete(key);
    await Promise.all(done.map(([, tally]) => this.write(folded(tally))));
  }

  /** Writes every count now (the timer's beat, and at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tallies = [...this.tallies.values()];
    this.tallies.clear();
    await Promise.all(tallies.map((tally) => this.write(folded(tally))));
  }
}

const secondOf = (ms: number) => Math.floor(ms / SECOND_MS);

function folded({ row, count }: Tally): LogRow {
  return {
    ...row,
    track_id: null,
    event: null,
    remark: null,
    detail: `… and ${count} more ${row.code} in this second, counted instead of logged one by one (over REJECTION_LOG_RATE)`,
    expected_canonical: null,
    hint: null,
  };
}
