import { AppError } from '../errors.js';

export type StreamLimitSettings = { perParticipant: number; perHost: number; total: number };

/**
 * Open live streams, counted per participant, per host and in the whole process. A stream holds a socket
 * and a listener for as long as the client likes: without a limit, one client could open them until the
 * process runs out of either. 0 turns a limit off.
 *
 * Hosts' streams (callback logs) take at most half of the process's: anyone can sign up as a host, and
 * hosts opening logs must not leave the participants' pages of every giveaway without live progress.
 */
export class StreamLimits {
  private readonly byOwner = new Map<string, number>();
  private total = 0;
  private hosts = 0;

  constructor(private readonly limits: StreamLimitSettings) {}

  /** Takes a place for a stream of this participant or host; answers its release, or throws a 429. */
  take(kind: 'participant' | 'host', ownerId: string): () => void {
    const key = `${kind} ${ownerId}`;
    const owned = this.byOwner.get(key) ?? 0;
    const limit = kind === 'participant' ? this.limits.perParticipant : this.limits.perHost;
    if (limit > 0 && owned >= limit) {
      throw new AppError(
        'rate_limited',
        `this ${kind} already has ${owned} live streams open, the most allowed; close one (another tab or window) first`,
      );
    }
    if (this.limits.total > 0 && this.total >= this.limits.total) {
      throw new AppError(
        'rate_limited',
        'this server has as many live streams open as it takes; retry in a minute',
      );
    }
    if (kind === 'host' && this.limits.total > 0 && this.hosts >= Math.ceil(this.limits.total / 2)) {
      throw new AppError(
        'rate_limited',
        "this server has as many hosts' live logs open as it takes (half of MAX_STREAMS); retry in a minute",
      );
    }
    const host = kind === 'host' ? 1 : 0;
    this.byOwner.set(key, owned + 1);
    this.total++;
    this.hosts += host;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      this.hosts -= host;
      const left = (this.byOwner.get(key) ?? 1) - 1;
      if (left === 0) this.byOwner.delete(key);
      else this.byOwner.set(key, left);
    };
  }
}
