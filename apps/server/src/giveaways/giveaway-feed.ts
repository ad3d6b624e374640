import type { CallbackLogEntry, PublicGiveaway } from '@proofdrop/contract';
import { AppError } from '../errors.js';
import type { Alarm, Clock } from '../lib/clock.js';
import type { LiveEvents } from '../live/live-events.js';
import type { GiveawaysService } from './giveaways.service.js';

/** A read that failed is tried again after this: a database hiccup at endsAt must not leave streams behind. */
const RETRY_MS = 5000;

type Listener = { send: (giveaway: PublicGiveaway) => void; sent: string | undefined };

/** One giveaway that open streams of this process show. */
type Watch = {
  slug: string;
  listeners: Set<Listener>;
  /** The latest public answer read, and its JSON, which tells whether a listener has it already. */
  latest: { giveaway: PublicGiveaway; json: string } | undefined;
  /** Counts reads: a read that a later one overtook is dropped, as it may hold the older state. */
  reads: number;
  cancelAlarm: () => void;
  stopHearing: () => void;
};

/**
 * Each giveaway's public answer for the participants' live streams, read once per change for all the
 * streams of this process rather than once per stream. It changes when the host acts (announced through
 * LiveEvents, by this process or another) and when startsAt or endsAt arrives (an alarm per giveaway,
 * set while a stream shows it). Each stream gets the current answer first, then each change.
 */
export class GiveawayFeed {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly giveaways: Pick<GiveawaysService, 'publicState'>,
    private readonly live: Pick<LiveEvents<CallbackLogEntry>, 'onGiveaway'>,
    private readonly clock: Clock,
    private readonly alarm: Alarm,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Calls `send` with the giveaway now and after each change; answers how to stop. */
  follow(giveaway: { id: string; slug: string }, send: (giveaway: PublicGiveaway) => void): () => void {
    let watch = this.watches.get(giveaway.id);
    if (!watch) {
      const created: Watch = {
        slug: giveaway.slug,
        listeners: new Set(),
        latest: undefined,
        reads: 0,
        cancelAlarm: () => {},
        stopHearing: () => {},
      };
      created.stopHearing = this.live.onGiveaway(giveaway.id, () => this.read(created));
      this.watches.set(giveaway.id, created);
      this.read(created);
      watch = created;
    }
    const listener: Listener = { send, sent: undefined };
    watch.listeners.add(listener);
    if (watch.latest) deliver(listener, watch.latest);
    const followed = watch;
    return () => {
      followed.listeners.delete(listener);
      if (followed.listeners.size > 0 || this.watches.get(giveaway.id) !== followed) return;
      followed.cancelAlarm();
      followed.stopHearing();
      this.watches.delete(giveaway.id);
    };
  }

  private read(watch: Watch): void {
    const read = ++watch.reads;
    this.giveaways
      .publicState(watch.slug)
      .then(({ giveaway, nextChangeAt }) => {
        if (read !== watch.reads || watch.listeners.size === 0) return;
        watch.latest = { giveaway, json: JSON.stringify(giveaway) };
        for (const listener of watch.listeners) deliver(listener, watch.latest);
        this.readAgainAt(watch, nextChangeAt);
      })
      .catch((error: unknown) => {
        // Its project was deleted: the giveaway will never change again, so it is not asked for again.
        if (error instanceof AppError && error.code === 'not_found') return;
        this.onError(error);
        if (read === watch.reads && watch.listeners.size > 0)
          this.readAgainAt(watch, this.clock() + RETRY_MS);
      });
  }

  private readAgainAt(watch: Watch, at: number | null): void {
    watch.cancelAlarm();
    watch.cancelAlarm = at === null ? () => {} : this.alarm(at, () => this.read(watch));
  }
}

function deliver(listener: Listener, latest: { giveaway: PublicGiveaway; json: string }): void {
  if (listener.sent === latest.json) return;
  listener.sent = latest.json;
  listener.send(latest.giveaway);
}
