import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import type { WinnerMode } from '@proofdrop/contract';
import { sha256, uint64BE } from './bytes.js';

/**
 * The provably fair draw, procedure `proofdrop-draw-v1` (written down in docs/fair-draw.md). Pure: no I/O,
 * so the server, the `proofdrop verify-draw` command and anyone's own verifier compute the same thing.
 */

export const DRAW_VERSION = 'proofdrop-draw-v1';

/** The public commitment to the secret seed: hex(SHA-256(seed)). */
export function commitment(seed: Uint8Array): string {
  return bytesToHex(sha256(seed));
}

/** hex(SHA-256(entry ids joined by "\n")), over UTF-8. */
export function listHash(entryIds: readonly string[]): string {
  return bytesToHex(sha256(entryIds.join('\n')));
}

const leafHash = (entryId: string) => sha256(Uint8Array.of(0), entryId);
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

/** Each level pairs neighbours; a last node without a partner is carried up unchanged. */
function levels(entryIds: readonly string[]): Uint8Array[][] {
  const all: Uint8Array[][] = [entryIds.map(leafHash)];
  while ((all.at(-1) as Uint8Array[]).length > 1) {
    const level = all.at(-1) as Uint8Array[];
    const next = [] as Uint8Array[];
    for (let i = 0; i < level.length; i += 2) {
      next.push(
        i + 1 < level.length
          ? nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array)
          : (level[i] as Uint8Array),
      );
    }
    all.push(next);
  }
  return all;
}

/** Merkle root over the entry ids: leaves SHA-256(0x00 ‖ id), nodes SHA-256(0x01 ‖ left ‖ right). */
export function merkleRoot(entryIds: readonly string[]): string {
  if (entryIds.length === 0) return bytesToHex(sha256(''));
  return bytesToHex((levels(entryIds).at(-1) as Uint8Array[])[0] as Uint8Array);
}

export type InclusionProof = {
  entryId: string;
  index: number;
  siblings: { side: 'left' | 'right'; hash: string }[];
};

export function inclusionProof(entryIds: readonly string[], index: number): InclusionProof {
  const siblings: InclusionProof['siblings'] = [];
  let at = index;
  for (const level of levels(entryIds).slice(0, -1)) {
    const partner = at % 2 === 0 ? at + 1 : at - 1;
    if (partner < level.length) {
      siblings.push({
        side: at % 2 === 0 ? 'right' : 'left',
        hash: bytesToHex(level[partner] as Uint8Array),
      });
    }
    at = Math.floor(at / 2);
  }
  return { entryId: entryIds[index] as string, index, siblings };
}

export function verifyInclusion(proof: InclusionProof, root: string): boolean {
  let hash = leafHash(proof.entryId);
  for (const sibling of proof.siblings) {
    const other = hexToBytes(sibling.hash);
    hash = sibling.side === 'right' ? nodeHash(hash, other) : nodeHash(other, hash);
  }
  return bytesToHex(hash) === root;
}

/**
 * The draw's random bytes: block i = HMAC-SHA256(key = seed, listHash ‖ beacon ‖ i as 8 bytes big-endian),
 * read in order. listHash and beacon are their 32 raw bytes; without a beacon that part is empty.
 */
export class RandomStream {
  private block = new Uint8Array(0);
  private offset = 0;
  private counter = 0n;

  constructor(
    private readonly seed: Uint8Array,
    private readonly listHashHex: string,
    private readonly beaconHex: string | null,
  ) {}

  private nextBlock(): void {
    const beacon = this.beaconHex ? hexToBytes(this.beaconHex) : new Uint8Array(0);
    const message = concatBytes(hexToBytes(this.listHashHex), beacon, uint64BE(this.counter++));
    this.block = hmac(nobleSha256, this.seed, message);
    this.offset = 0;
  }

  /** The next 4 bytes as an unsigned 32-bit big-endian integer. */
  uint32(): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (this.offset >= this.block.length) this.nextBlock();
      value = value * 256 + (this.block[this.offset++] as number);
    }
    return value;
  }

  /**
   * A uniform integer in [0, n) with no modulo bias: values at or above the largest multiple of n below
   * 2^32 are thrown away and drawn again. n = 1 takes no bytes.
   */
  below(n: number): number {
    if (n === 1) return 0;
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }
}

export type DrawInput = {
  seed: Uint8Array;
  /** Frozen in order: time each became eligible, then id. */
  entryIds: readonly string[];
  beaconRandomness: string | null;
  winnerMode: WinnerMode;
  winnerCount: number;
};

/**
 * Winners in rank order. lucky_draw: a forward Fisher–Yates shuffle stopped after k = min(N, n) places
 * (place i swaps with i + below(n − i)), whose first k are the winners. first_come: the first k of the
 * frozen list. Fewer eligible than N: all of them win.
 */
export function drawWinners({
  seed,
  entryIds,
  beaconRandomness,
  winnerMode,
  winnerCount,
}: DrawInput): string[] {
  const k = Math.min(winnerCount, entryIds.length);
  if (winnerMode === 'first_come') return entryIds.slice(0, k);
  const order = [...entryIds];
  const stream = new RandomStream(seed, listHash(entryIds), beaconRandomness);
  for (let i = 0; i < k; i++) {
    const j = i + stream.below(order.length - i);
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  return order.slice(0, k);
}
