import { BoundedMap } from './bounded-map.js';

type Bucket = { tokens: number; at: number };

/**
 * Token buckets, one per key: `ratePerSecond` sustained, `burst` at once (twice the rate unless given).
 * Keys past `maxKeys` are forgotten first-seen first, which only ever gives a forgotten key a full bucket again.
 */
export class RateLimiter {
  private readonly buckets: BoundedMap<string, Bucket>;
  private readonly burst: number;

  constructor(
    private readonly ratePerSecond: number,
    burst = ratePerSecond * 2,
    maxKeys = 100_000,
  ) {
    this.burst = burst;
    this.buckets = new BoundedMap(maxKeys);
  }

  /** Whether `key` has a token now, without taking it. */
  allows(key: string, now: number): boolean {
    if (this.ratePerSecond === 0) return true;
    const bucket = this.buckets.get(key);
    return (
      !bucket || Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond) >= 1
    );
  }

  /** Gives back a token taken for an attempt that turned out not to count (a sign-in that succeeded). */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }

  /** Takes one token for `key`; false when the key is over its rate. A rate of 0 means no limit. */
  take(key: string, now: number): boolean {
    if (this.ratePerSecond === 0) return true;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, at: now };
      // Stored once and then changed in place: setting a Map's key again moves it to the end, and on a
      // hot key (every callback's track_id) that churn rebuilt the Map's table over and over.
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return allowed;
  }
}
