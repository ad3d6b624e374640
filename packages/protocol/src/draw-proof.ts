import type { DrawProof } from '@proofdrop/contract';
import { firstRoundAfter, QUICKNET, verifyBeacon } from './beacon.js';
import { hexToBytes } from './bytes.js';
import { commitment, DRAW_VERSION, drawWinners, listHash, merkleRoot } from './fair-draw.js';

export type ProofCheck = { valid: true } | { valid: false; step: string; message: string };

const fail = (step: string, message: string): ProofCheck => ({ valid: false, step, message });

/** Recomputes a drawn proof step by step; the first step that does not hold is named. */
export function verifyDrawProof(proof: DrawProof): ProofCheck {
  if (proof.version !== DRAW_VERSION)
    return fail('version', `unknown procedure "${proof.version}"; this verifier knows ${DRAW_VERSION}`);
  if (!proof.seed || !proof.entries || !proof.winners || !proof.frozenAt) {
    return fail('drawn', 'the proof has no seed, entry list or winners yet: the giveaway is not drawn');
  }
  if (!/^[0-9a-f]{64}$/.test(proof.seed)) return fail('seed', 'the seed must be 64 lowercase hex characters');
  const seed = hexToBytes(proof.seed);
  if (commitment(seed) !== proof.commitment)
    return fail('commitment', 'SHA-256 of the revealed seed is not the published commitment');
  if (listHash(proof.entries) !== proof.listHash)
    return fail('list hash', 'the entry list does not hash to the published list hash');
  if (merkleRoot(proof.entries) !== proof.merkleRoot)
    return fail('merkle root', 'the entry list does not give the published Merkle root');

  let randomness: string | null = null;
  if (proof.beacon) {
    const { round, signature } = proof.beacon;
    if (proof.beacon.chainHash !== QUICKNET.hash)
      return fail('beacon', 'the beacon is not from drand quicknet');
    if (round === null || signature === null)
      return fail('beacon', 'the beacon round or signature is missing');
    const expected = firstRoundAfter(Date.parse(proof.frozenAt));
    if (round !== expected)
      return fail(
        'beacon',
        `the beacon round is ${round}, but the first round after the freeze is ${expected}`,
      );
    const checked = verifyBeacon({ round, signature });
    if ('error' in checked) return fail('beacon', checked.error);
    if (checked.randomness !== proof.beacon.randomness)
      return fail('beacon', 'the beacon randomness is not SHA-256 of its signature');
    randomness = checked.randomness;
  }

  const winners = drawWinners({
    seed,
    entryIds: proof.entries,
    beaconRandomness: randomness,
    winnerMode: proof.winnerMode,
    winnerCount: proof.winnerCount,
  });
  const published = proof.winners.map((w) => w.entryId);
  if (
    winners.length !== published.length ||
    winners.some((id, i) => id !== published[i] || proof.winners?.[i]?.rank !== i + 1)
  ) {
    return fail(
      'winners',
      `the winners do not follow from the seed and list: expected ${winners.join(', ') || 'none'}`,
    );
  }
  return { valid: true };
}
