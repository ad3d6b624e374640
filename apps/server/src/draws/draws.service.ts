import { randomBytes } from 'node:crypto';
import type { BeaconInput, CallbackLogEntry, DrawProof, Prize, Winner } from '@proofdrop/contract';
import {
  commitment,
  DRAW_VERSION,
  drawWinners,
  firstRoundAfter,
  type InclusionProof,
  inclusionProof,
  listHash,
  merkleLevels,
  merkleRoot,
  prizeForRank,
  QUICKNET,
  roundTime,
  verifyBeacon,
} from '@proofdrop/protocol';
import type { Db } from '../db/database.js';
import type { GiveawayDrawsTable, GiveawaysTable } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { requireHostGiveaway, requirePublishedGiveaway } from '../giveaways/giveaway-access.js';
import { giveawayPhase } from '../giveaways/lifecycle.js';
import { BoundedMap } from '../lib/bounded-map.js';
import type { Clock } from '../lib/clock.js';
import type { LiveEvents } from '../live/live-events.js';
import type { Lookups } from '../lookups/lookups.js';
import type { MailService } from '../mail/mail.service.js';
import { listParticipantsByIds } from '../participants/participants.repository.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { BeaconSource } from './beacon-relay.js';
import {
  completeDraw,
  findDraw,
  findDrawWithoutEntries,
  freezeDraw,
  listUnfrozenEnded,
} from './draws.repository.js';

const GUARANTEE = {
  beacon:
    'The seed was committed at publish and the entry list frozen at the end; the randomness also comes from a drand quicknet round published after the freeze, so nobody, the operator included, could know it before the list was fixed.',
  seedOnly:
    'The seed was committed at publish and the entry list frozen at the end, so the seed could not be chosen after seeing the entries; the operator, who holds the seed, could still have tried entry lists before the freeze.',
};

/** A frozen entry list, parsed, indexed and with its Merkle tree: it never changes, so it is built once. */
type FrozenList = { entries: string[]; positions: Map<string, number>; levels: Uint8Array[][] };
type DrawRow = Omit<GiveawayDrawsTable, 'entries'>;

/** The giveaways whose proofs people are reading now; a list of 100,000 entries takes some 30 MB. */
const FROZEN_LISTS_KEPT = 16;

