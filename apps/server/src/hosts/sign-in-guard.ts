import { AppError } from '../errors.js';
import { RateLimiter } from '../lib/rate-limit.js';

/**
 * Failed sign-ins allowed per email (across every address: guessing one account from many addresses) and
 * per client address (across every email: spraying one password over many accounts), as a burst and then
 * one every so many seconds. Only failures count: a successful sign-in gives its tokens back.
 */
const PER_EMAIL = { burst: 10, everySeconds: 12 };
const PER_ADDRESS = { burst: 20, everySeconds: 3 };

/** scrypt runs on libuv's pool of 4 threads, which file and DNS work share: password work may hold 2. */
const HASHING_AT_ONCE = 2;
/** Calls that may wait for a hashing slot; beyond them, a 429 at once instead of a growing queue. */
const HASHING_WAITING = 16;

/**
 * Guards the password endpoints. The throttle's tokens are taken before the password is hashed, so a
 * thousand guesses sent at once pass no more than the burst; and hashing runs at most two at a time, so a
 * flood of sign-ins or sign-ups queues (boundedly) instead of starving the thread pool.
 */
export class SignInGuard {
  private readonly perEmail = new RateLimiter(1 / PER_EMAIL.everySeconds, PER_EMAIL.burst);
  private readonly perAddress = new RateLimiter(1 / PER_ADDRESS.everySeconds, PER_ADDRESS.burst);
  private hashing = 0;
  private readonly waiting: (() => void)[] = [];

  /** Takes a failure token for the email and the address, or throws 429; returns how to give them back. */
  takeAttempt(email: string, clientAddress: string, now: number): () => void {
    if (!this.perEmail.take(email, now)) {
      throw new AppError(
        'rate_limited',
        'too many failed sign-ins for this email; wait a minute and try again',
        PER_EMAIL.everySeconds,
      );
    }
    if (!this.perAddress.take(clientAddress, now)) {
      this.perEmail.giveBack(email);
      throw new AppError(
        'rate_limited',
        'too many failed sign-ins from this address; wait a minute and try again',
        PER_ADDRESS.everySeconds,
      );
    }
    return () => {
      this.perEmail.giveBack(email);
      this.perAddress.giveBack(clientAddress);
    };
  }

  /** Runs password hashing when a slot is free; refuses at once when too many already wait. */
  async hash<T>(work: () => Promise<T>): Promise<T> {
    if (this.hashing >= HASHING_AT_ONCE) {
      if (this.waiting.length >= HASHING_WAITING) {
        throw new AppError('rate_limited', 'the server is busy checking passwords; try again in a second');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.hashing++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so the count stays right without a gap to race into.
      const next = this.waiting.shift();
      if (next) next();
      else this.hashing--;
    }
  }
}
