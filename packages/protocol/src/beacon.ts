import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { BeaconInput } from '@proofdrop/contract';
import { bytesToHex, hexToBytes, sha256, uint64BE } from './bytes.js';

/** drand's quicknet chain: a BLS signature every 3 s, unchained, so any round verifies on its own. */
export const QUICKNET = {
  name: 'quicknet',
  hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  dst: 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_',
  genesisTime: 1692803367,
  periodSeconds: 3,
} as const;

/** The time (ms) at which a round is published: genesis + (round − 1) × period. */
export function roundTime(round: number): number {
  return (QUICKNET.genesisTime + (round - 1) * QUICKNET.periodSeconds) * 1000;
}

/** The first round published strictly after `timeMs`: nobody can know its randomness before that moment. */
export function firstRoundAfter(timeMs: number): number {
  const elapsed = Math.floor(timeMs / 1000) - QUICKNET.genesisTime;
  if (elapsed < 0) return 1;
  return Math.floor(elapsed / QUICKNET.periodSeconds) + 2;
}

/** A quicknet round's signature as text: a BLS12-381 G1 point, 48 bytes in hex. */
export const QUICKNET_SIGNATURE = /^[0-9a-fA-F]{96}$/;

/** Verifies a round's BLS signature; answers its randomness (SHA-256 of the signature) or why it fails. */
export function verifyBeacon(beacon: BeaconInput): { randomness: string } | { error: string } {
  if (!QUICKNET_SIGNATURE.test(beacon.signature)) return { error: 'the signature must be 96 hex characters' };
  const message = sha256(uint64BE(BigInt(beacon.round)));
  const signature = hexToBytes(beacon.signature);
  const sigs = bls12_381.shortSignatures;
  let valid = false;
  try {
    valid = sigs.verify(signature, sigs.hash(message, QUICKNET.dst), hexToBytes(QUICKNET.publicKey));
  } catch {
    valid = false;
  }
  if (!valid) return { error: `the signature does not verify for quicknet round ${beacon.round}` };
  return { randomness: bytesToHex(sha256(signature)) };
}