export class DrawsService {
  private readonly frozenLists = new BoundedMap<string, FrozenList>(FROZEN_LISTS_KEPT);
  /** A drawn giveaway's proof is final: answered from memory. */
  private readonly drawnProofs = new BoundedMap<string, DrawProof>(FROZEN_LISTS_KEPT);

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
    private readonly live: LiveEvents<CallbackLogEntry>,
    private readonly beaconSource: BeaconSource,
    private readonly box: SecretBox,
    /** Winners are told by mail when the server sends mail. */
    private readonly mail: MailService | undefined,
  ) {}

  /** At publish: a secret seed from the CSPRNG, and its public commitment, for the publish to write. */
  newDrawRow(giveawayId: string, withBeacon: boolean): GiveawayDrawsTable {
    const seed = randomBytes(32);
    return {
      giveaway_id: giveawayId,
      version: DRAW_VERSION,
      seed: this.box.seal(seed.toString('hex')),
      commitment: commitment(seed),
      committed_at: this.clock(),
      beacon: withBeacon ? QUICKNET.name : null,
      frozen_at: null,
      entries: null,
      list_hash: null,
      merkle_root: null,
      beacon_round: null,
      beacon_signature: null,
      beacon_randomness: null,
      winners: null,
      drawn_at: null,
    };
  }

  /** Freezes the eligible entries once the giveaway has ended (by the host, or by endsAt passing). */
  async freezeIfEnded(giveaway: GiveawaysTable): Promise<GiveawayDrawsTable | undefined> {
    const draw = await findDraw(this.db, giveaway.id);
    if (!draw || draw.frozen_at !== null) return draw;
    const phase = giveawayPhase(giveaway, this.clock());
    if (phase !== 'ended' && phase !== 'drawn') return draw;
    const now = this.clock();
    await freezeDraw(this.db, giveaway, now, draw.beacon ? firstRoundAfter(now) : null, (entries) => ({
      list_hash: listHash(entries),
      merkle_root: merkleRoot(entries),
    }));
    return findDraw(this.db, giveaway.id);
  }

  /** Freezes every giveaway whose end passed without anyone pressing end; run in the background. */
  async freezeDue(): Promise<void> {
    for (const giveaway of await listUnfrozenEnded(this.db, this.clock())) await this.freezeIfEnded(giveaway);
  }

  /** Draws the winners of one of the host's giveaways, once it has ended. */
  async draw(
    hostId: string,
    giveawayId: string,
    pasted: BeaconInput | undefined,
  ): Promise<{ winners: Winner[]; proof: DrawProof }> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    if (giveaway.status === 'drawn') throw new AppError('invalid_state', 'the winners are already drawn');
    const phase = giveawayPhase(giveaway, this.clock());
    if (phase !== 'ended') throw new AppError('invalid_state', 'end the giveaway before drawing its winners');
    // A round pasted for a draw that takes none would be dropped unchecked, and the host left believing it
    // counted: refused before anything is written.
    if (pasted && (await findDrawWithoutEntries(this.db, giveaway.id))?.beacon === null) {
      throw new AppError(
        'unprocessable',
        'this giveaway was published without a drand beacon, so its draw takes none: draw without "beacon"',
      );
    }
    const draw = await this.freezeIfEnded(giveaway);
    if (!draw) throw new AppError('invalid_state', 'this giveaway has no draw commitment');
    // The freeze reads the end again: one moved later since this request read it keeps the list open.
    if (draw.entries === null) {
      throw new AppError(
        'invalid_state',
        'the giveaway changed meanwhile and has not ended: reload and try again',
      );
    }
    let beacon: { signature: string; randomness: string } | undefined;
    if (draw.beacon && draw.beacon_round !== null) beacon = await this.beacon(draw.beacon_round, pasted);

    const entryIds = JSON.parse(draw.entries) as string[];
    const winners = drawWinners({
      seed: Buffer.from(this.box.open(draw.seed), 'hex'),
      entryIds,
      beaconRandomness: beacon?.randomness ?? null,
      winnerMode: giveaway.winner_mode,
      winnerCount: giveaway.winner_count,
    });
    const emails = new Map(
      (await listParticipantsByIds(this.db, giveaway.id, winners)).map((p) => [p.id, p.email]),
    );
    const prizes = JSON.parse(giveaway.prizes) as Prize[];
    const ranked = winners.map((id, i) => ({
      participantId: id,
      rank: i + 1,
      email: emails.get(id) ?? '',
      prize: prizeForRank(prizes, i + 1)?.name ?? null,
    }));
    const drawn = await completeDraw(
      this.db,
      giveaway,
      {
        winners: JSON.stringify(winners),
        drawn_at: this.clock(),
        beacon_signature: beacon?.signature ?? null,
        beacon_randomness: beacon?.randomness ?? null,
      },
      ranked,
      this.mail !== undefined,
    );
    await this.lookups.forgetSchedule(giveaway.id);
    if (!drawn) throw new AppError('invalid_state', 'the winners are already drawn');
    await this.live.giveawayChanged(giveaway.id);
    this.mail?.nudge();
    const final = (await findDraw(this.db, giveaway.id)) as GiveawayDrawsTable;
    return { winners: ranked, proof: this.toProof(giveaway, final, entryIds) };
  }

  async publicProof(slug: string): Promise<DrawProof> {
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    const drawn = this.drawnProofs.get(giveaway.id);
    if (drawn) return drawn;
    const { draw, list } = await this.publicDraw(giveaway);
    const proof = this.toProof(giveaway, draw, list?.entries ?? null);
    if (draw.drawn_at !== null) this.drawnProofs.set(giveaway.id, proof);
    return proof;
  }

  async inclusion(slug: string, participantId: string): Promise<InclusionProof & { merkleRoot: string }> {
    const { draw, list } = await this.publicDraw(await requirePublishedGiveaway(this.db, slug));
    if (!list || draw.merkle_root === null) {
      throw new AppError('invalid_state', 'the entry list is frozen when the giveaway ends');
    }
    const index = list.positions.get(participantId);
    if (index === undefined) throw notFound('entry in the frozen list');
    return { ...inclusionProof(list.entries, index, list.levels), merkleRoot: draw.merkle_root };
  }

  private async publicDraw(
    giveaway: GiveawaysTable,
  ): Promise<{ draw: DrawRow; list: FrozenList | undefined }> {
    const known = this.frozenLists.get(giveaway.id);
    if (known) {
      const draw = await findDrawWithoutEntries(this.db, giveaway.id);
      if (!draw) throw notFound('draw');
      return { draw, list: known };
    }
    const draw = await this.freezeIfEnded(giveaway);
    if (!draw) throw notFound('draw');
    if (draw.entries === null) return { draw, list: undefined };
    const entries = JSON.parse(draw.entries) as string[];
    const list = {
      entries,
      positions: new Map(entries.map((id, i) => [id, i])),
      levels: merkleLevels(entries),
    };
    this.frozenLists.set(giveaway.id, list);
    return { draw, list };
  }

  private async beacon(
    round: number,
    pasted: BeaconInput | undefined,
  ): Promise<{ signature: string; randomness: string }> {
    if (pasted && pasted.round !== round) {
      throw new AppError('unprocessable', `this draw uses quicknet round ${round}, not ${pasted.round}`);
    }
    const beacon = pasted ?? (await this.beaconSource(round));
    if (!beacon) {
      const at = new Date(roundTime(round)).toISOString();
      throw new AppError(
        'invalid_state',
        `this draw takes drand quicknet round ${round}, published at ${at}, and this server cannot fetch it: paste the round into the draw (in the API: {"beacon":{"round","signature"}}), or set DRAND_RELAY_URL`,
      );
    }
    const checked = verifyBeacon(beacon);
    if ('error' in checked) throw new AppError('unprocessable', checked.error);
    return { signature: beacon.signature.toLowerCase(), randomness: checked.randomness };
  }

  private toProof(giveaway: GiveawaysTable, draw: DrawRow, entries: string[] | null): DrawProof {
    // The seed stays secret until the winners are drawn: revealing it earlier would let anyone predict them.
    return toProof(giveaway, draw, entries, draw.drawn_at === null ? null : this.box.open(draw.seed));
  }
}

function toProof(
  giveaway: GiveawaysTable,
  draw: DrawRow,
  entries: string[] | null,
  seed: string | null,
): DrawProof {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const drawn = draw.drawn_at !== null;
  const winners = drawn && draw.winners ? (JSON.parse(draw.winners) as string[]) : null;
  return {
    version: draw.version,
    winnerMode: giveaway.winner_mode,
    winnerCount: giveaway.winner_count,
    commitment: draw.commitment,
    committedAt: iso(draw.committed_at) as string,
    guarantee: draw.beacon ? GUARANTEE.beacon : GUARANTEE.seedOnly,
    beacon: draw.beacon
      ? {
          chain: QUICKNET.name,
          chainHash: QUICKNET.hash,
          round: draw.beacon_round,
          signature: draw.beacon_signature,
          randomness: draw.beacon_randomness,
        }
      : null,
    frozenAt: iso(draw.frozen_at),
    entries,
    listHash: draw.list_hash,
    merkleRoot: draw.merkle_root,
    seed,
    winners: winners ? winners.map((entryId, i) => ({ rank: i + 1, entryId })) : null,
  };
}
