import type { SignInLimits } from '../config.js';
import { AppError } from '../errors.js';
import { RateLimiter } from '../lib/rate-limit.js';

/**
 * Guessing one account from many addresses is slowed per email; spraying one password over many accounts,
 * per address. The email's budget comes back more slowly: an account has one owner, an address may be a
 * whole office behind one NAT.
 */
const EMAIL_WINDOW_S = 120;
const ADDRESS_WINDOW_S = 60;

/** A throttle of `burst` failures that come back over `windowS`, or none for a burst of 0. */
function throttle(burst: number, windowS: number) {
  return {
    limiter: new RateLimiter(burst / windowS, burst),
    retryAfterS: burst === 0 ? 0 : Math.ceil(windowS / burst),
  };
}

/**
 * Guards the password endpoints. The throttle's tokens are taken before the password is hashed, so a
 * thousand guesses sent at once pass no more than the burst; and hashing runs a few at a time, so a flood
 * of sign-ins or sign-ups queues (boundedly) instead of starving the thread pool, which file and DNS work
 * share. Only failures count: a successful sign-in gives its tokens back.
 */
export class SignInGuard {
  private readonly perEmail: ReturnType<typeof throttle>;
  private readonly perAddress: ReturnType<typeof throttle>;
  private hashing = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: SignInLimits) {
    this.perEmail = throttle(limits.attemptsPerEmail, EMAIL_WINDOW_S);
    this.perAddress = throttle(limits.attemptsPerIp, ADDRESS_WINDOW_S);
  }

  /** Takes a failure token for the email and the address, or throws 429; returns how to give them back. */
  takeAttempt(email: string, clientAddress: string, now: number): () => void {
    if (!this.perEmail.limiter.take(email, now)) {
      throw new AppError(
        'rate_limited',
        'too many failed sign-ins for this email; wait a minute and try again',
        this.perEmail.retryAfterS,
      );
    }
    if (!this.perAddress.limiter.take(clientAddress, now)) {
      this.perEmail.limiter.giveBack(email);
      throw new AppError(
        'rate_limited',
        'too many failed sign-ins from this address; wait a minute and try again',
        this.perAddress.retryAfterS,
      );
    }
    return () => {
      this.perEmail.limiter.giveBack(email);
      this.perAddress.limiter.giveBack(clientAddress);
    };
  }

  /** Runs password hashing when a slot is free; refuses at once when too many already wait. */
  async hash<T>(work: () => Promise<T>): Promise<T> {
    const { hashConcurrency, hashQueue } = this.limits;
    if (hashConcurrency > 0 && this.hashing >= hashConcurrency) {
      if (hashQueue > 0 && this.waiting.length >= hashQueue) {
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
