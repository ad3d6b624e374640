/**
 * Writes docs/draw-vectors.json from the draw module: `npx tsx scripts/make-draw-vectors.ts`. The vectors
 * are fixed once published; packages/protocol/src/fair-draw.test.ts checks the module still reproduces them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WinnerMode } from '@proofdrop/contract';
import {
  commitment,
  DRAW_VERSION,
  drawWinners,
  listHash,
  merkleRoot,
  RandomStream,
} from '@proofdrop/protocol';

const seedOf = (label: string) => createHash('sha256').update(label).digest();
const ids = (n: number) => Array.from({ length: n }, (_, i) => `pt_vector${String(i).padStart(3, '0')}`);
// drand quicknet round 1000: randomness = sha256(signature), from the recorded beacons.
const ROUND_1000 = 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd';

const cases: { name: string; n: number; mode: WinnerMode; count: number; beacon: string | null }[] = [
  { name: 'lucky_draw, 10 entries, 3 winners, no beacon', n: 10, mode: 'lucky_draw', count: 3, beacon: null },
  {
    name: 'lucky_draw, fewer entries than winners: all win, shuffled',
    n: 7,
    mode: 'lucky_draw',
    count: 10,
    beacon: null,
  },
  { name: 'first_come, 5 entries, 2 winners', n: 5, mode: 'first_come', count: 2, beacon: null },
  {
    name: 'lucky_draw with a drand quicknet beacon (round 1000)',
    n: 50,
    mode: 'lucky_draw',
    count: 5,
    beacon: ROUND_1000,
  },
  { name: 'lucky_draw, one entry', n: 1, mode: 'lucky_draw', count: 1, beacon: null },
  { name: 'no eligible entries', n: 0, mode: 'lucky_draw', count: 3, beacon: null },
];

const vectors = cases.map((c, i) => {
  const seed = seedOf(`proofdrop draw vector ${i + 1}`);
  const entries = ids(c.n);
  const stream = new RandomStream(seed, listHash(entries), c.beacon);
  return {
    name: c.name,
    seed: seed.toString('hex'),
    commitment: commitment(seed),
    entries,
    listHash: listHash(entries),
    merkleRoot: merkleRoot(entries),
    beaconRandomness: c.beacon,
    winnerMode: c.mode,
    winnerCount: c.count,
    firstUint32s: Array.from({ length: 4 }, () => stream.uint32()),
    winners: drawWinners({
      seed,
      entryIds: entries,
      beaconRandomness: c.beacon,
      winnerMode: c.mode,
      winnerCount: c.count,
    }),
  };
});

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/draw-vectors.json');
fs.writeFileSync(
  out,
  `${JSON.stringify({ version: DRAW_VERSION, procedure: 'docs/fair-draw.md', vectors }, null, 2)}\n`,
);
console.log(`wrote ${vectors.length} vectors to ${out}`);
