import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WinnerMode } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import { firstRoundAfter, roundTime, verifyBeacon } from './beacon.js';
import {
  commitment,
  DRAW_VERSION,
  drawWinners,
  inclusionProof,
  listHash,
  merkleRoot,
  RandomStream,
  verifyInclusion,
} from './fair-draw.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const sharedDir = path.resolve(repoRoot, '../shared');

type Vector = {
  name: string;
  seed: string;
  commitment: string;
  entries: string[];
  listHash: string;
  merkleRoot: string;
  beaconRandomness: string | null;
  winnerMode: WinnerMode;
  winnerCount: number;
  firstUint32s: number[];
  winners: string[];
};

const file = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs/draw-vectors.json'), 'utf8'));
const vectors: Vector[] = file.vectors;

describe('draw vectors (docs/draw-vectors.json)', () => {
  it('are for this procedure version', () => {
    expect(file.version).toBe(DRAW_VERSION);
    expect(vectors.length).toBeGreaterThanOrEqual(6);
  });

  for (const v of vectors) {
    it(`reproduces: ${v.name}`, () => {
      const seed = Buffer.from(v.seed, 'hex');
      expect(commitment(seed)).toBe(v.commitment);
      expect(listHash(v.entries)).toBe(v.listHash);
      expect(merkleRoot(v.entries)).toBe(v.merkleRoot);
      const stream = new RandomStream(seed, v.listHash, v.beaconRandomness);
      expect(v.firstUint32s.map(() => stream.uint32())).toEqual(v.firstUint32s);
      const winners = drawWinners({
        seed,
        entryIds: v.entries,
        beaconRandomness: v.beaconRandomness,
        winnerMode: v.winnerMode,
        winnerCount: v.winnerCount,
      });
      expect(winners).toEqual(v.winners);
    });
  }
});

describe('the draw', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);

  it('gives every entry the same chance (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const entries = ids(7);
    for (let t = 0; t < 7000; t++) {
      const seed = Buffer.alloc(32);
      seed.writeUInt32BE(t);
      const [winner] = drawWinners({
        seed,
        entryIds: entries,
        beaconRandomness: null,
        winnerMode: 'lucky_draw',
        winnerCount: 1,
      });
      counts.set(winner as string, (counts.get(winner as string) ?? 0) + 1);
    }
    // 1000 expected each; 5 standard deviations is about 160.
    for (const id of entries) expect(Math.abs((counts.get(id) ?? 0) - 1000)).toBeLessThan(160);
  });

  it('draws distinct winners, all of them when there are fewer entries than winners', () => {
    const seed = Buffer.alloc(32, 7);
    const some = drawWinners({
      seed,
      entryIds: ids(100),
      beaconRandomness: null,
      winnerMode: 'lucky_draw',
      winnerCount: 10,
    });
    expect(new Set(some).size).toBe(10);
    const all = drawWinners({
      seed,
      entryIds: ids(4),
      beaconRandomness: null,
      winnerMode: 'lucky_draw',
      winnerCount: 10,
    });
    expect([...all].sort()).toEqual(ids(4));
  });

  it('depends on the beacon and on the list', () => {
    const seed = Buffer.alloc(32, 1);
    const base = { seed, entryIds: ids(1000), winnerMode: 'lucky_draw' as const, winnerCount: 5 };
    const plain = drawWinners({ ...base, beaconRandomness: null });
    expect(drawWinners({ ...base, beaconRandomness: 'ab'.repeat(32) })).not.toEqual(plain);
    expect(drawWinners({ ...base, entryIds: ids(1001), beaconRandomness: null })).not.toEqual(plain);
  });

  it('rejects a draw that would be biased: values past the last multiple of n are drawn again', () => {
    const stream = new RandomStream(Buffer.alloc(32), '00'.repeat(32), null);
    // n = 2^31 + 1 leaves almost half of all 32-bit values over the limit; every answer must be below n.
    for (let i = 0; i < 200; i++) expect(stream.below(2 ** 31 + 1)).toBeLessThan(2 ** 31 + 1);
  });
});

describe('Merkle inclusion', () => {
  it('proves every entry of lists of every size up to 33, and nothing else', () => {
    for (let n = 1; n <= 33; n++) {
      const entries = Array.from({ length: n }, (_, i) => `pt_${i}`);
      const root = merkleRoot(entries);
      for (let i = 0; i < n; i++) expect(verifyInclusion(inclusionProof(entries, i), root)).toBe(true);
      expect(verifyInclusion({ ...inclusionProof(entries, 0), entryId: 'pt_intruder' }, root)).toBe(false);
    }
  });
});

describe('drand quicknet beacon', () => {
  const recorded = JSON.parse(fs.readFileSync(path.join(sharedDir, 'vectors/drand-quicknet.json'), 'utf8'));

  for (const beacon of recorded.valid as { round: number; signature: string; randomness: string }[]) {
    it(`verifies recorded round ${beacon.round}`, () => {
      expect(verifyBeacon(beacon)).toEqual({ randomness: beacon.randomness });
    });
  }

  for (const beacon of recorded.invalid as {
    note: string;
    round: number;
    signature: string;
    randomness?: string;
  }[]) {
    it(`rejects: ${beacon.note}`, () => {
      const checked = verifyBeacon(beacon);
      if (beacon.randomness) expect(checked).not.toEqual({ randomness: beacon.randomness });
      else expect(checked).toHaveProperty('error');
    });
  }

  it('fixes the first round published after a moment', () => {
    const round = 32285085;
    expect(firstRoundAfter(roundTime(round) - 1)).toBe(round);
    expect(firstRoundAfter(roundTime(round))).toBe(round + 1);
  });
});
