import { type Challenge, createChallenge, type Payload, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

/**
 * The self-hosted proof of work a giveaway may ask of each join (ALTCHA, PoW v2): about 1.3 million
 * PBKDF2 rounds per solution, under a second in a browser, so a script making thousands of entries pays
 * for each. Checking costs the server one key derivation (5000 rounds).
 */
const ALGORITHM = 'PBKDF2/SHA-256';
const COST = 5000;
/** Two hex digits: 256 derivations to find, on average. */
const KEY_PREFIX = '00';
export const CHALLENGE_TTL_MS = 10 * 60_000;

export type ChallengeCheck = { ok: true; nonce: string; expiresAt: number } | { ok: false; message: string };

export class EntryChallenges {
  constructor(private readonly secret: string) {}

  /** A signed challenge bound to one giveaway, in the shape the ALTCHA widget reads from its `challenge` URL. */
  create(giveawayId: string, now: number): Promise<Challenge> {
    return createChallenge({
      algorithm: ALGORITHM,
      cost: COST,
      keyPrefix: KEY_PREFIX,
      deriveKey,
      hmacSignatureSecret: this.secret,
      expiresAt: Math.floor((now + CHALLENGE_TTL_MS) / 1000),
      data: { giveawayId },
    });
  }

  /**
   * Checks the widget's `altcha` value (base64 of `{challenge, solution}`): signed by us, for this giveaway,
   * not expired, solved. Whether it was used before is the join's to check, in its transaction.
   */
  async check(altcha: string | undefined, giveawayId: string, now: number): Promise<ChallengeCheck> {
    if (altcha === undefined || altcha === '') {
      return refuse('this giveaway asks for a proof of work: solve its challenge and send it as "altcha"');
    }
    const payload = parsePayload(altcha);
    if (!payload) return refuse('"altcha" is not a challenge solution (base64 of {challenge, solution})');
    const { parameters } = payload.challenge;
    const result = await verifySolution({
      challenge: payload.challenge,
      solution: payload.solution,
      deriveKey,
      hmacSignatureSecret: this.secret,
    }).catch(() => undefined);
    // The library checks expiry before the signature; an expired forgery is refused as expired either way.
    const expiresAt = (parameters.expiresAt ?? 0) * 1000;
    if (result?.expired || (result?.invalidSignature === false && expiresAt <= now)) {
      return refuse('the challenge has expired: fetch a new one and solve it again');
    }
    if (!result || result.invalidSignature !== false) {
      return refuse('"altcha" holds a challenge this server did not issue: fetch a new challenge');
    }
    if (parameters.data?.giveawayId !== giveawayId) {
      return refuse('"altcha" solves the challenge of another giveaway: fetch this giveaway\'s challenge');
    }
    if (!result.verified) return refuse('"altcha" is not a correct solution of its challenge');
    return { ok: true, nonce: parameters.nonce, expiresAt };
  }
}

function refuse(message: string): ChallengeCheck {
  return { ok: false, message };
}

function parsePayload(altcha: string): Payload | undefined {
  try {
    const payload = JSON.parse(Buffer.from(altcha, 'base64').toString('utf8')) as Partial<Payload>;
    const parameters = payload?.challenge?.parameters;
    if (typeof parameters !== 'object' || parameters === null || typeof payload.solution !== 'object') {
      return undefined;
    }
    if (typeof parameters.nonce !== 'string' || parameters.algorithm !== ALGORITHM) return undefined;
    return payload as Payload;
  } catch {
    return undefined;
  }
}
